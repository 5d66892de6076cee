"""Concrete tables, one module per domain. Importing this package registers them all."""

from schemas.tables import curated, ingest, outcomes  # noqa: F401
