"""The metadata model: what a field and a table are.

This module owns the *shape* of the metadata (``Field``, ``Vocabulary``, ``Table``) and
the registries every other module reads. It must not know any concrete field or table:
those live in ``schemas/fields.py``, ``schemas/vocab.py`` and ``schemas/tables/*.py``.
Everything that describes data (Pandera models, DuckDB DDL, the data dictionary) is
generated from these registries by ``schemas/generate.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Iterable

#: Logical types and their DuckDB spelling.
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
}

#: Layers, by table-name prefix (PUDL style). A leading ``_`` marks an intermediate table.
LAYERS = {
    "raw": "as read from a source, all text, with lineage",
    "core": "typed, validated, de-duplicated",
    "out": "what researchers and reports read",
}

#: Who may read a table (docs/METHODOLOGY.md, "Disclosure boundary").
ACCESS = {
    "public": "published: every figure obeys the suppression rules and passes the disclosure audit",
    "restricted": "record-level or lineage data: the data steward and approved researchers only; never published",
}

#: Non-out tables that hold no graduate record and are shown in the reports (program facts, source
#: status, snapshot id): public. Every other core_/raw_ table is restricted.
PUBLIC_TABLES = ("core_programs__programs", "core_ingest__sources", "core_warehouse__snapshot")

#: Lineage columns keep their own type even in raw tables (everything else there is text).
LINEAGE_TYPED = {"source_row_number", "loaded_at"}

#: The fixed vocabulary of usage warnings that travel with a table into the docs.
USAGE_WARNINGS = {
    "suppressed_values": "Cells below the minimum count publish no figure; read the suppression columns.",
    "low_coverage": "Some cells have a knowledge rate under 65% (NACE); read the low-coverage flag.",
    "self_reported": "Contains self-reported figures that nobody verified.",
    "synthetic": "The bundled curated sample is synthetic: do not cite its figures as facts.",
    "contains_pii_hash": "Holds a keyed hash of personal identifiers; never join it to outside data.",
    "incomplete_coverage": "Covers only the institutions, years or programs present in the source.",
    "experimental": "Definition may change; check docs/METHODOLOGY.md before citing.",
    "lineage_only": "Kept for audit and lineage; analyses should read the core or out tables.",
    "run_specific": "Describes the run that built the warehouse: changes with every refresh even when the inputs do not.",
}


@dataclass(frozen=True)
class Vocabulary:
    """A closed set of codes, each with a description and optional mappings to standards."""

    name: str
    description: str
    codes: dict[str, str]  # code -> description
    mappings: dict[str, dict[str, str]] = dc_field(default_factory=dict)  # standard -> {code: target}

    @property
    def values(self) -> list[str]:
        return list(self.codes)


@dataclass(frozen=True)
class Field:
    """One column, defined once and reused by every table that carries it."""

    name: str
    type: str
    description: str
    unit: str | None = None
    vocabulary: str | None = None  # name of a Vocabulary in VOCABULARIES
    min: float | None = None
    max: float | None = None
    pattern: str | None = None  # regular expression the text form must match
    pii: bool = False  # direct identifier of a person: never loaded into the warehouse

    def __post_init__(self) -> None:
        if self.type not in DUCKDB_TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]

    def constraint_text(self) -> str:
        """Human-readable constraints, for the data dictionary and error messages."""
        parts = []
        if self.vocabulary:
            parts.append("one of: " + ", ".join(VOCABULARIES[self.vocabulary].values))
        if self.min is not None and self.max is not None:
            parts.append(f"between {self.min:g} and {self.max:g}")
        elif self.min is not None:
            parts.append(f">= {self.min:g}")
        elif self.max is not None:
            parts.append(f"<= {self.max:g}")
        if self.pattern:
            parts.append(f"matches `{self.pattern}`")
        return "; ".join(parts)


@dataclass(frozen=True)
class Table:
    """One table: its fields (by name), key, description and usage warnings."""

    name: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    required: tuple[str, ...] = ()  # non-null columns (primary key columns are implied)
    warnings: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()  # names of row/table checks in schemas.checks (validation only)
    grain: str = ""  # one sentence: what one row is
    access: str = ""  # "public" or "restricted" (ACCESS); empty: out_ tables are public, others restricted

    def __post_init__(self) -> None:
        layer = self.layer
        if layer not in LAYERS:
            raise ValueError(f"table {self.name}: name must start with raw_/core_/out_ (or _)")
        if not self.access:
            public = (layer == "out" and not self.name.startswith("_")) or self.name in PUBLIC_TABLES
            object.__setattr__(self, "access", "public" if public else "restricted")
        if self.access not in ACCESS:
            raise ValueError(f"table {self.name}: access must be one of {', '.join(ACCESS)}")
        for w in self.warnings:
            if w not in USAGE_WARNINGS:
                raise ValueError(f"table {self.name}: unknown usage warning {w!r}")

    @property
    def layer(self) -> str:
        return self.name.lstrip("_").split("_", 1)[0]

    @property
    def not_null(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.primary_key + self.required))

    def field_objects(self) -> list[Field]:
        return [FIELDS[n] for n in self.fields]

    def column_type(self, name: str) -> str:
        """Logical type of a column in this table: raw tables hold every data cell as text."""
        if self.layer == "raw" and name not in LINEAGE_TYPED:
            return "string"
        return FIELDS[name].type


FIELDS: dict[str, Field] = {}
VOCABULARIES: dict[str, Vocabulary] = {}
TABLES: dict[str, Table] = {}


def register_fields(fields: Iterable[Field]) -> None:
    for f in fields:
        if f.name in FIELDS and FIELDS[f.name] != f:
            raise ValueError(f"field {f.name} defined twice with different meanings")
        FIELDS[f.name] = f


def register_vocabularies(vocabs: Iterable[Vocabulary]) -> None:
    for v in vocabs:
        VOCABULARIES[v.name] = v


def register_tables(tables: Iterable[Table]) -> None:
    for t in tables:
        missing = [n for n in t.fields if n not in FIELDS]
        if missing:
            raise ValueError(f"table {t.name}: undefined fields {missing}")
        bad_key = [n for n in t.not_null if n not in t.fields]
        if bad_key:
            raise ValueError(f"table {t.name}: key/required columns not in fields: {bad_key}")
        if t.name in TABLES:
            raise ValueError(f"table {t.name} defined twice")
        TABLES[t.name] = t
