"""A refresh's own temporary Prefect server, which dies with the refresh however it ends.

Prefect with no ``PREFECT_API_URL`` starts a temporary server itself
(``prefect.server.api.server.SubprocessASGIServer``: ``python -m uvicorn ... create_app`` as a
child process) and stops it from an ``atexit`` hook. A refresh killed by SIGKILL (or SIGTERM,
whose default action skips ``atexit``) leaves that server running: about 200 MB, still
listening. The CLI therefore starts the same server itself, as its child with
``prctl(PR_SET_PDEATHSIG, SIGTERM)`` (Linux: the kernel signals the server when the refresh
process dies, even by SIGKILL), points ``PREFECT_API_URL`` at it, and stops it when the
refresh ends. Elsewhere (no ``prctl``), the server is stopped on every normal exit and the
parent-death signal is simply not available.

Never imports Prefect (the CLI sets ``PREFECT_API_URL`` before Prefect reads its settings).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

PR_SET_PDEATHSIG = 1


class ServerStartError(RuntimeError):
    """The temporary Prefect server did not answer in time (or exited)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prefect_app_dir() -> str:
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        raise ServerStartError("prefect is not installed")
    return str(Path(list(spec.submodule_search_locations)[0]).parent)


def _die_with(parent: int):
    """A ``preexec_fn``: ask the kernel to SIGTERM this child when ``parent`` dies."""
    def preexec() -> None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # not Linux: stopped on normal exits only
            return
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    return preexec


@dataclass
class PrivateServer:
    process: subprocess.Popen
    port: int
    startup_seconds: float

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds; idempotent."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)


def start(timeout: float, home: Path | None = None) -> PrivateServer:
    """Start a private temporary Prefect API server (no UI) and wait until it answers ``/health``."""
    port = _free_port()
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    errors = tempfile.TemporaryFile()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", _prefect_app_dir(), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "error",
         "--lifespan", "on"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
        preexec_fn=_die_with(os.getpid()), start_new_session=True)  # Ctrl-C reaches the refresh, which stops it
    server = PrivateServer(process, port, 0.0)
    url = f"{server.api_url}/health"
    try:
        with httpx.Client(timeout=2.0) as client:
            while True:
                if process.poll() is not None:
                    errors.seek(0)
                    tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
                    raise ServerStartError(f"Prefect's temporary server exited with code {process.returncode}: "
                                           f"{tail[0][:300]}")
                try:
                    if client.get(url).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() - started > timeout:
                    raise ServerStartError(f"Prefect's temporary server did not answer within {timeout:.0f} s "
                                           "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS; or run a server: "
                                           "`make server` and PREFECT_API_URL=http://127.0.0.1:4200/api)")
                time.sleep(0.1)
    except BaseException:
        server.stop()
        raise
    finally:
        errors.close()
    server.startup_seconds = time.monotonic() - started
    return server


def server_answers(api_url: str, timeout: float = 5.0) -> str | None:
    """None when the Prefect API at ``api_url`` answers ``/health``, else a one-line reason."""
    url = api_url.rstrip("/") + "/health"
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {' '.join(str(exc).split()) or 'no answer'}"[:200]
    if response.status_code != 200:
        return f"HTTP {response.status_code} from {url}"
    return None
