"""The assumptions (``flows/assumptions.toml``, optionally overlaid by the user's file): typed, checked, loaded once.

Owns reading configuration and checking it; never writes it. ``Assumptions`` is the typed form: one
frozen pydantic model per TOML table, each key with its type, its rule and its meaning. Every value the
pipeline uses is in ``flows/assumptions.toml``; the only defaults written here are those of keys the file
may leave out (``OPTIONAL_DEFAULTS`` lists them), so no caller repeats a default. An unknown key (a typo),
a missing one, a wrong type or a value out of range fails the load with one line naming the file, the key,
the value and the rule (``AssumptionError``).

``load_config`` returns the typed form; ``load_assumptions`` the same settings as plain nested dicts with
every optional key filled in (callers that take "just the section they need" read it with ``[...]``).
The bundled file is read and checked once per process.
"""

from __future__ import annotations

import math
import tomllib
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

#: The employed-in-field windows (days) the statistics tables publish; the only accepted [stats] windows_days.
PUBLISHED_WINDOWS = (90, 180)

DEFAULT_ASSUMPTIONS = Path(__file__).resolve().parent / "assumptions.toml"


class AssumptionError(ValueError):
    """An assumption with the wrong type or out of range; the message names the file, key, value and rule."""


# --------------------------------------------------------------------------- value rules

class _Rule(str):
    """The rule of a value, in words (read by the key reference)."""


def _interval(lo: float, hi: float, lo_open: bool, hi_open: bool) -> str:
    def g(x: float) -> str:
        return "inf" if math.isinf(x) else f"{x:g}"
    return ("(" if lo_open else "[") + f"{g(lo)}, {g(hi)}" + (")" if hi_open else "]")


def Number(lo: float = -math.inf, hi: float = math.inf, *, lo_open: bool = False, hi_open: bool | None = None,
           integer: bool = False):
    """A TOML number (not a boolean) in an interval; an integer where ``integer``. Kept as written (10 stays 10).

    An infinite upper end is open (``inf`` refused) unless ``hi_open=False`` says infinity is a value (no bound)."""
    hi_open = math.isinf(hi) if hi_open is None else hi_open
    rule = f"{'an integer' if integer else 'a number'} in {_interval(lo, hi, lo_open, hi_open)}"

    def check(v: Any):
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))
        ok = ok and (not integer or float(v).is_integer())
        ok = ok and (lo < v if lo_open else lo <= v) and (v < hi if hi_open else v <= hi)
        if not ok:
            raise ValueError(f"must be {rule}")
        return int(v) if integer else v
    return Annotated[int if integer else (int | float), BeforeValidator(check), _Rule(rule)]


def _strict_bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("must be true or false")
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("must be text")
    return v


def _nonempty_text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("must be non-empty text")
    return v


Bool = Annotated[bool, BeforeValidator(_strict_bool), _Rule("true or false")]
Text = Annotated[str, BeforeValidator(_text), _Rule("text")]
NonEmptyText = Annotated[str, BeforeValidator(_nonempty_text), _Rule("non-empty text")]
Share = Number(0, 1)
Rate = Number(0, 1, hi_open=True)
Positive = Number(0, math.inf, lo_open=True)
NonNegative = Number(0, math.inf)
Years = Number(0, math.inf, lo_open=True, integer=True)


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


# --------------------------------------------------------------------------- the tables of assumptions.toml

class Currency(_Table):
    source: NonEmptyText = Field(description="Where the exchange rates come from.")
    usd_per_unit: dict[str, Positive] = Field(description="US dollars per unit of each currency (ISO 4217 code).")


class Suppression(_Table):
    min_cell_size: Number(1, math.inf, integer=True) = Field(description="Minimum number of individuals in a published cell (k).")
    low_knowledge_rate: Share = Field(description="NACE knowledge rate below which a cell carries a low-coverage warning.")
    protection_width: Number(1, math.inf, integer=True) = Field(
        description="Minimum width of every withheld count's feasible range in the disclosure audit.")


class Stats(_Table):
    windows_days: list[int] = Field(description="Employed-in-field windows (days after graduation); only [90, 180].")
    confidence: Number(0, 1, lo_open=True, hi_open=True) = Field(description="Two-sided confidence level of every interval.")
    unknown_start_max_share: Share = Field(
        description="Largest share of in-field graduates without a job start date for which window rates are published.")

    @field_validator("windows_days", mode="before")
    @classmethod
    def _published_windows(cls, v: Any) -> list[int]:
        if not (isinstance(v, list) and v == list(PUBLISHED_WINDOWS)):
            raise ValueError(
                f"is not supported: the out tables publish the windows {list(PUBLISHED_WINDOWS)} only (columns "
                "employed_in_field_90d_* and employed_in_field_180d_*); other windows would be written under those names")
        return v


class CountrySettings(_Table):
    loan_rate: Rate | None = Field(None, description="Annual rate of the typical student loan (the US uses [roi] loan_rate).")
    bls_benchmark: Bool = Field(False, description="True when BLS OEWS US wages are a fair benchmark for the country.")


class PathwayFunding(_Table):
    stipend_usd_per_year: NonNegative = Field(0.0, description="Stipend paid while studying, USD a year.")
    stipend_source: Text | None = Field(None, description="Where the stipend figure comes from.")
    tuition_waived: Bool = Field(False, description="True when the pathway's tuition is waived (funded places).")


class ForgoneShare(_Table):
    full_time: Share = Field(description="Share of counterfactual earnings given up in full-time study.")
    part_time: Share = Field(description="... in part-time study.")
    self_paced: Share = Field(description="... in self-paced study.")


class BaselineSalary(_Table):
    source: NonEmptyText = Field(description="Where the baseline salaries come from.")
    none: Positive = Field(description="Counterfactual annual earnings, no degree (USD).")
    high_school: Positive = Field(description="... high school.")
    associate: Positive = Field(description="... associate degree.")
    bachelors: Positive = Field(description="... bachelor's degree.")
    masters: Positive = Field(description="... master's degree.")
    doctorate: Positive = Field(description="... doctorate.")
    professional: Positive = Field(description="... professional degree.")
    unknown: Positive = Field(description="... prior degree unknown.")


class Roi(_Table):
    discount_rate: Rate = Field(description="Real discount rate of every NPV.")
    npv_horizons_years: list[Years] = Field(description="NPV horizons, years after study starts.")
    payback_thresholds_years: list[Years] = Field(description="Payback probabilities are reported within these years.")
    loan_rate: Rate = Field(description="US federal graduate loan rate (US programs).")
    loan_term_years: Positive = Field(description="Repayment term of the loan, years.")
    financed_share: Share = Field(description="Share of tuition and fees financed by the loan.")
    relocation_usd: NonNegative = Field(description="One-off relocation cost of in-person/hybrid full-time study.")
    extra_living_usd_per_year: NonNegative = Field(description="Extra living cost a year of in-person/hybrid full-time study.")
    countries: dict[str, CountrySettings] = Field(default_factory=dict,
                                                  description="Per-country loan rate and BLS benchmark (ISO 3166-1 alpha-2).")
    pathway_funding: dict[str, PathwayFunding] = Field(default_factory=dict,
                                                       description="Per-pathway stipend and tuition waiver.")
    forgone_share: ForgoneShare
    baseline_salary_usd: BaselineSalary

    @field_validator("countries", mode="before")
    @classmethod
    def _iso_codes(cls, v: Any) -> Any:
        for code in (v or {}):
            if not (isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper()):
                raise ValueError(f"{code}: must be an ISO 3166-1 alpha-2 code (e.g. GB)")
        return v


class PublicRoi(_Table):
    tuition_file: NonEmptyText = Field(description="Graduate tuition by control of institution (under data/raw/).")
    tuition_source: NonEmptyText = Field(description="Where that tuition comes from.")
    overrides_file: Text | None = Field(None, description="Per-program tuition and length of real programs (under data/raw/).")
    study_years: dict[str, Number(0, 10, lo_open=True)] = Field(description="Typical full-time years of study by credential level.")
    earnings_sources: list[str] = Field(description="Sources of earnings with the program, in order of preference.")
    field_counterfactual: dict[str, str] = Field(description="NSF NCSES figure used as field-level counterfactual.")
    ncses_fields: dict[str, str] = Field(description="NSF NCSES field -> CIP family.")
    ncses_premium_tables: list[str] = Field(description="NSF NCSES tables of the field-level premiums.")
    fivethirtyeight_majors: dict[str, str] = Field(description="ACS major code -> CIP family.")
    selection_caveat: NonEmptyText = Field(description="Text beside every premium.")


class SalaryPlausibility(_Table):
    max_base_salary_usd: Number(0, math.inf, lo_open=True, hi_open=False) = Field(
        description="Largest plausible base (or prior) salary, USD a year (inf: no bound).")
    max_base_salary_usd_by_origin: dict[str, Positive] = Field(default_factory=dict,
                                                               description="Stricter bounds by data origin.")


class Peers(_Table):
    degree_groups: dict[str, str] = Field(description="Prior degree -> degree group of the peer levels.")
    experience_band_edges: list[NonNegative] = Field(description="Experience bands [lower, upper) in years.")
    levels: list[str] = Field(description="Similarity levels, tried in order.")
    max_years_experience: Positive = Field(description="`outcomes roi` refuses more years of experience than this.")
    min_peers: Number(1, math.inf, integer=True) | None = Field(
        None, description="Smallest peer group used; unset: [suppression] min_cell_size.")


class Reports(_Table):
    synthetic_data_origins: list[str] = Field(description="Data origins whose programs are synthetic.")
    synthetic_notice: NonEmptyText = Field(description="Notice on the pages of synthetic programs.")
    sensitivity_salary_factors: list[NonNegative] = Field(description="Salary factors of the sensitivity grid.")
    sensitivity_loan_rates: list[Share] = Field(description="Loan rates of the sensitivity grid ([roi] loan_rate is added).")


class Assumptions(_Table):
    currency: Currency
    suppression: Suppression
    stats: Stats
    roi: Roi
    public_roi: PublicRoi
    salary_plausibility: SalaryPlausibility
    peers: Peers
    reports: Reports

    def mapping(self) -> dict:
        """The settings as plain nested dicts (a fresh copy; optional keys filled in)."""
        return self.model_dump()


# --------------------------------------------------------------------------- loading

def _value_at(data: Any, loc: tuple) -> Any:
    node = data
    for key in loc:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def _message(err: dict, data: dict) -> str:
    loc = tuple(err["loc"])
    path = ".".join(str(k) for k in loc)
    kind = err["type"]
    if kind == "missing":
        return f"{path} is missing"
    if kind == "extra_forbidden":
        return f"{path} is not a known key (a typo?)"
    msg = err["msg"].removeprefix("Value error, ")
    if loc and loc[-1] == "countries" and ": must be an ISO" in msg:  # the key is wrong, not a value
        code, rule = msg.split(": ", 1)
        return f"{path}.{code} {rule}"
    shapes = {"model_type": "must be a table", "dict_type": "must be a table", "list_type": "must be a list",
              "string_type": "must be text", "int_type": "must be an integer", "float_type": "must be a number"}
    if kind in shapes:
        return f"{path} = {_value_at(data, loc)!r} {shapes[kind]}"
    return f"{path} = {_value_at(data, loc)!r} {msg[0].lower() + msg[1:] if msg else msg}"


def _merge(base: dict, extra: dict) -> dict:
    out = deepcopy(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def parse_assumptions(data: dict, where: str = "assumptions") -> Assumptions:
    """The typed assumptions of a mapping; AssumptionError names ``where`` (the file), the key, value and rule."""
    try:
        return Assumptions.model_validate(data)
    except ValidationError as exc:
        problems = [_message(e, data) for e in exc.errors(include_url=False)]
        raise AssumptionError(f"{where}: " + "; ".join(problems)) from None


def check_section(name: str, data: dict) -> dict:
    """One table of the assumptions (e.g. ``public_roi``) checked alone: a complete copy, or AssumptionError."""
    model = Assumptions.model_fields[name].annotation
    try:
        return model.model_validate(data).model_dump()
    except ValidationError as exc:
        problems = [_message({**e, "loc": (name, *e["loc"])}, {name: data}) for e in exc.errors(include_url=False)]
        raise AssumptionError("assumptions: " + "; ".join(problems)) from None


def check_assumptions(data: dict) -> dict:
    """A complete, checked copy of an assumptions mapping (optional keys filled in); raises AssumptionError."""
    return parse_assumptions(data).mapping()


def _read(path: Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=8)
def _load(override: str | None, stamp: tuple) -> Assumptions:
    data = _read(DEFAULT_ASSUMPTIONS)
    where = f"assumptions ({DEFAULT_ASSUMPTIONS.name})"
    if override:
        data = _merge(data, _read(Path(override)))
        where = f"assumptions ({DEFAULT_ASSUMPTIONS.name} overlaid by {override})"
    return parse_assumptions(data, where)


def _stamp(path: Path) -> tuple:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)


def load_config(override: Path | None = None) -> Assumptions:
    """The typed assumptions: the bundled file overlaid by ``override``; read and checked once per file version."""
    stamp = _stamp(DEFAULT_ASSUMPTIONS) + (_stamp(Path(override)) if override else ())
    return _load(str(override) if override else None, stamp)


def load_assumptions(override: Path | None = None) -> dict:
    """The default assumptions overlaid by ``override`` as nested dicts (a fresh copy); AssumptionError names the bad key."""
    return load_config(override).mapping()


# --------------------------------------------------------------------------- documentation

def _describe(ann: Any) -> str:
    """The rule of a type in words: its _Rule, else its shape (list of ..., table of ...)."""
    if get_origin(ann) is Annotated:
        rules = [m for m in get_args(ann)[1:] if isinstance(m, _Rule)]
        return str(rules[0]) if rules else _describe(get_args(ann)[0])
    origin, args = get_origin(ann), get_args(ann)
    if origin is list:
        return f"list, each {_describe(args[0])}"
    if origin is dict:
        return f"table of name = {_describe(args[1])}"
    if origin in (Union, UnionType):
        rest = [a for a in args if a is not type(None)]
        return " or ".join(_describe(a) for a in rest)
    return {int: "an integer", str: "text", float: "a number", bool: "true or false"}.get(ann, getattr(ann, "__name__", str(ann)))


def reference_rows() -> list[tuple[str, str, str, str]]:
    """(key, rule, default when left out, meaning) of every key, table by table, from the model."""
    rows = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            ann = field.annotation
            key = f"{prefix}{name}"
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, key + ".")
                continue
            sub = getattr(ann, "__args__", ())
            inner = sub[-1] if sub else None
            if isinstance(inner, type) and issubclass(inner, BaseModel):  # dict[str, Table]
                rows.append((key + ".<key>", "table", "empty" if not field.is_required() else "required",
                             field.description or ""))
                walk(inner, key + ".<key>.")
                continue
            default = "required" if field.is_required() else (
                "empty" if field.default_factory is not None else repr(field.default).replace("None", "unset"))
            rows.append((key, _describe(field.rebuild_annotation()), default, field.description or ""))
    walk(Assumptions, "")
    return rows


REFERENCE_PATH = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def reference_markdown() -> str:
    """docs/configuration.md: every key of flows/assumptions.toml with its rule, what leaving it out means, its meaning."""
    lines = ["# Configuration: the assumptions file", "",
             "Generated from `flows/config.py` by `outcomes docs`; do not edit by hand.", "",
             "Every value the pipeline assumes is in `flows/assumptions.toml`, with its source in the comments there.",
             "`--assumptions FILE` (on `outcomes refresh`, `outcomes roi`, `outcomes audit-disclosure`) overlays a file with the",
             "same keys. The file is read and checked once per process: an unknown key, a missing required key, a",
             "wrong type or a value outside its rule stops the command with one line naming the file, the key, the",
             "value and the rule, before anything is built. Only the keys marked below may be left out; nothing",
             "in the code supplies a value for any other.", "",
             "| key | rule | when left out | meaning |", "|---|---|---|---|"]
    for key, rule, default, meaning in reference_rows():
        lines.append(f"| `{key}` | {rule} | {default} | {meaning.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def write_reference(path: Path = REFERENCE_PATH) -> Path:
    path.write_text(reference_markdown(), encoding="utf-8")
    return path


#: Keys the file may leave out and what they then mean (every other key is required).
OPTIONAL_DEFAULTS = {key: default for key, _, default, _ in reference_rows() if default != "required"}
