"""freeCodeCamp 2016 New Coder Survey (ODbL 1.0): bootcamp graduates as outcome records.

Owns reading the bundled survey file (``new_coder_survey_2016_part1.csv``, 15,653 responses)
into ``raw_freecodecamp_2016__responses`` (every response as text, with lineage) and mapping
the respondents who attended a full-time coding bootcamp AND finished it to rows of the
shared ``core_outcomes__graduate_outcomes`` and one program per named bootcamp in
``core_programs__programs`` (both with data_origin ``freecodecamp_2016``). The mapping, its
choices and its limits are documented in ``docs/sources/freecodecamp_2016.md``; in short:

- record_id ``fcc2016-<response id>``; person_key null; source_kind public_dataset;
  verification_level self_reported; collected_date = submit date.
- program_id ``fcc-<slug>`` per bootcamp name, names normalised (Unicode accents folded,
  case and whitespace ignored, punctuation -> '-'); pacing full_time (the question asked about
  a *full-time* coding bootcamp), modality, tuition, duration unknown (null).
- graduation_date = submit date - "How many months ago?" x 30.4375 days (approximate; there
  is no fixed measurement window: outcomes are as of the survey, 0 to 5 years after).
- "Were you able to get a full time developer job afterward?" 1 -> employed_full_time_in_field
  (role software_engineer); 0 -> seeking_employment (CIRR 3A, still seeking an in-field job);
  blank -> unknown (non-reporting).
- Salaries outside the ``base_salary`` field's range, not numbers, or given without a
  full-time job are never loaded: the record keeps base_salary null and a row in
  ``core_freecodecamp_2016__salary_flags`` names the rule.

Conservation: every response reaches the raw table (rows read = raw rows). Of the in-scope
responses (attended = 1 and finished = 1), every one is either an outcome record or a
``_quarantine`` row (missing bootcamp name, the "Free Code Camp is not a bootcamp" answer,
missing/unreadable months, a graduation date before bootcamps existed, an unreadable job
answer or submit date, a duplicate response id).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd

from schemas import TABLES

from flows.settings import relative
from flows.sources import Source, register
from flows.sources.snapshot_files import SnapshotError, files_config, read_manifest, snapshot_file
from flows.sources.lineage import problem, quarantine_frame, quarantine_row, snapshot_id
from schemas.checks import cohort_of
from schemas.model import FIELDS, VOCABULARIES
from schemas.tables.freecodecamp_2016 import RAW_FIELDS, SURVEY_COLUMNS
from schemas.vocab import in_field_of_status

SOURCE = "freecodecamp_2016"
FILE_KIND = "freecodecamp_2016_responses"
DAYS_PER_MONTH = 365.25 / 12
NOT_A_BOOTCAMP = "free code camp is not a bootcamp"
PROGRAM_NAME = "Full-time coding bootcamp"
FIELD_OF_STUDY = "software development"

# Column lists come from the schema metadata (one source of truth).
OUTCOME_COLUMNS = TABLES["core_outcomes__graduate_outcomes"].fields
PROGRAM_COLUMNS = TABLES["core_programs__programs"].fields
FLAG_COLUMNS = ("record_id", "fcc_bootcamp_post_salary", "flag_rule", "flag_message", "source_file",
                "source_row_number")

#: Job answer -> (outcome_status, role_category).
JOB_ANSWER = {
    "1": ("employed_full_time_in_field", "software_engineer"),
    "0": ("seeking_employment", None),
    "": ("unknown", None),
}


def normalise_name(name: str) -> str:
    """Case-, whitespace- and accent-insensitive key of a free-text bootcamp name."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(folded.split()).casefold()


def program_slug(name: str) -> str:
    """``fcc-<slug>`` program_id of a bootcamp name (at most 64 characters)."""
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(name)).strip("-")
    if not slug:
        raise ValueError(f"bootcamp name {name!r} has no letters or digits")
    return ("fcc-" + slug)[:64].rstrip("-")


def approx_graduation_date(submitted: pd.Timestamp, months_ago: float) -> pd.Timestamp:
    """Submit date minus the months, at 30.4375 days a month (an approximation, see the docs)."""
    return (submitted.normalize() - pd.Timedelta(days=round(months_ago * DAYS_PER_MONTH))).normalize()


def read_responses(path: Path) -> pd.DataFrame:
    """The survey file as text, columns renamed to the ``fcc_*`` fields after checking the header."""
    with open(path, newline="", encoding="utf-8") as fh:
        head = [h.strip() for h in next(csv.reader(fh), [])]
    expected = [h for _, h in SURVEY_COLUMNS]
    if head != expected:
        diff = next(i for i in range(max(len(head), len(expected)))
                    if i >= len(head) or i >= len(expected) or head[i] != expected[i])
        raise SnapshotError(f"{relative(path)}: header column {diff + 1} is "
                            f"{head[diff] if diff < len(head) else None!r}, expected "
                            f"{expected[diff] if diff < len(expected) else None!r} (the survey's part-1 layout)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, header=None, skiprows=1, encoding="utf-8")
    df.columns = list(RAW_FIELDS)
    return df


def _salary_flag(answer: str, has_job: bool) -> tuple[float | None, tuple[str, str] | None]:
    """(salary to load, (rule, explanation) when the answer is not loaded)."""
    text = answer.strip().replace(",", "")
    if text == "":
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, ("salary_not_a_number", "the salary answer is not a number")
    if not has_job:
        return None, ("salary_without_full_time_job",
                      "a salary was given but the respondent did not report a full-time developer job")
    f = FIELDS["base_salary"]
    if not (f.min <= value <= f.max):
        return None, ("salary_outside_base_salary_range",
                      f"outside the base_salary range {f.min:g}-{f.max:g} USD a year (implausible)")
    return value, None


def transform(snapshot_dir: Path, config: dict | None = None) -> dict[str, pd.DataFrame]:
    cfg = files_config(SOURCE, config)
    snapshot_dir = Path(snapshot_dir)
    read_manifest(snapshot_dir)
    path, digest = snapshot_file(snapshot_dir, cfg["responses_file"])
    source_file = relative(path)
    snap = snapshot_id(snapshot_dir)
    earliest = pd.Timestamp(cfg["earliest_graduation_date"])
    df = read_responses(path)

    raw = df.copy()
    raw["source_file"] = source_file
    raw["source_sha256"] = digest
    raw["source_row_number"] = pd.array(range(1, len(df) + 1), dtype="Int64")
    raw["snapshot_id"] = snap

    cirr = VOCABULARIES["outcome_status"].mappings["cirr"]
    nace = VOCABULARIES["outcome_status"].mappings["nace"]

    outcomes, flags, quarantine = [], [], []
    seen_ids: dict[str, int] = {}
    names_by_slug: dict[str, Counter] = {}
    first_row: dict[str, int] = {}
    for i, rec in enumerate(df.to_dict("records"), start=1):
        if rec["fcc_bootcamp_attended"].strip() != "1" or rec["fcc_bootcamp_finished"].strip() != "1":
            continue
        problems = []
        rid = rec["fcc_response_id"].strip()
        if rid in seen_ids:
            problems.append(problem(source_file, i, "#", rid, "duplicate_response_id", f"same id as row {seen_ids[rid]}"))
        name = " ".join(rec["fcc_bootcamp_name"].split())
        slug = None
        if not name:
            problems.append(problem(source_file, i, "Which one?", rec["fcc_bootcamp_name"], "bootcamp_name_missing",
                                    "a finished bootcamp needs a name to map to a program"))
        elif normalise_name(name).startswith(NOT_A_BOOTCAMP):
            problems.append(problem(source_file, i, "Which one?", name, "not_a_bootcamp",
                                    "the survey's own answer telling respondents to change 'attended a bootcamp' to no"))
        else:
            slug = program_slug(name)
        submitted = pd.to_datetime(rec["fcc_submit_date_utc"].strip() or None, errors="coerce")
        if pd.isna(submitted):
            problems.append(problem(source_file, i, "Submit Date (UTC)", rec["fcc_submit_date_utc"],
                                    "submit_date_unreadable", "not a date-time"))
        months_text = rec["fcc_bootcamp_months_ago"].strip()
        grad = None
        try:
            months = float(months_text) if months_text else None
        except ValueError:
            months = None
        if months_text == "":
            problems.append(problem(source_file, i, "How many months ago?", months_text, "months_ago_missing",
                                    "the graduation date cannot be approximated without it"))
        elif months is None or months < 0:
            problems.append(problem(source_file, i, "How many months ago?", months_text, "months_ago_not_number",
                                    "not a non-negative number of months"))
        elif not pd.isna(submitted):
            grad = approx_graduation_date(submitted, months)
            if grad < earliest:
                problems.append(problem(source_file, i, "How many months ago?", months_text,
                                        "graduation_before_bootcamps_existed",
                                        f"graduation about {grad.date()} is before {earliest.date()}, when the first "
                                        "full-time coding bootcamps opened"))
        job = rec["fcc_bootcamp_full_job_after"].strip()
        if job not in JOB_ANSWER:
            problems.append(problem(source_file, i, "Were you able to get a full time developer job afterward?", job,
                                    "full_job_answer_unreadable", "expected 1, 0 or blank"))
        if problems:
            quarantine.append(quarantine_row(source_file, digest, i, FILE_KIND, problems,
                                             {h: rec[f] for f, h in SURVEY_COLUMNS}))
            continue
        seen_ids[rid] = i
        record_id = f"fcc2016-{rid}"
        status, role = JOB_ANSWER[job]
        salary, flag = _salary_flag(rec["fcc_bootcamp_post_salary"], has_job=job == "1")
        if flag:
            rule, why = flag
            flags.append({"record_id": record_id, "fcc_bootcamp_post_salary": rec["fcc_bootcamp_post_salary"],
                          "flag_rule": rule,
                          "flag_message": problem(source_file, i, "How much was your salary?",
                                                  rec["fcc_bootcamp_post_salary"], rule, why)[2],
                          "source_file": source_file, "source_row_number": i})
        names_by_slug.setdefault(slug, Counter())[name] += 1
        first_row.setdefault(slug, i)
        outcomes.append({
            "record_id": record_id, "person_key": None, "program_id": slug, "graduation_date": grad,
            "cohort": cohort_of(grad), "graduation_year": grad.year,
            "class_year": grad.year + (1 if grad.month >= 7 else 0),
            "outcome_status": status, "cirr_category": cirr[status], "nace_category": nace[status],
            "is_in_field": in_field_of_status(status), "role_category": role,
            "base_salary": salary, "salary_currency": "USD", "base_salary_usd": salary,
            "source_kind": "public_dataset", "collected_date": submitted.normalize(),
            "verification_level": "self_reported", "data_origin": SOURCE, "source_file": source_file,
            "source_sha256": digest, "source_row_number": i,
        })

    out = pd.DataFrame(outcomes, columns=list(OUTCOME_COLUMNS))
    for col in ("graduation_date", "collected_date", "job_start_date"):
        out[col] = pd.to_datetime(out[col])
    for col in ("graduation_year", "class_year", "days_to_job_start", "source_row_number"):
        out[col] = out[col].astype("Int64")
    for col in ("prior_salary", "prior_salary_usd", "years_experience", "base_salary", "base_salary_usd"):
        out[col] = out[col].astype("float64")
    out["is_in_field"] = out["is_in_field"].astype("boolean")

    programs = []
    for slug, names in sorted(names_by_slug.items()):
        shown = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        n = sum(names.values())
        variants = "; ".join(sorted(names))
        programs.append({
            "program_id": slug, "institution_name": shown, "program_name": PROGRAM_NAME, "pathway": "bootcamp",
            "field_of_study": FIELD_OF_STUDY, "pacing": "full_time",
            "program_source": (f"freeCodeCamp 2016 New Coder Survey, answer to 'Which one?' by {n} respondent(s) "
                               f"who finished (spellings: {variants}); self-reported, not checked against the provider"),
            "data_origin": SOURCE, "source_file": source_file, "source_row_number": first_row[slug],
        })
    progs = pd.DataFrame(programs, columns=list(PROGRAM_COLUMNS))
    for col in ("duration_months", "tuition_fees_usd"):
        progs[col] = progs[col].astype("float64")
    progs["source_row_number"] = progs["source_row_number"].astype("Int64")

    fl = pd.DataFrame(flags, columns=list(FLAG_COLUMNS))
    fl["source_row_number"] = fl["source_row_number"].astype("Int64")
    return {
        "raw_freecodecamp_2016__responses": raw,
        "core_outcomes__graduate_outcomes": out,
        "core_programs__programs": progs,
        "core_freecodecamp_2016__salary_flags": fl,
        "_quarantine": quarantine_frame(quarantine),
    }


SOURCE_DEF = register(Source(
    name=SOURCE,
    title="freeCodeCamp 2016 New Coder Survey (part 1)",
    publisher="freeCodeCamp and CodeNewbie",
    licence="Open Database License (ODbL 1.0): attribute; share derived databases alike",
    url="https://github.com/freeCodeCamp/2016-new-coder-survey",
    transform=transform,
    fetch=None,
))
