"""Statistics, uncertainty, suppression, benchmarks, costs and ROI.

Public entry points: ``build_out_tables`` (flow step "build statistics tables"),
``rank_programs_for_person`` / ``format_roi_table`` / ``roi_records`` (the ``outcomes roi``
command, whose function is ``flows.stats.cli_roi.roi``). Plain functions, no Prefect.
"""

from flows.stats.build import OUT_TABLES, build_out_tables
from flows.stats.peers import format_roi_table, rank_programs_for_person, roi_records

__all__ = ["OUT_TABLES", "build_out_tables", "rank_programs_for_person", "format_roi_table", "roi_records"]
