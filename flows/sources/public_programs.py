"""Public programs: the cells of program-level public sources become programs with their own outcomes.

Owns the shared rules of ``schemas/tables/public_programs.py``: which cells are in scope, the
program id, the pathway of a credential level, academic-year parsing, the CPI-U code table and the
core build step that turns the loaded source cells into programs. Connectors (College Scorecard,
Census PSEO, Colorado ROI) call ``cell_row`` / ``outcome_row`` in their transforms; the core build
(``flows.warehouse.build_core``) calls ``build(con)`` once every source is loaded.

Program identity (one real program seen by several sources is one program):

- ``ipeds-<unitid>-<cip digits>-<credential_level>`` when the institution's IPEDS UNITID is known
  (Scorecard: in the file; PSEO and Colorado: through ``core_links__institution_crosswalk``);
  e.g. ``ipeds-126614-1107-masters`` (University of Colorado Boulder, CIP 11.07, master's).
- otherwise the publisher's own code: ``pseo-<8 digits>-<cip>-<level>``, ``co-<4 digits>-<cip>-<level>``.
- A PSEO cell at 2-digit CIP (PSEO publishes graduate degrees only at 2-digit CIP) is its own
  program, ``ipeds-126614-11-masters``, linked in ``core_public__program_cip_links`` to the 4-digit
  programs of the same institution and level, never merged into one of them: its figures pool every
  program of the family.

The program row of ``core_programs__programs`` (data_origin ``public_records``) takes its institution
name from the first source in ``NAME_PRIORITY`` that publishes the program (Scorecard's IPEDS name,
then the crosswalk's IPEDS name, then the publisher's label). Every source's figures stay in
``core_public__program_outcomes`` under their own data_origin: never averaged across sources.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd

from flows.settings import raw_dir, relative
from flows.sources.snapshot_files import SnapshotError, files_config
from schemas.generate import pandera_model
from schemas.model import TABLES

SOURCE = "public_programs"
ORIGIN = "public_records"
CELLS = "core_public__program_cells"
OUTCOMES = "core_public__program_outcomes"
CPI_SERIES = "CUUR0000SA0"

#: credential_level -> pathway (schemas/vocab.py).
PATHWAY = {
    "undergraduate_certificate": "certificate", "post_baccalaureate_certificate": "certificate",
    "post_masters_certificate": "certificate", "graduate_certificate": "certificate",
    "associate": "associate", "bachelors": "bachelors", "masters": "masters", "doctoral": "phd",
    "first_professional": "other", "other_doctoral": "other",
}
CREDENTIAL_WORDS = {
    "undergraduate_certificate": "Undergraduate certificate", "post_baccalaureate_certificate": "Post-baccalaureate certificate",
    "post_masters_certificate": "Post-master's certificate", "graduate_certificate": "Graduate certificate",
    "associate": "Associate degree", "bachelors": "Bachelor's degree", "masters": "Master's degree",
    "doctoral": "Research doctorate", "first_professional": "First professional degree", "other_doctoral": "Other doctorate",
}
#: credential_level -> PSEO degree level (the one PSEO code of each level; certificates have several).
PSEO_LEVEL_OF = {"associate": "03", "bachelors": "05", "post_baccalaureate_certificate": "06", "masters": "07",
                 "post_masters_certificate": "08", "doctoral": "17", "first_professional": "18", "other_doctoral": "19"}

#: Order in which sources name a program (the first that publishes it wins).
NAME_PRIORITY = ("college_scorecard", "census_pseo", "colorado_roi")

#: 2-digit CIP families, Colorado's CIP titles are 4-digit only; PSEO's 2-digit titles (CIP 2020).
CIP2_TITLES = {
    "11": "Computer and Information Sciences and Support Services",
    "27": "Mathematics and Statistics",
    "30": "Multi/Interdisciplinary Studies",
    "14": "Engineering",
    "26": "Biological and Biomedical Sciences",
}


def config(override: dict | None = None) -> dict:
    return files_config(SOURCE, override)


def program_scope(cfg: dict | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(4-digit CIP prefixes that make programs, 2-digit families whose 2-digit-only cells make programs)."""
    cfg = config(cfg)
    cip4 = tuple(str(c).replace(".", "") for c in cfg.get("program_cip_prefixes", ["11", "27.05", "30.70", "30.08"]))
    cip2 = tuple(str(c) for c in cfg.get("program_cip2_families", ["11", "27"]))
    return cip4, cip2


def in_program_scope(cip_code: str | None, cfg: dict | None = None) -> bool:
    """Whether a cell (CIP in the project's dot form) is a program: 4/6-digit codes under the prefixes,
    2-digit codes of the 2-digit families."""
    if not cip_code:
        return False
    cip4, cip2 = program_scope(cfg)
    digits = cip_code.replace(".", "")
    if len(digits) == 2:
        return digits in cip2
    return any(digits.startswith(p) for p in cip4)


def program_id(cip_code: str, credential_level: str, *, unitid: str | None = None,
               pseo_institution_id: str | None = None, colorado_entity_id: str | None = None) -> str:
    """Stable program id: the IPEDS form when the UNITID is known, else the publisher's code."""
    digits = cip_code.replace(".", "")
    if unitid:
        return f"ipeds-{unitid}-{digits}-{credential_level}"
    if pseo_institution_id:
        return f"pseo-{pseo_institution_id}-{digits}-{credential_level}"
    if colorado_entity_id:
        return f"co-{colorado_entity_id}-{digits}-{credential_level}"
    raise ValueError("a public program needs a UNITID, a PSEO institution code or a Colorado code")


_AY = re.compile(r"AY(\d{4})-(\d{2})")
_CY = re.compile(r"CY(\d{4})")
_DOLLARS = re.compile(r"adjusted to (\d{4}) dollars")


def parse_cohort_text(text: str) -> dict:
    """Scorecard cohort-map text -> cohort label, first/last completion year, measurement years, dollar year.

    'Treasury AY2014-15, AY2015-16 pooled earnings cohort measured in CY2016, CY2017, inflation adjusted
    to 2018 dollars' -> label 'AY2014-15, AY2015-16', 2015, 2016, 'CY2016, CY2017', 2018.
    """
    ays = _AY.findall(text or "")
    cys = _CY.findall(text or "")
    dollars = _DOLLARS.search(text or "")
    ends = [int(a[0]) + 1 for a in ays]
    return {
        "grad_cohort": ", ".join(f"AY{a}-{b}" for a, b in ays) or None,
        "cohort_first_year": min(ends) if ends else None,
        "cohort_last_year": max(ends) if ends else None,
        "measurement_period": ", ".join(f"CY{c}" for c in cys) or None,
        "dollar_year": int(dollars.group(1)) if dollars else None,
    }


def cell_row(*, data_origin: str, institution_id: str, cip_code: str, credential_level_code: str,
             credential_level: str, snapshot_id: str, unitid: str | None = None, opeid6: str | None = None,
             pseo_institution_id: str | None = None, colorado_entity_id: str | None = None,
             institution_name: str | None = None, state_code: str | None = None,
             institution_control: str | None = None, cip_title: str | None = None) -> dict:
    return {"data_origin": data_origin, "institution_id": institution_id, "cip_code": cip_code,
            "credential_level_code": credential_level_code, "credential_level": credential_level,
            "program_id": None, "unitid": unitid, "opeid6": opeid6, "pseo_institution_id": pseo_institution_id,
            "colorado_entity_id": colorado_entity_id, "institution_name": institution_name,
            "state_code": state_code, "institution_control": institution_control, "cip_title": cip_title,
            "snapshot_id": snapshot_id}


def outcome_row(*, data_origin: str, institution_id: str, cip_code: str, credential_level_code: str,
                measure: str, years: int, value: float | None, value_unit: str, value_status: str,
                snapshot_id: str, grad_cohort: str, cohorts_differ: bool, value_count: int | None = None,
                cohort_first_year: int | None = None, cohort_last_year: int | None = None,
                measurement_period: str | None = None, dollar_year: int | None = None,
                dollar_year_basis: str | None = None, suppression_code: str | None = None,
                suppression_reason: str | None = None, source_file: str | None = None,
                source_row_number: int | None = None) -> dict:
    return {"program_id": None, "data_origin": data_origin, "institution_id": institution_id, "cip_code": cip_code,
            "credential_level_code": credential_level_code, "measure": measure, "years_after_graduation": years,
            "grad_cohort": grad_cohort, "cohort_first_year": cohort_first_year, "cohort_last_year": cohort_last_year,
            "measurement_period": measurement_period, "value": value, "value_unit": value_unit,
            "value_count": value_count, "dollar_year": dollar_year if value_unit.startswith("usd") else None,
            "dollar_year_basis": dollar_year_basis if value_unit.startswith("usd") else None,
            "constant_dollar_year": None, "value_constant_dollars": None,
            "cohorts_differ_across_horizons": cohorts_differ, "value_status": value_status,
            "suppression_code": suppression_code,
            "suppression_reason": suppression_reason if value_status != "released" else None,
            "snapshot_id": snapshot_id, "source_file": source_file, "source_row_number": source_row_number}


# --- CPI-U code table --------------------------------------------------------------------

def read_cpi(path: Path) -> pd.DataFrame:
    """``cpi_u_annual.csv`` (comment lines start with '#': the source line) -> core_reference__cpi_u_annual."""
    path = Path(path)
    if not path.is_file():
        raise SnapshotError(f"{relative(path)}: CPI-U annual averages missing (needed for constant dollars)")
    with open(path, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    rows = []
    for i, rec in enumerate(csv.DictReader(lines), start=1):
        try:
            year, value = int(rec["year"]), float(rec["cpi_u_annual_average"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SnapshotError(f"{relative(path)} data row {i}: columns year, cpi_u_annual_average must be a year "
                                f"and a number, got {rec!r} ({exc})") from None
        if rec.get("series_id", CPI_SERIES) != CPI_SERIES:
            raise SnapshotError(f"{relative(path)} data row {i}: series_id {rec.get('series_id')!r} is not {CPI_SERIES}")
        rows.append({"cpi_year": year, "cpi_u_annual_average": value, "cpi_series_id": CPI_SERIES,
                     "source_file": relative(path)})
    df = pd.DataFrame(rows, columns=list(TABLES["core_reference__cpi_u_annual"].fields))
    df["cpi_year"] = df["cpi_year"].astype("Int64")
    return pandera_model("core_reference__cpi_u_annual").validate(df, lazy=True)


def cpi_path(cfg: dict | None = None) -> Path:
    return raw_dir() / config(cfg).get("cpi_file", "reference/cpi_u_annual.csv")


# --- core build --------------------------------------------------------------------------

_PROGRAM_COLS = TABLES["core_programs__programs"].fields


def build(con: duckdb.DuckDBPyConnection, cfg: dict | None = None) -> dict[str, int]:
    """Resolve program ids, build core_public__programs, the public rows of core_programs__programs,
    the CIP-2 links and the constant-dollar columns. Idempotent; runs after every source is loaded."""
    cfg = config(cfg)
    con.execute(f"DELETE FROM core_programs__programs WHERE data_origin = '{ORIGIN}'")
    for t in ("core_public__programs", "core_public__program_cip_links"):
        con.execute(f"DELETE FROM {t}")
    n_cells = con.execute(f"SELECT count(*) FROM {CELLS}").fetchall()[0][0]
    if not n_cells:
        return {"programs": 0}
    con.execute("DELETE FROM core_reference__cpi_u_annual")
    cpi = read_cpi(cpi_path(cfg))
    con.register("_cpi", cpi)
    con.execute("INSERT INTO core_reference__cpi_u_annual SELECT * FROM _cpi")
    con.unregister("_cpi")
    constant_year = int(cfg.get("constant_dollar_year", 2023))
    if constant_year not in set(cpi["cpi_year"].astype(int)):
        raise SnapshotError(f"constant_dollar_year {constant_year} has no CPI-U annual average in {relative(cpi_path(cfg))}")

    # 1. Institution identifiers of PSEO and Colorado cells from the crosswalk; then program ids.
    con.execute(f"""
        UPDATE {CELLS} c SET unitid = x.unitid, opeid6 = coalesce(c.opeid6, x.opeid6)
        FROM core_links__institution_crosswalk x
        WHERE c.data_origin = x.crosswalk_source AND c.institution_id = x.source_institution_id
          AND x.unitid IS NOT NULL
    """)
    con.execute(f"""
        UPDATE {CELLS} SET program_id = CASE
            WHEN unitid IS NOT NULL THEN 'ipeds-' || unitid || '-' || replace(cip_code, '.', '') || '-' || credential_level
            WHEN pseo_institution_id IS NOT NULL THEN 'pseo-' || pseo_institution_id || '-' || replace(cip_code, '.', '') || '-' || credential_level
            ELSE 'co-' || colorado_entity_id || '-' || replace(cip_code, '.', '') || '-' || credential_level END
    """)
    con.execute(f"""
        UPDATE {OUTCOMES} o SET program_id = c.program_id
        FROM {CELLS} c
        WHERE o.data_origin = c.data_origin AND o.institution_id = c.institution_id AND o.cip_code = c.cip_code
          AND o.credential_level_code = c.credential_level_code
    """)
    # 2. Constant dollars (USD values with a known dollar year only).
    con.execute(f"""
        UPDATE {OUTCOMES} o SET constant_dollar_year = {constant_year},
            value_constant_dollars = CASE WHEN o.value IS NULL OR o.dollar_year IS NULL THEN NULL
                ELSE round(o.value * k.cpi_u_annual_average / d.cpi_u_annual_average, 2) END
        FROM core_reference__cpi_u_annual k, core_reference__cpi_u_annual d
        WHERE o.value_unit LIKE 'usd%' AND k.cpi_year = {constant_year} AND d.cpi_year = o.dollar_year
    """)
    missing = con.execute(f"""SELECT DISTINCT dollar_year FROM {OUTCOMES}
                              WHERE value_unit LIKE 'usd%' AND dollar_year IS NOT NULL AND constant_dollar_year IS NULL""").fetchall()
    if missing:
        raise SnapshotError(f"no CPI-U annual average for dollar year(s) {sorted(r[0] for r in missing)} in "
                            f"{relative(cpi_path(cfg))}")
    # 3. One row per program: identifiers and name from the first source in NAME_PRIORITY.
    rank = "CASE data_origin " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(NAME_PRIORITY)) + " ELSE 99 END"
    pathway = "CASE credential_level " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PATHWAY.items()) + " END"
    words = "CASE credential_level " + " ".join(f"WHEN '{k}' THEN '{v.replace(chr(39), chr(39) * 2)}'"
                                                 for k, v in CREDENTIAL_WORDS.items()) + " END"
    cip2 = "CASE " + " ".join(f"WHEN cip_code = '{k}' THEN '{v}'" for k, v in CIP2_TITLES.items()) + " END"
    con.execute(f"""
        INSERT INTO core_public__programs
        WITH c AS (
            SELECT c.*, {rank} AS src_rank, x.ipeds_institution_name
            FROM {CELLS} c LEFT JOIN core_links__institution_crosswalk x
              ON x.crosswalk_source = c.data_origin AND x.source_institution_id = c.institution_id
        )
        SELECT program_id,
               first(unitid ORDER BY src_rank) FILTER (WHERE unitid IS NOT NULL),
               first(opeid6 ORDER BY src_rank) FILTER (WHERE opeid6 IS NOT NULL),
               first(pseo_institution_id ORDER BY src_rank) FILTER (WHERE pseo_institution_id IS NOT NULL),
               first(colorado_entity_id ORDER BY src_rank) FILTER (WHERE colorado_entity_id IS NOT NULL),
               first(coalesce(CASE WHEN data_origin = 'college_scorecard' THEN institution_name END,
                              ipeds_institution_name, institution_name) ORDER BY src_rank),
               first(state_code ORDER BY src_rank) FILTER (WHERE state_code IS NOT NULL),
               first(institution_control ORDER BY src_rank) FILTER (WHERE institution_control IS NOT NULL),
               first(cip_code), 
               coalesce(first(cip_title ORDER BY src_rank) FILTER (WHERE cip_title IS NOT NULL), first({cip2})),
               first(credential_level), first({pathway}),
               string_agg(DISTINCT data_origin, '; ' ORDER BY data_origin)
        FROM c GROUP BY program_id ORDER BY program_id
    """)
    # 4. The same programs as rows of core_programs__programs.
    values = {
        "program_id": "program_id", "institution_name": "institution_name",
        "program_name": f"coalesce(rtrim(cip_title, '.'), 'CIP ' || cip_code) || ' (' || {words} || ', CIP ' || cip_code || ')'",
        "pathway": "pathway", "field_of_study": "rtrim(cip_title, '.')", "cip_code": "cip_code",
        "state_code": "state_code", "country_code": "'US'",
        "program_source": "'Public records: ' || public_sources || ' (figures in core_public__program_outcomes)'",
        "data_origin": f"'{ORIGIN}'",
    }
    cols = [c for c in _PROGRAM_COLS if c in values]
    con.execute(f"""
        INSERT INTO core_programs__programs ({', '.join(cols)})
        SELECT {', '.join(values[c] for c in cols)} FROM core_public__programs p
        WHERE NOT EXISTS (SELECT 1 FROM core_programs__programs q WHERE q.program_id = p.program_id)
        ORDER BY program_id
    """)
    # 5. 2-digit programs -> 4-digit programs of the same institution and level.
    con.execute("""
        INSERT INTO core_public__program_cip_links
        SELECT DISTINCT two.program_id, four.program_id
        FROM core_public__programs two JOIN core_public__programs four
          ON length(two.cip_code) = 2 AND length(four.cip_code) > 2
         AND starts_with(four.cip_code, two.cip_code || '.')
         AND four.credential_level = two.credential_level
         AND (four.unitid = two.unitid OR (two.unitid IS NULL AND four.pseo_institution_id = two.pseo_institution_id))
        ORDER BY ALL
    """)
    # 6. Each public program linked to its own publisher cells (UNITID / PSEO code, CIP, level), so that the
    #    statistics' public-earnings benchmarks and the program pages show its figures. Derived links have no
    #    source_file; a curated link of the same program_id wins.
    pseo_level = "CASE credential_level " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PSEO_LEVEL_OF.items()) + " END"
    con.execute("DELETE FROM core_links__program_public_ids WHERE source_file IS NULL AND link_note LIKE 'Derived:%'")
    con.execute(f"""
        INSERT INTO core_links__program_public_ids
            (program_id, unitid, opeid6, pseo_institution_id, cip_code, credential_level, pseo_degree_level, link_note)
        SELECT program_id, unitid, opeid6, pseo_institution_id, cip_code, credential_level,
               CASE WHEN pseo_institution_id IS NOT NULL THEN {pseo_level} END,
               'Derived: the public program''s own cells in ' || public_sources
        FROM core_public__programs p
        WHERE (unitid IS NOT NULL OR pseo_institution_id IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM core_links__program_public_ids l WHERE l.program_id = p.program_id)
        ORDER BY program_id
    """)
    return {"programs": con.execute("SELECT count(*) FROM core_public__programs").fetchall()[0][0]}
