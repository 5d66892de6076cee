"""NSF NCSES: field-level employment and earnings of graduates by degree level (National Science Foundation).

Owns the file source ``nsf_ncses``: ``transform`` (bundled table CSVs -> ``core_nsf_ncses__field_outcomes``,
``raw_nsf_ncses__rows``). No fetch: NCSES tables are published as files (ncses.nsf.gov), bundled
unchanged with their READMEs. Must not open the warehouse.

Each NCSES table has its own layout; ``TABLES`` says, per table id, which survey and year it reports,
the dollar year of its money figures, and how to read it (``layout``):

- ``indicator_rows`` (10995, 1611): the row path is ``indicator -> All degree levels [-> level]``, each
  ``field_*`` column a field of highest degree. Heading rows without values are read and not loaded.
- ``field_rows_measure_columns`` (3300): the row path is ``field [-> subfield] [-> subgroup]`` of recent
  master's recipients, each column a measure.
- ``field_rows_plan_sex_columns`` (11704): the row path is ``... -> broad field [-> field]``, columns are
  postgraduation plan x sex (SED new doctorates).
- ``directorate_field`` (12410): directorate (carried down) and field, one median salary (SDR).

Cells: numbers (thousands separators allowed) are ``released``; ``s`` and ``D`` are ``suppressed``
(withheld for reliability or confidentiality), ``na`` is ``not_available``, a blank data cell is
``not_available``; the code and its reason travel with the null value. Labels lose their HTML
(``&#8217;`` -> ', ``<sup>d</sup>`` footnote marks dropped) and surrounding spaces.
"""

from __future__ import annotations

import csv
import html
import logging
import re
from pathlib import Path

import pandas as pd

from flows.sources import Source, register
from flows.sources.snapshot_files import snapshot_file
from flows.sources.tabular import raw_row, typed_frame
from flows.sources.lineage import quarantine_row, snapshot_id, source_file_of

logger = logging.getLogger("outcomes.sources.nsf_ncses")

NAME = "nsf_ncses"
OUTCOMES_TABLE = "core_nsf_ncses__field_outcomes"
RAW_TABLE = "raw_nsf_ncses__rows"

#: Per table: title, survey, survey year, dollar year, degree cohort, layout, fixed degree level.
TABLES: dict[str, dict] = {
    "10995": {"title": "Labor market indicators for S&E and S&E-related degree recipients earning their highest degree "
                       "between 2015 and 2021, by level and field of highest degree: 2021 (LBR-3)",
              "survey": "NSCG", "survey_year": 2021, "dollar_year": 2021, "layout": "indicator_rows",
              "cohort": "highest degree earned Jan 2015 - Feb 2021"},
    "1611": {"title": "Labor market indicators for recent S&E degree recipients up to 5 years after receiving degree, "
                      "by level and field of highest degree: 2017 (3-11)",
             "survey": "NSCG", "survey_year": 2017, "dollar_year": 2017, "layout": "indicator_rows",
             "cohort": "highest degree earned Feb 2012 - Feb 2016"},
    "3300": {"title": "Employment status and median salary of recent science, engineering, and health master's degree "
                      "recipients from U.S. educational institutions, by field of master's degree, sex, race, ethnicity, "
                      "and disability status: 2019 (9-14)",
             "survey": "NSCG", "survey_year": 2019, "dollar_year": 2019, "layout": "field_rows_measure_columns",
             "degree": "masters", "cohort": "master's degree from a U.S. institution in 2014-2017"},
    "11704": {"title": "Median basic annual salary for research doctorate recipients with definite postgraduation plans "
                       "in the United States, by broad field of doctorate, type of postgraduation plans, and sex: 2023 (6-6)",
              "survey": "SED", "survey_year": 2023, "dollar_year": 2023, "layout": "field_rows_plan_sex_columns",
              "degree": "doctoral", "cohort": "research doctorates awarded in academic year 2023"},
    "12410": {"title": "Median salary of research doctorates, by field of degree: 2021 (A-9)",
              "survey": "SDR", "survey_year": 2021, "dollar_year": 2021, "layout": "directorate_field",
              "degree": "doctoral", "cohort": "all U.S. research doctorate holders (any year of degree)"},
}

DEGREES = {"all degree levels": "all_levels", "bachelor's": "bachelors", "master's": "masters",
           "doctorate": "doctoral", "professional": "professional"}
INDICATORS = {
    "number of new graduates": ("graduates_count", "persons"),
    "employment rate (%)": ("employment_rate_pct", "percent"),
    "unemployment rate (%)": ("unemployment_rate_pct", "percent"),
    "out-of-field rate (%)": ("out_of_field_rate_pct", "percent"),
    "involuntarily out-of-field rate (%)": ("involuntarily_out_of_field_rate_pct", "percent"),
    "median annual earnings for employed individuals ($)": ("median_annual_earnings_usd", "usd"),
    "median annual salary ($)": ("median_annual_salary_usd", "usd"),
}
#: 3300 columns -> (indicator, unit).
MEASURE_COLUMNS = {
    "field_total": ("recipients_count", "persons"),
    "field_full_time_student": ("full_time_student_count", "persons"),
    "field_employed_in_s_e_or_s_e_related_occupationsa": ("employed_se_occupation_count", "persons"),
    "field_employed_in_non_s_e_occupationsb": ("employed_non_se_occupation_count", "persons"),
    "field_not_employed": ("not_employed_count", "persons"),
    "field_median_salary_for_full_time_employedc_": ("median_salary_full_time_employed_usd", "usd"),
}
#: 11704 column stems (plan) -> indicator; the suffix is the sex.
PLAN_COLUMNS = {
    "field_total_with_definite_plana_": "median_basic_salary_definite_plans_usd",
    "field_employment_": "median_basic_salary_employment_usd",
    "field_postdoctoral_study_": "median_basic_salary_postdoc_usd",
}
GROUPS = {"female": "female", "male": "male", "white": "white", "asian": "asian",
          "underrepresented minority": "underrepresented_minority", "without disability": "without_disability",
          "with disability": "with_disability", "total": "all"}
#: 10995 / 1611 field columns -> labels (the CSV has only the column names).
FIELD_COLUMNS = {
    "field_all_s_e_and_s_e_related_fields": ("All S&E and S&E-related fields", None),
    "field_s_e_fields_all_s_e_fields": ("All S&E fields", "S&E fields"),
    "field_all_s_e_fields": ("All S&E fields", None),
    "field_s_e_fields_biological_agricultural_and_environmental_life_sciences": ("Biological, agricultural, and environmental life sciences", "S&E fields"),
    "field_biological_agricultural_and_environmental_life_sciences": ("Biological, agricultural, and environmental life sciences", "S&E fields"),
    "field_s_e_fields_computer_and_mathematical_sciences": ("Computer and mathematical sciences", "S&E fields"),
    "field_computer_and_mathematical_sciences": ("Computer and mathematical sciences", "S&E fields"),
    "field_s_e_fields_physical_sciences": ("Physical sciences", "S&E fields"),
    "field_physical_sciences": ("Physical sciences", "S&E fields"),
    "field_s_e_fields_social_sciences": ("Social sciences", "S&E fields"),
    "field_social_sciences": ("Social sciences", "S&E fields"),
    "field_s_e_fields_engineering": ("Engineering", "S&E fields"),
    "field_engineering": ("Engineering", "S&E fields"),
    "field_s_e_related_fields": ("S&E-related fields", None),
}
CODES = {"s": ("suppressed", "s: suppressed by NCSES (too few sample cases for a reliable estimate, or confidentiality)"),
         "d": ("suppressed", "D: suppressed by NCSES to avoid disclosure of confidential information"),
         "na": ("not_available", "na: not applicable or not available (NCSES)"),
         "": ("not_available", "blank: no figure published in this cell")}
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class CellProblem(ValueError):
    pass


def clean_label(text: str | None) -> str:
    """HTML entities decoded, footnote marks (<sup>..</sup>, trailing letters like 'plana') kept out, spaces trimmed."""
    text = html.unescape(re.sub(r"<sup>.*?</sup>", "", text or ""))
    return re.sub(r"\s+", " ", text).strip()


def field_code(label: str) -> str:
    text = clean_label(label).lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def parse_cell(value: str | None) -> tuple[float | None, str, str | None, str | None]:
    """(value, value_status, suppression_code, suppression_reason) of one NCSES cell."""
    text = (value or "").strip()
    cleaned = text.replace(",", "")
    if _NUMBER.match(cleaned):
        return float(cleaned), "released", None, None
    if text.lower() in CODES:
        status, reason = CODES[text.lower()]
        return None, status, text or None, reason
    raise CellProblem(f"{text!r} is neither a number nor an NCSES code (s, D, na)")


def _path_parts(row: dict, prefix_hint: str) -> list[str]:
    """The row's hierarchy labels, cleaned (typographic apostrophes as ASCII, so "Master's" matches)."""
    levels = sorted(k for k in row if k.endswith(tuple(f"_level_{i}" for i in range(1, 10))) and prefix_hint in k)
    labels = (clean_label(row[k]).replace("\u2019", "'") for k in levels)
    return [label for label in labels if label]


def _cells_of_row(table_id: str, meta: dict, row: dict, parent: dict) -> list[dict]:
    """The core rows of one CSV row (without lineage columns). ``parent`` carries state down the rows."""
    layout, out = meta["layout"], []

    def cell(column, degree, label, parent_label, group, indicator, unit):
        value, status, code, reason = parse_cell(row.get(column))
        out.append({"ncses_column": column, "ncses_degree_level": degree, "field_code": field_code(label),
                    "field_label": label, "field_parent_label": parent_label, "ncses_group": group,
                    "ncses_indicator": indicator, "ncses_unit": unit, "ncses_value": value, "value_status": status,
                    "suppression_code": code, "suppression_reason": reason})

    if layout == "indicator_rows":
        parts = _path_parts(row, "indicator_and_highest_degree_level")
        if not parts or parts[-1].lower() not in DEGREES:
            return out  # a heading row (indicator name only)
        degree = DEGREES[parts[-1].lower()]
        ind = next((INDICATORS[p.lower()] for p in reversed(parts) if p.lower() in INDICATORS), None)
        if ind is None:
            raise CellProblem(f"no known indicator in the row path {' -> '.join(parts)!r}")
        for column in row:
            if column in FIELD_COLUMNS:
                label, parent_label = FIELD_COLUMNS[column]
                cell(column, degree, label, parent_label, "all", *ind)
            elif column.startswith("field_"):
                raise CellProblem(f"unknown field column {column!r}")
    elif layout == "field_rows_measure_columns":
        parts = _path_parts(row, "field_sex_race_ethnicity_and_disability_status")
        group = GROUPS.get(parts[-1].lower()) if len(parts) > 1 else None
        fields = parts[:-1] if group else parts
        group = group or "all"
        for column, (ind, unit) in MEASURE_COLUMNS.items():
            cell(column, meta["degree"], fields[-1], fields[-2] if len(fields) > 1 else None, group, ind, unit)
    elif layout == "field_rows_plan_sex_columns":
        parts = _path_parts(row, "field_of_doctorate")
        fields = parts[1:] or ["All fields"]  # the first level is the table's heading (its row: all fields)
        for column in row:
            stem = next((s for s in PLAN_COLUMNS if column.startswith(s)), None)
            if stem is None:
                continue
            cell(column, meta["degree"], fields[-1], fields[-2] if len(fields) > 1 else None,
                 GROUPS[column[len(stem):]], PLAN_COLUMNS[stem], "usd")
    elif layout == "directorate_field":
        directorate = clean_label(row.get("directorate")) or parent.get("directorate")
        parent["directorate"] = directorate
        label = clean_label(row.get("field_of_degree"))
        if label.lower() == "total":
            cell("median_salary", meta["degree"], directorate, None, "all", "median_annual_salary_usd", "usd")
        else:
            cell("median_salary", meta["degree"], label, directorate, "all", "median_annual_salary_usd", "usd")
    else:
        raise ValueError(f"nsf_ncses: unknown layout {layout!r}")
    return out


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """Bundled NCSES table CSVs -> one row per published cell, raw rows, quarantine."""
    snapshot_dir = Path(snapshot_dir)
    snap_id = snapshot_id(snapshot_dir)
    tables = {str(k): v for k, v in (config.get("tables") or {}).items()} or {t: f"table_{t}_data.csv" for t in TABLES}
    cells: list[dict] = []
    raws: list[dict] = []
    quarantine: list[dict] = []
    for table_id, name in tables.items():
        if table_id not in TABLES:
            raise ValueError(f"nsf_ncses: table {table_id} has no layout in flows/sources/nsf_ncses.py")
        meta = TABLES[table_id]
        path, digest = snapshot_file(snapshot_dir, name)
        src = source_file_of(path)
        parent: dict = {}
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=1):
                raws.append(raw_row(snap_id, src, n, row))
                problems = []
                if str(row.get("table_id", "")).strip() != table_id:
                    problems.append(("table_id", "matches_file", f"{src} row {n}: column 'table_id' value "
                                                                 f"{row.get('table_id')!r} breaks rule matches_file: expected {table_id}"))
                try:
                    found = _cells_of_row(table_id, meta, row, parent)
                except CellProblem as exc:
                    problems.append(("row", "ncses_cell", f"{src} row {n}: {exc}"))
                    found = []
                if problems:
                    quarantine.append(quarantine_row(src, digest, n, NAME, problems, row))
                    continue
                for c in found:
                    cells.append({"ncses_table_id": table_id, "ncses_row_id": row["row_id"],
                                  "ncses_table_title": meta["title"], "survey_name": meta["survey"],
                                  "survey_year": meta["survey_year"],
                                  "dollar_year": meta["dollar_year"] if c["ncses_unit"] == "usd" else None,
                                  "degree_cohort": meta["cohort"], **c, "snapshot_id": snap_id})
    return {
        OUTCOMES_TABLE: typed_frame(OUTCOMES_TABLE, cells),
        RAW_TABLE: typed_frame(RAW_TABLE, raws),
        "_quarantine": typed_frame("core_ingest__quarantine", quarantine),
    }


SOURCE = register(Source(
    name=NAME,
    title="NSF NCSES: employment and median earnings of graduates by degree level and field (NSCG, SED, SDR tables)",
    publisher="National Science Foundation, National Center for Science and Engineering Statistics (NCSES)",
    licence="Public domain (work of the U.S. federal government); cite NCSES and the survey",
    url="https://ncses.nsf.gov/",
    transform=transform,
))
