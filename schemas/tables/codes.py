"""Code tables: the vocabularies of schemas/vocab.py as warehouse tables (``core_codes__*``).

Owns one table per vocabulary SQL needs to join (one row per code, its description and its mappings),
and ``code_table_frames``, their rows built from schemas/vocab.py. The warehouse fills them whenever
it is opened for a build (``flows.warehouse.ensure_tables``), so SQL joins a code table instead of
copying a mapping into a ``CASE`` string, and a researcher can query what every code means.
"""

from __future__ import annotations

import pandas as pd

from schemas.model import VOCABULARIES, Field, Table, register_fields, register_tables
from schemas.vocab import (CAREER_OUTCOME_NACE, EVIDENCE_DOMAINS, ORIGIN_CLASS_OF, OUTCOME_STATUSES,
                           RATE_METHODS, VERIFICATION_RANK, cirr_employed, cirr_in_field)

PREFIX = "core_codes__"

register_fields([
    Field("code_description", "string", "What the code means."),
    Field("is_employed", "boolean", "Employed at all, in or out of the field of study (CIRR 1A-2B)."),
    Field("is_career_outcome", "boolean", "Counted in the numerator of NACE's career outcomes rate (employment, service or continuing education)."),
    Field("verification_rank", "integer", "Rank of the verification level, best evidence first (0): picks which of two duplicate records is kept.", min=0),
])

#: Vocabularies with a code table: vocabulary (also the name of its code column) -> extra columns.
CODE_TABLES: dict[str, tuple[str, ...]] = {
    "outcome_status": ("cirr_category", "nace_category", "is_in_field", "is_employed"),
    "cirr_category": ("is_in_field", "is_employed"),
    "nace_category": ("is_career_outcome",),
    "credential_level": (),
    "verification_level": ("verification_rank",),
    "evidence_kind": (),
    "data_origin_class": ("rate_method", "interval_note"),
    "ingest_action": (),
    "skip_reason": (),
}

_GRAIN = "One row per code of the vocabulary."


def _vocab_table(vocab: str, extra: tuple[str, ...]) -> Table:
    v = VOCABULARIES[vocab]
    return Table(
        PREFIX + vocab,
        f"Code table of the vocabulary {vocab} ({v.description}): every accepted code, what it means"
        + (f", and its {', '.join(extra)}" if extra else "") + ". Generated from schemas/vocab.py at every build.",
        fields=(vocab, "code_description") + extra,
        primary_key=(vocab,),
        required=("code_description",) + tuple(c for c in extra if c not in ("is_in_field",)),
        grain=_GRAIN,
        access="public",
    )


TABLES = [_vocab_table(v, extra) for v, extra in CODE_TABLES.items()] + [
    Table(
        PREFIX + "data_origin",
        "Every data origin (curated records or a public source) and the evidence class its figures belong to. "
        "An origin listed in [reports] synthetic_data_origins counts as 'synthetic' whatever this table says "
        "(the statistics apply that at run time). Generated from schemas/vocab.py at every build.",
        fields=("data_origin", "data_origin_class"),
        primary_key=("data_origin",),
        required=("data_origin_class",),
        grain="One row per data origin.",
        access="public",
    ),
    Table(
        PREFIX + "evidence_domain",
        "Organisation domains whose name identifies no person: the only evidence domains kept, with their kind. "
        "Generated from schemas/vocab.py at every build.",
        fields=("evidence_domain", "evidence_kind"),
        primary_key=("evidence_domain",),
        required=("evidence_kind",),
        grain="One row per kept evidence domain.",
        access="public",
    ),
]

register_tables(TABLES)

_EXTRA_VALUES = {
    ("outcome_status", "cirr_category"): lambda code: OUTCOME_STATUSES[code][1],
    ("outcome_status", "nace_category"): lambda code: OUTCOME_STATUSES[code][2],
    ("outcome_status", "is_in_field"): lambda code: OUTCOME_STATUSES[code][3],
    ("outcome_status", "is_employed"): lambda code: cirr_employed(OUTCOME_STATUSES[code][1]),
    ("cirr_category", "is_in_field"): cirr_in_field,
    ("cirr_category", "is_employed"): cirr_employed,
    ("nace_category", "is_career_outcome"): lambda code: code in CAREER_OUTCOME_NACE,
    ("verification_level", "verification_rank"): lambda code: VERIFICATION_RANK[code],
    ("data_origin_class", "rate_method"): lambda code: RATE_METHODS[code][0],
    ("data_origin_class", "interval_note"): lambda code: RATE_METHODS[code][1],
}


def code_table_frames() -> dict[str, pd.DataFrame]:
    """Every code table's rows, from schemas/vocab.py (table name -> frame in the table's column order)."""
    frames = {}
    for vocab, extra in CODE_TABLES.items():
        codes = VOCABULARIES[vocab].codes
        rows = [{vocab: code, "code_description": text, **{c: _EXTRA_VALUES[(vocab, c)](code) for c in extra}}
                for code, text in codes.items()]
        frames[PREFIX + vocab] = pd.DataFrame(rows, columns=[vocab, "code_description", *extra])
    frames[PREFIX + "data_origin"] = pd.DataFrame(sorted(ORIGIN_CLASS_OF.items()), columns=["data_origin", "data_origin_class"])
    frames[PREFIX + "evidence_domain"] = pd.DataFrame(sorted(EVIDENCE_DOMAINS.items()), columns=["evidence_domain", "evidence_kind"])
    for df in frames.values():
        for col in df.columns:
            if col.startswith("is_"):
                df[col] = df[col].astype("boolean")
            elif col == "verification_rank":
                df[col] = df[col].astype("Int64")
    return frames
