"""Per-program outcome reports: HTML pages, a comparison index and JSON, from the out tables.

Public entry points: ``build_reports(warehouse_path, out_dir) -> ReportResult`` (the ``outcomes
report`` command and the ``reports`` step at the end of ``refresh``) and
``publish_artifacts(result)`` (Prefect artifacts, only inside a flow run).
"""

from flows.reports.artifacts import publish_artifacts
from flows.reports.build import ReportResult, build_reports

__all__ = ["ReportResult", "build_reports", "publish_artifacts"]
