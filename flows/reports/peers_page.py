"""The "people like me" calculator of the report set: its data file and its page.

Owns ``peer_data`` (read from the published warehouse: the programs' cost facts of
``flows.stats.peers.program_facts``, every row of ``out_peers__program_peer_groups`` and the
assumptions the formulas need) and ``render_people_like_me`` (writes ``assets/peers-data.js`` and
``people-like-me.html``). The browser computes with ``static/peers.js``, a line-by-line mirror of
``flows.stats.peers.rank_rows``; the figures equal those of ``outcomes roi`` on the same warehouse.

The warehouse does not record the assumptions it was built with, so the assumptions are those of
flows/assumptions.toml at build time (``load_assumptions``); the page says so.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb

from flows.config import load_assumptions
from flows.stats import roi as roi_fn
from flows.stats.peers import PEER_TABLE, program_facts, z_of
from flows.stats.suppression import min_cell_size

#: Columns of a program in the data file (one array per program, in this order).
PROGRAM_COLUMNS = ("program_id", "program_name", "institution_name", "pathway", "modality", "pacing", "duration_months", "tuition_fees_usd",
                   "country_code", "state_code", "data_origin_class")
#: Columns of a peer row in the data file; program is the index into programs, similarity_level an index
#: into levels, suppression_reason and peer_basis indexes into texts.
PEER_COLUMNS = ("program", "similarity_level", "degree_group", "peer_prior_field", "experience_band", "peer_group_size",
                "peers_in_field_count", "peers_salary_reported_count", "peers_outcome_unknown_count", "mean_peer_salary_usd",
                "peer_salary_p25_usd", "median_peer_salary_usd", "peer_salary_p75_usd", "is_suppressed",
                "suppression_reason", "peer_basis")
ASSUMPTIONS_SOURCE = "flows/assumptions.toml at build time"


def _plain(v):
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return v


def formula_assumptions(assumptions: dict) -> dict:
    """What peers.js needs of the assumptions: k, the confidence and its z (Python's z_of), [roi], [peers], the
    input bounds of `outcomes roi` and the vocabularies of its choices."""
    from schemas.model import VOCABULARIES

    confidence = float(assumptions["stats"]["confidence"])
    peers = assumptions["peers"]
    return {
        "source": ASSUMPTIONS_SOURCE,
        "min_cell_size": min_cell_size(assumptions),
        "confidence": confidence,
        "z": z_of(confidence),
        "roi": assumptions["roi"],
        "peers": {"levels": list(peers["levels"]), "degree_groups": dict(peers["degree_groups"]),
                  "experience_band_edges": list(peers["experience_band_edges"]),
                  "max_years_experience": float(peers["max_years_experience"])},
        "max_salary_usd": roi_fn.max_base_salary_usd(assumptions),
        "degrees": {c: d for c, d in VOCABULARIES["prior_degree"].codes.items() if c != "unknown"},
        "fields": {c: d for c, d in VOCABULARIES["prior_field"].codes.items() if c != "unknown"},
    }


def peer_data(con: duckdb.DuckDBPyConnection, assumptions: dict | None = None) -> dict | None:
    """The calculator's data from an open (read-only) warehouse; None when it has no peer table."""
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if PEER_TABLE not in have:
        return None
    assumptions = assumptions or load_assumptions()
    facts = program_facts(con, assumptions)
    facts = facts[facts["tuition_fees_usd"].notna() & facts["duration_months"].notna()]
    rows = con.execute(f"SELECT * FROM {PEER_TABLE} ORDER BY program_id, similarity_level, degree_group, "
                       "peer_prior_field, experience_band").df()
    index = {pid: i for i, pid in enumerate(facts["program_id"])}
    levels = list(assumptions["peers"]["levels"]) + ["all_completers"]
    texts: list[str] = []
    text_ix: dict[str, int] = {}

    def text(v):
        v = _plain(v)
        if v is None:
            return None
        if v not in text_ix:
            text_ix[v] = len(texts)
            texts.append(v)
        return text_ix[v]

    peers = []
    for r in rows.to_dict("records"):
        if r["program_id"] not in index or r["similarity_level"] not in levels:
            continue
        vals = []
        for c in PEER_COLUMNS:
            if c == "program":
                vals.append(index[r["program_id"]])
            elif c == "similarity_level":
                vals.append(levels.index(r[c]))
            elif c in ("suppression_reason", "peer_basis"):
                vals.append(text(r[c]))
            elif c == "is_suppressed":
                vals.append(1 if bool(r[c]) else 0)
            else:
                vals.append(_plain(r[c]))
        peers.append(vals)
    programs = [[_plain(p[c]) for c in PROGRAM_COLUMNS] for p in facts.to_dict("records")]
    return {"program_columns": list(PROGRAM_COLUMNS), "peer_columns": list(PEER_COLUMNS), "levels": levels,
            "texts": texts, "programs": programs, "peers": peers, "assumptions": formula_assumptions(assumptions)}


def peer_data_js(data: dict) -> str:
    body = json.dumps(data, allow_nan=False, ensure_ascii=True, separators=(",", ":"))
    return ("/* Published peer table and cost facts for the people-like-me calculator (generated; see "
            "flows/reports/peers_page.py). */\n"
            f"var PEERS_DATA = {body};\n"
            'if (typeof module !== "undefined" && module.exports) { module.exports = PEERS_DATA; }\n')


def render_people_like_me(env, out: Path, data: dict | None, common: dict) -> None:
    """Write assets/peers-data.js and people-like-me.html (nothing when the warehouse has no peer table)."""
    if data is None:
        return
    (out / "assets" / "peers-data.js").write_text(peer_data_js(data), encoding="utf-8")
    a = data["assumptions"]
    page = env.get_template("people_like_me.html.j2").render(root="", a=a, **common)
    (out / "people-like-me.html").write_text(page, encoding="utf-8")
