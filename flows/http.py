"""The shared HTTP layer for public sources: a retrying httpx client and secret redaction.

Owns every network call the pipeline makes (connectors receive a ``RetryingClient`` through
the ``HttpClient`` contract of ``flows.sources``), the reading of API keys from environment
variables, and the redaction of those keys wherever a URL, parameters or a message is shown.
It must not know any source's response format: connectors parse what it returns.

Behaviour:

- timeouts: ``connect`` and ``read`` (``DEFAULT_TIMEOUT``);
- the project's one retry layer (tenacity; connectors and refresh tasks never retry): connection
  errors, timeouts, HTTP 429 and 5xx are retried with exponential back-off
  (``backoff_base * 2**(attempt-1)``, capped at ``backoff_max``) plus a small random jitter;
  a ``Retry-After`` header (seconds or an HTTP date) replaces the back-off, capped at
  ``retry_after_cap``; the sleep function is injectable so tests do not wait;
- at most ``max_attempts`` requests per call, then ``FetchError`` naming the URL (key removed), the
  last status and reason; other 4xx answers raise ``FetchError`` at once (retrying cannot help).
  ``FetchError`` and ``ResponseFormatError`` are kinds of ``flows.sources.SourceError``, the one
  error the stale-snapshot fallback catches;
- a descriptive User-Agent (``alumni-outcomes/<version> (...; research data pipeline)``);
- logging through the standard logger ``outcomes.http``, every URL and message redacted; log lines
  and ``FetchError`` messages show a URL in its short form (``short_url``: host and path, never the
  query string, at most ``SHORT_URL_MAX`` characters), the ``url`` attribute keeps it whole (redacted).

Keys: ``api_key(*env_names)`` reads the first non-empty variable and remembers the value, so
that ``redact()`` removes it from any text (by value, whatever the parameter name), and
``redact_params()`` / ``redact_url()`` drop the parameters named in ``SECRET_PARAM_NAMES``.
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import tenacity

from flows.sources.contract import SourceError

logger = logging.getLogger("outcomes.http")

#: Parameter / body keys that carry a secret, whatever the source (compared case-insensitively).
SECRET_PARAM_NAMES = frozenset({"api_key", "apikey", "registrationkey", "key", "token", "access_token"})
REDACTED = "***"

#: Environment variables holding the keys of the public APIs this project calls.
SCORECARD_KEY_ENV = ("SCORECARD_API_KEY", "DATA_GOV_API_KEY")
BLS_KEY_ENV = ("BLS_API_KEY",)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504}) | frozenset(range(505, 600))

_SECRET_VALUES: set[str] = set()


# --- secrets and redaction -------------------------------------------------------------

def register_secret(value: str | None) -> None:
    """Remember a secret value so that ``redact`` removes it from any text."""
    if value and len(value) >= 4:  # a 1-3 character "secret" would redact ordinary text
        _SECRET_VALUES.add(value)


def api_key(*env_names: str) -> str | None:
    """The first non-empty environment variable among ``env_names`` (registered as a secret)."""
    for name in env_names:
        value = os.environ.get(name, "").strip()
        if value:
            register_secret(value)
            return value
    return None


def redact(text: Any) -> str:
    """``text`` as a string with every known secret value replaced by ``***``."""
    out = str(text)
    for secret in sorted(_SECRET_VALUES, key=len, reverse=True):
        out = out.replace(secret, REDACTED)
    return out


def _is_secret_name(name: str) -> bool:
    return str(name).lower() in SECRET_PARAM_NAMES


def redact_params(params: Mapping[str, Any] | None) -> dict:
    """A copy of query / body parameters without secret entries (dropped, not masked)."""
    if not params:
        return {}
    out = {}
    for k, v in params.items():
        if _is_secret_name(k):
            continue
        if isinstance(v, Mapping):
            v = redact_params(v)
        elif isinstance(v, str):
            v = redact(v)
        elif isinstance(v, (list, tuple)):
            v = [redact(x) if isinstance(x, str) else x for x in v]
        out[k] = v
    return out


def redact_url(url: str | httpx.URL) -> str:
    """The URL without secret query parameters (and any known secret value removed)."""
    parts = urlsplit(str(url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_secret_name(k)]
    return redact(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment)))


#: Longest URL a log line or an error message shows (a query string can run to hundreds of characters).
SHORT_URL_MAX = 80


def short_url(url: str | httpx.URL) -> str:
    """``host/path`` of a URL, without scheme, query string or fragment, cut to ``SHORT_URL_MAX`` characters.

    What log lines show: enough to tell which endpoint failed, never parameters or keys.
    """
    parts = urlsplit(str(url))
    text = redact(f"{parts.hostname or ''}{parts.path}") or redact(str(url))[:SHORT_URL_MAX]
    if parts.query:
        text += "?..."
    return text if len(text) <= SHORT_URL_MAX else text[:SHORT_URL_MAX - 3] + "..."


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message with secrets removed (keys by value and secret URL parameters).

    Installed on the loggers of httpx and httpcore, which log full request URLs (query string
    included) at INFO, and on this module's logger.
    """

    _PARAM_RE = None

    def filter(self, record: logging.LogRecord) -> bool:
        import re

        if RedactingFilter._PARAM_RE is None:
            names = "|".join(sorted(SECRET_PARAM_NAMES, key=len, reverse=True))
            RedactingFilter._PARAM_RE = re.compile(rf"([?&](?:{names})=)[^&\s\"']*", re.IGNORECASE)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging to report
            return True
        clean = RedactingFilter._PARAM_RE.sub(lambda m: m.group(1) + REDACTED, redact(message))
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


_FILTER = RedactingFilter()
for _name in ("outcomes", "outcomes.http", "outcomes.snapshots", "httpx", "httpcore", "httpcore.connection",
              "httpcore.http11", "httpcore.http2", "httpcore.proxy"):
    _lg = logging.getLogger(_name)
    if not any(isinstance(f, RedactingFilter) for f in _lg.filters):
        _lg.addFilter(_FILTER)


# --- errors --------------------------------------------------------------------------------

class FetchError(SourceError):
    """A fetch failed for good (after its retries, or at once for an answer retrying cannot fix).

    The message and every attribute are redacted: no API key ever appears in them.
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 reason: str | None = None, attempts: int | None = None) -> None:
        self.url = redact_url(url) if url else None
        self.status = status
        self.reason = redact(reason) if reason else None
        self.attempts = attempts
        super().__init__(redact(message))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ResponseFormatError(FetchError):
    """The server answered, but not in the documented shape (malformed JSON, error status field)."""


# --- user agent ------------------------------------------------------------------------------

def _package_version_and_url() -> tuple[str, str | None]:
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        md = metadata("alumni-outcomes")
        urls = [u.split(",", 1)[-1].strip() for u in (md.get_all("Project-URL") or [])]
        return md["Version"], (urls[0] if urls else md.get("Home-page"))
    except Exception:  # not installed (e.g. run from a source tree): still identify ourselves
        return "0.1.0", None


def user_agent() -> str:
    version, url = _package_version_and_url()
    where = f"+{url}; " if url else ""
    return f"alumni-outcomes/{version} ({where}research data pipeline)"


# --- the client ---------------------------------------------------------------------------------

def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class RetryingClient:
    """Satisfies ``flows.sources.HttpClient``: ``request(method, url, *, params=None, json=None)``.

    Pass ``client`` (an ``httpx.Client``) or ``transport`` (e.g. ``httpx.MockTransport``) in tests.
    """

    def __init__(self, client: httpx.Client | None = None, *, transport: httpx.BaseTransport | None = None,
                 max_attempts: int = 5, backoff_base: float = 1.0, backoff_max: float = 60.0,
                 retry_after_cap: float = 120.0, jitter: float = 0.25,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[float, float], float] = random.uniform) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._owns_client = client is None
        self._client = client or httpx.Client(transport=transport, timeout=timeout, follow_redirects=True)
        self._client.headers["User-Agent"] = user_agent()
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_cap = retry_after_cap
        self.jitter = jitter
        self._sleep = sleep
        self._rng = rng
        self.waits: list[float] = []  # every wait used, in order (for the run log and tests)

    def __repr__(self) -> str:
        return f"RetryingClient(max_attempts={self.max_attempts}, backoff_base={self.backoff_base})"

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> "RetryingClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _wait_seconds(self, state: tenacity.RetryCallState) -> float:
        """Retry-After when the server gave one (capped), else exponential back-off plus jitter."""
        failure = state.outcome.exception() if state.outcome else None
        retry_after = getattr(failure, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        backoff = tenacity.wait_exponential(multiplier=self.backoff_base, max=self.backoff_max, exp_base=2)
        return backoff(state) + (self._rng(0.0, self.jitter) if self.jitter > 0 else 0.0)

    def _wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._sleep(seconds)

    def request(self, method: str, url: str, *, params: dict | None = None, json: Any = None) -> httpx.Response:
        full = redact_url(httpx.URL(url, params=params) if params else url)
        shown = short_url(full)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            logger.warning("%s %s: %s; retry %d/%d in %.1f s", method, shown, state.outcome.exception().what,
                           state.attempt_number, self.max_attempts - 1, state.upcoming_sleep)

        retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(self.max_attempts), wait=self._wait_seconds,
                                     retry=tenacity.retry_if_exception_type(_Retryable), sleep=self._wait,
                                     before_sleep=before_sleep, reraise=True)
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(method, url, params, json, full, shown, attempt.retry_state.attempt_number)
        except _Retryable as last:
            logger.error("%s %s failed after %d attempts: %s", method, shown, self.max_attempts, last.what)
            raise FetchError(f"{method} {shown} failed after {self.max_attempts} attempts: {last.what}",
                             url=full, status=last.status, reason=last.reason, attempts=self.max_attempts) from None
        raise AssertionError("unreachable: tenacity either returns, retries or re-raises")

    def _once(self, method: str, url: str, params: dict | None, json: Any, full: str, shown: str,
              n: int) -> httpx.Response:
        """One request: the answer, ``_Retryable`` (another attempt may cure it) or ``FetchError``."""
        try:
            logger.debug("%s %s (attempt %d/%d)", method, shown, n, self.max_attempts)
            response = self._client.request(method, url, params=params, json=json)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            detail = " ".join((redact(exc) or "no detail").split())
            if len(detail) > 160:  # transport errors may quote the whole URL
                detail = detail[:157] + "..."
            raise _Retryable(None, f"{type(exc).__name__}: {detail}", None) from None
        status = response.status_code
        if status < 400:
            logger.info("%s %s -> %d", method, shown, status)
            return response
        reason = response.reason_phrase or ""
        if status not in RETRY_STATUSES:
            raise FetchError(f"{method} {shown} failed: HTTP {status} {reason}".rstrip(),
                             url=full, status=status, reason=reason, attempts=n)
        raise _Retryable(status, reason, parse_retry_after(response.headers.get("Retry-After")))


class _Retryable(Exception):
    """One failed attempt that another attempt may cure (connection error, timeout, 429, 5xx)."""

    def __init__(self, status: int | None, reason: str, retry_after: float | None) -> None:
        self.status, self.reason, self.retry_after = status, reason, retry_after
        self.what = f"HTTP {status} {reason}".rstrip() if status else reason
        super().__init__(self.what)


def parse_json(response: httpx.Response, what: str = "response") -> Any:
    """The JSON body of ``response``, or ``ResponseFormatError`` naming the (redacted) URL."""
    try:
        return response.json()
    except ValueError as exc:
        head = response.content[:80].decode("utf-8", "replace")
        raise ResponseFormatError(
            f"{what} from {short_url(response.request.url)} is not valid JSON ({exc}); body starts {head!r}",
            url=str(response.request.url), status=response.status_code) from None


def secret_values() -> Iterable[str]:
    """The registered secret values (for tests that assert none leaked)."""
    return tuple(_SECRET_VALUES)
