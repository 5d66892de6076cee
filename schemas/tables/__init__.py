"""Concrete tables, one module per domain. Importing this package registers them all.

Order matters only where a module reuses a field another defines (public uses ingest's snapshot_id).
"""

from schemas.tables import curated, ingest, outcomes, public  # noqa: F401
from schemas.tables import bls_oews, college_scorecard  # noqa: F401
from schemas.tables import census_pseo, freecodecamp_2016, outcome_reports  # noqa: F401
from schemas.tables import field_references, kaggle_2017  # noqa: F401
from schemas.tables import public_programs, colorado_roi  # noqa: F401
from schemas.tables import stats  # noqa: F401
from schemas.tables import reports  # noqa: F401
from schemas.tables import answers  # noqa: F401
from schemas.tables import peers  # noqa: F401
from schemas.tables import codes  # noqa: F401  (last: its tables reuse fields of the others)
