"""Program links crosswalk: the shipped header-only file and row-level validation."""

from __future__ import annotations

from pathlib import Path

import pytest

import schemas  # noqa: F401
from flows.sources import SOURCES, program_links as links
from schemas.generate import pandera_model

ROOT = Path(__file__).resolve().parents[2]
HEADER = "program_id,unitid,opeid6,pseo_institution_id,cip_code,credential_level,pseo_degree_level,link_note\n"


def test_shipped_file_loads_cleanly_and_every_link_is_labelled_synthetic():
    assert (ROOT / "data/raw/links/program_public_ids.csv").read_text().startswith(HEADER)
    out = links.transform(ROOT / "data/raw/links", {})
    assert len(out["core_links__program_public_ids"]) == 9 and len(out["_quarantine"]) == 0
    assert out["core_links__program_public_ids"]["link_note"].str.startswith("SYNTHETIC program").all()
    assert out["core_links__program_public_ids"]["pseo_institution_id"].str.fullmatch(r"\d{8}").all()
    pandera_model("core_links__program_public_ids").validate(out["core_links__program_public_ids"], lazy=True)


def test_rows_validated_with_clear_errors(tmp_path):
    f = tmp_path / "program_public_ids.csv"
    f.write_text(HEADER
                 + "ut-msba,228778,003658,00365800,11,masters,07,UT Austin master's CIP 11\n"
                 + "bad-one,22877,,,11.7,master,,\n"
                 + "ut-msba,228778,,,11,masters,,duplicate\n"
                 + "pseo-only,,,00365800,11,bachelors,07,level disagrees\n")
    out = links.read_links(f)
    core, q = out["core_links__program_public_ids"], out["_quarantine"]
    pandera_model("core_links__program_public_ids").validate(core, lazy=True)
    pandera_model("core_ingest__quarantine").validate(q, lazy=True)
    assert len(core) + len(q) == 4 and len(core) == 1
    row = core.iloc[0]
    assert row.opeid6 == "003658" and row.pseo_institution_id == "00365800" and row.pseo_degree_level == "07"
    bad = q[q.source_row_number == 2].iloc[0]
    assert set(bad.failed_rules.split("; ")) == {"unitid:pattern", "cip_code:pattern", "credential_level:vocabulary"}
    assert f"{f.as_posix()} row 2: column 'unitid' value '22877' breaks rule pattern" in bad.failure_messages
    assert "duplicate_program_id" in q[q.source_row_number == 3].failed_rules.item()
    assert "pseo_level_matches_credential" in q[q.source_row_number == 4].failed_rules.item()


def test_wrong_header_is_rejected(tmp_path):
    f = tmp_path / "program_public_ids.csv"
    f.write_text("program_id,unitid\n")
    with pytest.raises(ValueError, match="header must be"):
        links.read_links(f)


def test_registered():
    assert SOURCES["program_links"].fetch is None
