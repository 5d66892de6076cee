"""Publish a report set as Prefect artifacts when running inside a flow run (silently skipped otherwise).

One markdown artifact lists every program page with a link (``file://`` URLs of the written files),
one link artifact points at the index. Artifact keys are lower-case with dashes, as Prefect requires.
"""

from __future__ import annotations

from flows.reports.build import ReportResult


def _in_flow_run() -> bool:
    try:
        from prefect.context import FlowRunContext
    except ImportError:  # pragma: no cover
        return False
    return FlowRunContext.get() is not None


def summary_markdown(result: ReportResult, limit: int = 1000) -> str:
    def md(text: str) -> str:
        return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>" else ch for ch in text)
    lines = [f"# Outcome reports ({result.programs} programs)", "",
             f"Warehouse snapshot `{result.warehouse_snapshot_id}`, built in {result.seconds:.1f} s.", "",
             f"- [Index]({result.index.resolve().as_uri()})"]
    for page in result.pages[:limit]:
        lines.append(f"- [{md(page.stem)}]({page.resolve().as_uri()})")
    if result.programs > limit:
        lines.append(f"- ... and {result.programs - limit} more in {md(str(result.out_dir))}")
    return "\n".join(lines)


def publish_artifacts(result: ReportResult) -> bool:
    """Create the artifacts; returns False (doing nothing) outside a flow run."""
    if not _in_flow_run():
        return False
    from prefect.artifacts import create_link_artifact, create_markdown_artifact

    create_link_artifact(key="outcome-reports-index", link=result.index.resolve().as_uri(),
                         link_text=f"Outcome reports index ({result.programs} programs)",
                         description=f"Reports built from warehouse snapshot {result.warehouse_snapshot_id}")
    create_markdown_artifact(key="outcome-reports", markdown=summary_markdown(result),
                             description="Every program report, with links")
    return True
