"""Published aggregate outcome reports (CIRR-format and school employment reports).

Owns reading report CSVs that follow the template documented in
``data/raw/outcome_reports/README.md`` into ``core_outcome_reports__headline_rates`` and
``core_outcome_reports__segments``. A report is two files: ``<stem>_rates.csv`` (headline
rates, one row per report) and ``<stem>.csv`` (segment breakdowns). Percentages are read
as published (whole numbers, 0-100) and loaded as ratios in ``_rate`` columns. Cells the
report does not publish (empty, NA, -, PS, ...: ``missing_tokens`` in
``flows/sources/sources.toml``) load as null and are listed in ``withheld_values``, never as
zero. A cell that is present but unreadable (not a number, a percentage over 100, a bad
date) sends its row to ``_quarantine`` with a message naming file, row, column, value and
rule; rows read = rows loaded + rows quarantined, per file. Columns a file lacks may be
supplied by the snapshot manifest (``report_metadata: {stem: {column: value}}``) so that a
bundled real report stays unchanged. School and program names are kept as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from flows.settings import relative
from flows.sources import Source, register
from flows.sources.snapshot_files import SnapshotError, files_config, read_manifest, snapshot_file
from flows.sources.lineage import problem, quarantine_frame, quarantine_row

SOURCE = "outcome_reports"
ALL_PROGRAMS = "All programs"

#: template column -> (table field, kind). kind: text, date, int, pct, usd, number, standard.
RATES_COLUMNS = {
    "school": ("report_school", "text"),
    "program": ("report_program", "text"),
    "report_standard": ("report_standard", "standard"),
    "program_id": ("program_id", "text"),
    "reporting_period_start": ("reporting_period_start", "date"),
    "reporting_period_end": ("reporting_period_end", "date"),
    "enrolled_students": ("enrolled_students", "int"),
    "graduates": ("report_graduates", "int"),
    "published_course_length_days": ("published_course_length_days", "int"),
    "graduated_within_150pct_pct": ("graduated_within_150pct_rate", "pct"),
    "employed_in_field_90d_pct": ("employed_in_field_90d_rate", "pct"),
    "employed_in_field_180d_pct": ("employed_in_field_180d_rate", "pct"),
    "still_seeking_90d_pct": ("still_seeking_90d_rate", "pct"),
    "still_seeking_180d_pct": ("still_seeking_180d_rate", "pct"),
    "non_reporting_pct": ("non_reporting_rate", "pct"),
    "knowledge_rate_pct": ("report_knowledge_rate", "pct"),
    "median_base_salary_usd": ("report_median_base_salary_usd", "usd"),
    "job_obtainers_reporting_salary_pct": ("job_obtainers_reporting_salary_rate", "pct"),
    "report_url": ("report_url", "text"),
}
SEGMENT_COLUMNS = {
    "school": ("report_school", "text"),
    "program": ("report_program", "text"),
    "program_id": ("program_id", "text"),
    "reporting_period_start": ("reporting_period_start", "date"),
    "reporting_period_end": ("reporting_period_end", "date"),
    "segment_kind": ("segment_kind", "text"),
    "segment": ("segment", "text"),
    "students": ("segment_students", "int"),
    "share_of_students_pct": ("share_of_students_rate", "pct"),
    "median_base_salary_usd": ("report_median_base_salary_usd", "usd"),
    "median_days_to_employment": ("median_days_to_employment", "number"),
    "median_days_to_graduation": ("median_days_to_graduation", "number"),
}
REQUIRED = {"rates": ("school", "reporting_period_start", "reporting_period_end"),
            "segments": ("school", "reporting_period_start", "reporting_period_end", "segment_kind", "segment")}
TABLE = {"rates": "core_outcome_reports__headline_rates", "segments": "core_outcome_reports__segments"}
SPEC = {"rates": RATES_COLUMNS, "segments": SEGMENT_COLUMNS}
KEYS = {"rates": ("report_school", "report_program", "reporting_period_start", "reporting_period_end"),
        "segments": ("report_school", "report_program", "reporting_period_start", "reporting_period_end",
                     "segment_kind", "segment")}
LINEAGE = ("source_file", "source_sha256", "source_row_number")


def _convert(kind: str, text: str) -> tuple[object, str | None, str]:
    """(value, broken rule or None, explanation)."""
    if kind in ("text",):
        return text, None, ""
    if kind == "standard":
        v = text.lower()
        return (v, None, "") if v in ("cirr", "nace", "school") else (None, "not_a_standard", "expected cirr, nace or school")
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return None, "not_a_date", "expected a date as YYYY-MM-DD"
        try:
            return pd.Timestamp(text), None, ""
        except ValueError:
            return None, "not_a_date", "expected a real calendar date"
    try:
        num = float(text.replace(",", "").replace("$", "").rstrip("%").strip())
    except ValueError:
        return None, "not_a_number", "expected a number (or a missing token such as NA)"
    if num < 0:
        return None, "negative_number", "must not be negative"
    if kind == "int":
        if num != int(num):
            return None, "not_a_whole_number", "expected a whole count"
        return int(num), None, ""
    if kind == "pct":
        if num > 100:
            return None, "pct_out_of_range", "a percentage as published must be between 0 and 100"
        return num / 100.0, None, ""
    return num, None, ""


def read_report_file(path: Path, sha256: str, kind: str, defaults: dict, missing_tokens: list[str]
                     ) -> tuple[pd.DataFrame, list[dict]]:
    """One report file -> (frame of its core table, quarantine rows)."""
    source_file = relative(path)
    spec = SPEC[kind]
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    unknown = [c for c in df.columns if c not in spec]
    if unknown:
        raise SnapshotError(f"{source_file}: columns {unknown} are not in the {kind} template "
                            f"(data/raw/outcome_reports/README.md); expected some of {list(spec)}")
    missing = [c for c in REQUIRED[kind] if c not in df.columns and c not in defaults]
    if missing:
        raise SnapshotError(f"{source_file}: required template columns {missing} are missing")
    tokens = {t.strip().casefold() for t in missing_tokens}
    rows, quarantine = [], []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        out = {field: None for field, _ in spec.values()}
        withheld, problems = [], []
        for col, (field, ckind) in spec.items():
            text = str(rec[col]).strip() if col in rec else str(defaults.get(col, "")).strip()
            if text.casefold() in tokens:
                if col in REQUIRED[kind]:
                    problems.append(problem(source_file, i, col, text, "required", "this template column must be filled"))
                elif col in rec and ckind not in ("text",):
                    withheld.append(f"{col}={text or '(blank)'}")
                continue
            value, rule, why = _convert(ckind, text)
            if rule:
                problems.append(problem(source_file, i, col, text, rule, why))
            out[field] = value
        if not problems and out["reporting_period_end"] < out["reporting_period_start"]:
            problems.append(problem(source_file, i, "reporting_period_end", rec.get("reporting_period_end"),
                                    "period_end_before_start", "the reporting period must not end before it starts"))
        if problems:
            quarantine.append(quarantine_row(source_file, sha256, i, f"outcome_report_{kind}", problems, rec))
            continue
        out["report_program"] = out["report_program"] or ALL_PROGRAMS
        out["withheld_values"] = "; ".join(withheld) or None
        out.update(data_origin=SOURCE, source_file=source_file, source_sha256=sha256, source_row_number=i)
        rows.append(out)
    frame = pd.DataFrame(rows, columns=[f for f, _ in spec.values()] + ["withheld_values", "data_origin", *LINEAGE])
    key = list(KEYS[kind])
    dup = frame.duplicated(key, keep="first")
    for _, row in frame.loc[dup].iterrows():
        n = int(row["source_row_number"])
        quarantine.append(quarantine_row(source_file, sha256, n, f"outcome_report_{kind}", [problem(
            source_file, n, "+".join(key), "/".join(str(row[k]) for k in key), "duplicate_key",
            "the same report cell appears on an earlier row, which is kept")], df.iloc[n - 1].to_dict(), stage="build"))
    frame = frame.loc[~dup].reset_index(drop=True)
    for field, ckind in spec.values():
        if ckind == "int":
            frame[field] = frame[field].astype("Int64")
        elif ckind in ("pct", "usd", "number"):
            frame[field] = frame[field].astype("float64")
        elif ckind == "date":
            frame[field] = pd.to_datetime(frame[field])
    frame["source_row_number"] = frame["source_row_number"].astype("Int64")
    return frame, quarantine


def transform(snapshot_dir: Path, config: dict | None = None) -> dict[str, pd.DataFrame]:
    cfg = files_config(SOURCE, config)
    snapshot_dir = Path(snapshot_dir)
    manifest = read_manifest(snapshot_dir)
    metadata = manifest.get("report_metadata", {})
    frames: dict[str, list[pd.DataFrame]] = {"rates": [], "segments": []}
    quarantine: list[dict] = []
    for entry in manifest["files"]:
        name = entry["name"]
        if not name.endswith(".csv"):
            continue
        kind = "rates" if name.endswith(cfg["rates_suffix"]) else "segments"
        stem = name[: -len(cfg["rates_suffix"])] if kind == "rates" else name[: -len(".csv")]
        path, digest = snapshot_file(snapshot_dir, name)
        frame, q = read_report_file(path, digest, kind, metadata.get(stem, {}), cfg["missing_tokens"])
        frames[kind].append(frame)
        quarantine += q
    out = {}
    for kind, parts in frames.items():
        if parts:
            out[TABLE[kind]] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        else:
            out[TABLE[kind]] = pd.DataFrame(
                columns=[f for f, _ in SPEC[kind].values()] + ["withheld_values", "data_origin", *LINEAGE])
    out["_quarantine"] = quarantine_frame(quarantine)
    return out


SOURCE_DEF = register(Source(
    name=SOURCE,
    title="Published graduate outcome reports (CIRR-format and school employment reports)",
    publisher="The schools that publish them (bundled: Turing School of Software & Design)",
    licence="Published reports transcribed as facts; each report's publisher and URL are kept in its snapshot manifest",
    url="https://cirr.org/",
    transform=transform,
    fetch=None,
))
