"""Concrete tables, one module per domain. Importing this package registers them all."""

from schemas.tables import curated, ingest, outcomes, public  # noqa: F401
from schemas.tables import stats  # noqa: F401
