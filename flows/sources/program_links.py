"""Program links: the curated crosswalk from this project's programs to public identifiers.

Owns reading ``data/raw/links/program_public_ids.csv`` (the template and column docs are in
``data/raw/links/README.md``) into ``core_links__program_public_ids``, row by row: every
cell is read as text (leading zeros kept: UNITID, OPEID6, PSEO institution and degree level
are codes, not numbers) and checked against its field's metadata (pattern, vocabulary) and
the crosswalk's own rules. A bad row goes to ``_quarantine`` with one message per broken
rule naming file, row, column, value and rule; rows read = rows loaded + rows quarantined.
Whether each program_id exists in ``core_programs__programs`` is checked by the loader
(programs come from several sources).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from flows.settings import raw_dir, relative
from flows.sources import Source, register
from flows.sources.census_pseo import DEGREE_LEVELS
from flows.sources.snapshot_files import SnapshotError, files_config
from flows.sources.lineage import problem, quarantine_frame, quarantine_row, sha256_file
from schemas.model import FIELDS, TABLES, VOCABULARIES

SOURCE = "program_links"
TABLE = "core_links__program_public_ids"
INPUT_COLUMNS = ("program_id", "unitid", "opeid6", "pseo_institution_id", "cip_code", "credential_level",
                 "pseo_degree_level", "link_note")
REQUIRED = ("program_id", "cip_code", "credential_level")
PUBLIC_IDS = ("unitid", "opeid6", "pseo_institution_id")


def check_row(rec: dict, source_file: str, row: int) -> list[tuple[str, str, str]]:
    """Every broken rule of one crosswalk row, as (column, rule, message)."""
    problems = []
    for col in INPUT_COLUMNS:
        value = rec.get(col, "")
        if value == "":
            if col in REQUIRED:
                problems.append(problem(source_file, row, col, value, "required", "this column must be filled"))
            continue
        f = FIELDS[col]
        if f.pattern and not re.search(f.pattern, value):
            problems.append(problem(source_file, row, col, value, "pattern", f"must match {f.pattern} "
                                    "(codes are text: keep leading zeros)"))
        if f.vocabulary and value not in VOCABULARIES[f.vocabulary].codes:
            problems.append(problem(source_file, row, col, value, "vocabulary",
                                    f"must be one of {', '.join(VOCABULARIES[f.vocabulary].values)}"))
    if not any(rec.get(c, "") for c in PUBLIC_IDS):
        problems.append(problem(source_file, row, "unitid+opeid6+pseo_institution_id", "", "at_least_one_public_id",
                                "a link needs a UNITID, an OPEID6 or a PSEO institution code"))
    if bool(rec.get("pseo_institution_id")) != bool(rec.get("pseo_degree_level")):
        problems.append(problem(source_file, row, "pseo_degree_level", rec.get("pseo_degree_level", ""),
                                "pseo_pair", "pseo_institution_id and pseo_degree_level go together"))
    level = rec.get("pseo_degree_level", "")
    if level in DEGREE_LEVELS and rec.get("credential_level") in VOCABULARIES["credential_level"].codes \
            and DEGREE_LEVELS[level] != rec["credential_level"]:
        problems.append(problem(source_file, row, "pseo_degree_level", level, "pseo_level_matches_credential",
                                f"PSEO degree level {level} is {DEGREE_LEVELS[level]}, not {rec['credential_level']}"))
    return problems


def read_links(path: Path) -> dict[str, pd.DataFrame]:
    """The crosswalk file -> {core_links__program_public_ids, _quarantine}."""
    path = Path(path)
    source_file = relative(path)
    digest = sha256_file(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in INPUT_COLUMNS if c not in df.columns]
    unknown = [c for c in df.columns if c not in INPUT_COLUMNS]
    if missing or unknown:
        raise SnapshotError(f"{source_file}: header must be {','.join(INPUT_COLUMNS)} "
                            f"(missing {missing}, unknown {unknown})")
    rows, quarantine, seen = [], [], {}
    for i, rec in enumerate(df.to_dict("records"), start=1):
        rec = {k: str(v).strip() for k, v in rec.items()}
        problems = check_row(rec, source_file, i)
        if rec["program_id"] and rec["program_id"] in seen:
            problems.append(problem(source_file, i, "program_id", rec["program_id"], "duplicate_program_id",
                                    f"already linked on row {seen[rec['program_id']]}; one link per program"))
        if problems:
            quarantine.append(quarantine_row(source_file, digest, i, "program_links", problems, rec))
            continue
        seen[rec["program_id"]] = i
        rows.append({**{c: (rec[c] or None) for c in INPUT_COLUMNS}, "source_file": source_file,
                     "source_row_number": i})
    out = pd.DataFrame(rows, columns=list(TABLES[TABLE].fields))
    out["source_row_number"] = out["source_row_number"].astype("Int64")
    return {TABLE: out, "_quarantine": quarantine_frame(quarantine)}


CROSSWALK_TABLE = "core_links__institution_crosswalk"
CROSSWALK_COLUMNS = ("crosswalk_source", "source_institution_id", "source_institution_name", "state_code", "unitid",
                     "opeid6", "ipeds_institution_name", "match_method", "review_note")


def read_institution_crosswalk(path: Path) -> dict[str, pd.DataFrame]:
    """``public_institution_crosswalk.csv`` -> {core_links__institution_crosswalk, _quarantine}: every cell
    text, checked against its field (pattern, vocabulary); a code listed twice, or a UNITID that two codes
    of one source point to, is quarantined (one-to-one, see flows/sources/public_crosswalk.py)."""
    path = Path(path)
    source_file = relative(path)
    digest = sha256_file(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    if tuple(df.columns) != CROSSWALK_COLUMNS:
        raise SnapshotError(f"{source_file}: header must be {','.join(CROSSWALK_COLUMNS)}, got {','.join(df.columns)}")
    rows, quarantine, seen, targets = [], [], {}, {}
    for i, rec in enumerate(df.to_dict("records"), start=1):
        rec = {k: str(v).strip() for k, v in rec.items()}
        problems = []
        for col in ("crosswalk_source", "source_institution_id", "match_method"):
            if not rec[col]:
                problems.append(problem(source_file, i, col, "", "required", "this column must be filled"))
        for col in ("unitid", "opeid6", "state_code", "crosswalk_source", "match_method"):
            f, value = FIELDS[col], rec[col]
            if value and f.pattern and not re.search(f.pattern, value):
                problems.append(problem(source_file, i, col, value, "pattern", f"must match {f.pattern} (keep leading zeros)"))
            if value and f.vocabulary and value not in VOCABULARIES[f.vocabulary].codes:
                problems.append(problem(source_file, i, col, value, "vocabulary",
                                        f"must be one of {', '.join(VOCABULARIES[f.vocabulary].values)}"))
        if bool(rec["unitid"]) == (rec["match_method"] == "unmatched"):
            problems.append(problem(source_file, i, "unitid", rec["unitid"], "unitid_matches_method",
                                    "a UNITID is given exactly when match_method is not 'unmatched'"))
        key, target = (rec["crosswalk_source"], rec["source_institution_id"]), (rec["crosswalk_source"], rec["unitid"])
        if key in seen:
            problems.append(problem(source_file, i, "source_institution_id", rec["source_institution_id"],
                                    "duplicate_code", f"already on row {seen[key]}"))
        if rec["unitid"] and target in targets:
            problems.append(problem(source_file, i, "unitid", rec["unitid"], "one_to_one",
                                    f"row {targets[target]} already maps a {rec['crosswalk_source']} code to this UNITID"))
        if problems:
            quarantine.append(quarantine_row(source_file, digest, i, "institution_crosswalk", problems, rec))
            continue
        seen[key] = i
        if rec["unitid"]:
            targets[target] = i
        rows.append({**{c: (rec[c] or None) for c in CROSSWALK_COLUMNS}, "source_file": source_file,
                     "source_row_number": i})
    out = pd.DataFrame(rows, columns=list(TABLES[CROSSWALK_TABLE].fields))
    out["source_row_number"] = out["source_row_number"].astype("Int64")
    return {CROSSWALK_TABLE: out, "_quarantine": quarantine_frame(quarantine)}


def transform(snapshot_dir: Path | None = None, config: dict | None = None) -> dict[str, pd.DataFrame]:
    """Curated file source: ``snapshot_dir`` is the folder holding the crosswalks (default data/raw/links):
    the program links and, when present, the institution crosswalk of the public programs."""
    cfg = files_config(SOURCE, config)
    folder = Path(snapshot_dir) if snapshot_dir else raw_dir() / "links"
    out = read_links(folder / cfg["file"])
    xw = folder / cfg.get("institution_crosswalk_file", "public_institution_crosswalk.csv")
    if xw.is_file():
        more = read_institution_crosswalk(xw)
        out[CROSSWALK_TABLE] = more[CROSSWALK_TABLE]
        out["_quarantine"] = pd.concat([out["_quarantine"], more["_quarantine"]], ignore_index=True)
    return out


SOURCE_DEF = register(Source(
    name=SOURCE,
    title="Program -> public identifier crosswalk (curated)",
    publisher="This project (curated by the maintainers)",
    licence="Same licence as the project",
    url="data/raw/links/README.md",
    transform=transform,
    fetch=None,
))
