"""The single source of truth for fields, vocabularies and tables.

Import ``schemas`` to get the registries filled: ``FIELDS``, ``VOCABULARIES``, ``TABLES``.
"""

from schemas import fields, vocab  # noqa: F401  (registration order: vocabularies, fields)
from schemas import tables  # noqa: F401
from schemas.model import FIELDS, TABLES, USAGE_WARNINGS, VOCABULARIES, Field, Table, Vocabulary

__all__ = ["FIELDS", "TABLES", "VOCABULARIES", "USAGE_WARNINGS", "Field", "Table", "Vocabulary"]
