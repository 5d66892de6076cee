"""Institution crosswalk: Census PSEO and Colorado ROI institution codes -> IPEDS UNITID / OPEID6.

Owns proposing ``data/raw/links/public_institution_crosswalk.csv`` from the publishers' own files
(the curated file is what the pipeline reads: ``flows/sources/program_links.py`` loads it into
``core_links__institution_crosswalk``). Regenerate it with

    .venv/bin/python -m flows.sources.public_crosswalk <pseoe_all.csv> <label_institution.csv> \
        <ROI2019 workbook.xlsx> <MERGED..._PP.csv> data/raw/links/public_institution_crosswalk.csv

and review every row whose ``match_method`` is not exact. Methods, tried in order:

- PSEO: ``opeid8_exact`` -- the 8-digit PSEO institution code (OPEID + 2-digit branch) equals the
  8-digit OPEID of exactly one institution of the Scorecard institution file.
- ``name_state_exact`` -- normalised name (case, punctuation, '&'/'and', a leading 'The') and state
  equal those of exactly one Scorecard institution.
- ``name_state_reviewed`` -- a reviewer's decision in ``REVIEWED`` (renamed institutions, system
  campuses), with the reason in ``review_note``.
- ``unmatched`` -- no IPEDS institution: the source's own code identifies its programs, with the
  reason in ``review_note`` when a reviewer looked.

One IPEDS institution is never the target of two codes of the same source (checked): two reporting
units would otherwise pour two sets of figures into one program.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

COLUMNS = ("crosswalk_source", "source_institution_id", "source_institution_name", "state_code", "unitid",
           "opeid6", "ipeds_institution_name", "match_method", "review_note")

#: (source, source code) -> (UNITID or "", note). Reviewed by hand against the Scorecard institution file.
REVIEWED: dict[tuple[str, str], tuple[str, str]] = {
    ("census_pseo", "04243900"): ("", "UT Health Science Center at Tyler (PSEO label, Tyler TX) is not in the 2023-24 "
                                      "institution file (merged into The University of Texas at Tyler in 2021); kept under its PSEO code"),
    ("colorado_roi", "0504"): ("126818", "Colorado reports the Fort Collins flagship as 'Colorado State University'; IPEDS "
                                         "'Colorado State University-Fort Collins' (OPEID 00135000, the PSEO code of the same campus)"),
    ("colorado_roi", "4504"): ("476975", "'CSU-Global Campus' is IPEDS 'Colorado State University Global' (OPEID 04208700)"),
    ("colorado_roi", "0522"): ("127778", "Otero Junior College was renamed Otero College (same OPEID 00136200)"),
    ("colorado_roi", "0509"): ("127820", "Pikes Peak Community College was renamed Pikes Peak State College in 2022 (OPEID 00889600)"),
    ("colorado_roi", "0528"): ("128258", "Trinidad State Junior College was renamed Trinidad State College in 2022 (OPEID 00136800)"),
    ("colorado_roi", "0536"): ("128391", "Western State Colorado University was renamed Western Colorado University in 2018 (OPEID 00137200)"),
    ("colorado_roi", "6326"): ("126915", "Delta Montrose Technical College was renamed Technical College of the Rockies (Delta, CO)"),
    ("colorado_roi", "0533"): ("126562", "IPEDS reports 'University of Colorado Denver/Anschutz Medical Campus' as one "
                                         "institution (OPEID 00450800, the PSEO code of UC Denver)"),
    ("colorado_roi", "6057"): ("", "University of Colorado - Health Sciences Center (Anschutz) is reported by IPEDS inside "
                                   "UNITID 126562 with UC Denver, which Colorado reports separately (code 0533): kept "
                                   "under its Colorado code so that two reporting units never share one program"),
}


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive name key ('The University of Texas at Austin' ->
    'university of texas at austin'; 'Colorado State University - Pueblo' -> 'colorado state university pueblo')."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def read_scorecard_institutions(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def read_pseo_institutions(earnings_csv: Path, labels_csv: Path) -> list[tuple[str, str, str]]:
    """(8-digit code, label, state) of every institution with PSEO earnings rows."""
    from flows.sources.census_pseo import read_labels, restore_institution

    labels = read_labels(labels_csv)
    codes = set()
    with open(earnings_csv, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r.get("inst_level", "I") in ("I", ""):
                codes.add(restore_institution(r["institution"]))
    return [(c, *(labels.get(c) or ("", ""))) for c in sorted(codes)]


def read_colorado_institutions(workbook: Path) -> list[tuple[str, str, str]]:
    """(4-digit SURDS code, name, 'CO') of every institution of the ROI workbook (not the -1 aggregate)."""
    from flows.sources.colorado_roi import read_workbook

    seen = {}
    for _, _, rec in read_workbook(workbook):
        code = rec.get("EntityId", "")
        if code.isdigit():
            seen.setdefault(code.zfill(4), rec.get("ENTITYNAME", ""))
    return [(c, n, "CO") for c, n in sorted(seen.items())]


def propose(pseo: list[tuple[str, str, str]], colorado: list[tuple[str, str, str]],
            scorecard: list[dict]) -> list[dict]:
    """Crosswalk rows (COLUMNS) for every PSEO and Colorado institution."""
    by_opeid = {}
    for r in scorecard:
        by_opeid.setdefault(r.get("OPEID", ""), []).append(r)
    by_name = {}
    for r in scorecard:
        by_name.setdefault((normalise_name(r["INSTNM"]), r.get("STABBR", "")), []).append(r)
    by_unitid = {r["UNITID"]: r for r in scorecard}
    rows = []
    for source, items in (("census_pseo", pseo), ("colorado_roi", colorado)):
        for code, name, state in items:
            hit, method, note = None, "unmatched", ""
            if (source, code) in REVIEWED:
                unitid, note = REVIEWED[(source, code)]
                hit = by_unitid.get(unitid) if unitid else None
                if unitid and hit is None:
                    raise ValueError(f"reviewed UNITID {unitid} for {source} {code} is not in the institution file")
                method = "name_state_reviewed" if hit else "unmatched"
            elif source == "census_pseo" and len(by_opeid.get(code, [])) == 1:
                hit, method = by_opeid[code][0], "opeid8_exact"
            elif len(by_name.get((normalise_name(name), state), [])) == 1:
                hit, method = by_name[(normalise_name(name), state)][0], "name_state_exact"
            rows.append({"crosswalk_source": source, "source_institution_id": code, "source_institution_name": name,
                         "state_code": state or "", "unitid": hit["UNITID"] if hit else "",
                         "opeid6": hit.get("OPEID6", "") if hit else "",
                         "ipeds_institution_name": hit["INSTNM"] if hit else "", "match_method": method,
                         "review_note": note})
    check_one_to_one(rows)
    return rows


def check_one_to_one(rows: list[dict]) -> None:
    """No UNITID is the target of two codes of one source; no code appears twice."""
    seen_code, seen_unitid = {}, {}
    for r in rows:
        k = (r["crosswalk_source"], r["source_institution_id"])
        if k in seen_code:
            raise ValueError(f"crosswalk: {k} appears twice")
        seen_code[k] = True
        if r["unitid"]:
            u = (r["crosswalk_source"], r["unitid"])
            if u in seen_unitid:
                raise ValueError(f"crosswalk: UNITID {r['unitid']} is the target of {seen_unitid[u]} and "
                                 f"{r['source_institution_id']} ({r['crosswalk_source']})")
            seen_unitid[u] = r["source_institution_id"]


def write(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str]) -> int:
    earnings, labels, workbook, institutions, out = (Path(a) for a in argv)
    rows = propose(read_pseo_institutions(earnings, labels), read_colorado_institutions(workbook),
                   read_scorecard_institutions(institutions))
    write(rows, out)
    counts = {}
    for r in rows:
        counts[(r["crosswalk_source"], r["match_method"])] = counts.get((r["crosswalk_source"], r["match_method"]), 0) + 1
    for k, n in sorted(counts.items()):
        print(*k, n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
