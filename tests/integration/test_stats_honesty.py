"""The statistics honour their configuration or refuse it, and never pool data of different evidence."""

from copy import deepcopy

import pandas as pd
import pytest

from tests.stats_helpers import make_core, program, record

from flows.config import AssumptionError, check_assumptions, load_assumptions
from flows.stats.build import build_out_tables, windows
from flows.stats.intervals import wilson_interval, z_for

A = load_assumptions()


def _world():
    recs = [record(i, "a", "employed_full_time_in_field", days=30, salary=80_000.0 + i) for i in range(12)]
    recs += [record(20 + i, "a", "seeking_employment") for i in range(8)]
    return make_core([program("a")], recs)


def _with(**stats) -> dict:
    a = deepcopy(A)
    a["stats"].update(stats)
    return a


def test_z_for_confidence():
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_for(0.99) == pytest.approx(2.575829, abs=1e-6)
    with pytest.raises(ValueError, match="confidence"):
        z_for(1.0)


def test_wilson_widens_with_confidence():
    lo95, hi95 = wilson_interval(12, 20)
    lo99, hi99 = wilson_interval(12, 20, confidence=0.99)
    assert (lo95, hi95) == pytest.approx(wilson_interval(12, 20, confidence=0.95))
    assert lo99 < lo95 and hi99 > hi95
    # By hand, z = 2.575829, p = 0.6, n = 20: (0.6 + z²/40 -/+ z·sqrt(0.012 + z²/1600)) / (1 + z²/20)
    assert (lo99, hi99) == pytest.approx((0.329313, 0.820865), abs=1e-6)


def test_builder_wilson_bounds_follow_confidence():
    bounds = {}
    for conf in (0.95, 0.99):
        con = _world()
        build_out_tables(con, _with(confidence=conf))
        bounds[conf] = con.execute("""SELECT employed_in_field_rate_lower, employed_in_field_rate_upper
                                      FROM out_outcomes__program_placement WHERE program_id = 'a'""").fetchone()
        con.close()
    assert bounds[0.99] == pytest.approx(wilson_interval(12, 20, confidence=0.99))
    assert bounds[0.99][0] < bounds[0.95][0] and bounds[0.99][1] > bounds[0.95][1]


@pytest.mark.parametrize("win", [[60, 120], [90], [90, 180, 365], [180, 90]])
def test_other_windows_are_refused(win, tmp_path):
    with pytest.raises(AssumptionError, match="windows_days"):
        check_assumptions(_with(windows_days=win))
    override = tmp_path / "a.toml"
    override.write_text(f"[stats]\nwindows_days = {win}\n")
    with pytest.raises(AssumptionError, match="windows_days"):
        load_assumptions(override)
    # A caller that skips the loader is refused too, before any count is written under a wrong name.
    with pytest.raises(ValueError, match="windows_days"):
        windows(_with(windows_days=win))
    assert windows(A) == [90, 180]


# --------------------------------------------------------------------------- evidence classes never pooled

from flows.stats.build import origin_class  # noqa: E402
from flows.stats.report_tables import pathway_medians  # noqa: E402
from schemas.model import TABLES  # noqa: E402
from schemas.tables.stats import CROSS_PROGRAM, GROUPINGS, placement_table, salary_table  # noqa: E402
from schemas.vocab import DATA_ORIGIN_CLASSES, ORIGIN_CLASS_OF  # noqa: E402

#: Three programs of one pathway x modality x pacing, each from a different data origin.
ORIGINS = {"syn": "curated", "fcc": "freecodecamp_2016", "cirr": "outcome_reports"}


def _mixed_world(sizes: dict[str, int]):
    progs, recs, i = [], [], 0
    for pid, origin in ORIGINS.items():
        progs.append({**program(pid), "data_origin": origin})
        for j in range(sizes[pid]):
            status = "employed_full_time_in_field" if j % 3 else "seeking_employment"
            recs.append({**record(i, pid, status, days=40 if j % 3 else None, salary=70_000.0 + 100 * j if j % 3 else None),
                         "data_origin": origin})
            i += 1
    return make_core(progs, recs)


def test_every_cross_program_table_keys_on_the_evidence_class():
    for grain in CROSS_PROGRAM:
        for table in (placement_table(grain), salary_table(grain)):
            assert TABLES[table].primary_key[0] == "data_origin_class", table
    assert TABLES["out_reports__pathway_medians"].primary_key == ("data_origin_class", "pathway")
    assert set(ORIGIN_CLASS_OF.values()) <= set(DATA_ORIGIN_CLASSES)
    assert origin_class("curated", A) == "synthetic"  # [reports] synthetic_data_origins wins over the mapping
    assert origin_class("freecodecamp_2016", A) == "self_reported_survey"
    assert origin_class("curated", _with_reports([])) == "curated_documented"


def _with_reports(origins):
    a = deepcopy(A)
    a["reports"]["synthetic_data_origins"] = origins
    return a


@pytest.mark.parametrize("sizes", [{"syn": 12, "fcc": 15, "cirr": 11}, {"syn": 30, "fcc": 10, "cirr": 21}])
def test_no_aggregate_row_mixes_origin_classes(sizes):
    con = _mixed_world(sizes)
    build_out_tables(con, A)
    want = {origin_class(o, A): sizes[p] for p, o in ORIGINS.items()}
    for grain in CROSS_PROGRAM:
        dims = GROUPINGS[grain][0]
        rows = con.execute(f"SELECT * FROM {placement_table(grain)}").df()
        # Each class's rows add up to exactly that class's graduates: nothing of another class is in them.
        got = rows.groupby("data_origin_class")["graduates"].sum(min_count=1).to_dict()
        published = rows[~rows["is_suppressed"].astype(bool)]
        if grain == "pathway_modality_pacing":   # one cell per class, every one >= k
            assert got == want
        for cls, n in published.groupby("data_origin_class")["graduates"].sum().items():
            assert n <= want[cls], (grain, cls)
        assert not rows.duplicated(list(dims[1:]) + ["data_origin_class"]).any()
    pm = pathway_medians(con, A)
    assert dict(zip(pm["data_origin_class"], pm["pathway_programs_count"])) == {c: 1 for c in want}
    con.close()


def test_unclassified_origin_is_refused():
    con = make_core([{**program("x"), "data_origin": "mystery"}],
                    [{**record(0, "x", "employed_full_time_in_field", days=10), "data_origin": "mystery"}])
    with pytest.raises(ValueError, match="mystery"):
        build_out_tables(con, A)


def test_disclosure_audit_relates_a_class_cell_to_its_own_programs():
    from flows.stats import audit as au

    con = _mixed_world({"syn": 12, "fcc": 15, "cirr": 11})
    build_out_tables(con, A)
    frames, programs = au.read_public(con, assumptions=A)
    con.close()
    _, rels, _ = au.build_cells(frames, programs)
    pmp = {r.left[0][1]: {c[1] for c in r.right} for r in rels if r.name.startswith("programs within a pathway")}
    assert pmp == {"synthetic": {"syn"}, "self_reported_survey": {"fcc"}, "audited_report": {"cirr"}}


# --------------------------------------------------------------------------- window rates only where measurable

def _start_world(known_starts: int):
    """Program a: 20 graduates, 12 in field of whom ``known_starts`` gave a start date (day 30); collected at day 100.
    The 8 seeking work are collected at day 200 (after both windows: not censored)."""
    recs = [record(i, "a", "employed_full_time_in_field", days=30 if i < known_starts else None, collected_after=100)
            for i in range(12)]
    recs += [record(20 + i, "a", "seeking_employment", collected_after=200) for i in range(8)]
    return make_core([program("a")], recs)


def _placement(con):
    return con.execute("SELECT * FROM out_outcomes__program_placement WHERE program_id = 'a'").df().iloc[0]


@pytest.mark.parametrize("known, measured", [(0, False), (5, False), (6, True), (12, True)])
def test_window_rates_need_job_start_dates(known, measured):
    con = _start_world(known)
    build_out_tables(con, A)
    r = _placement(con)
    con.close()
    assert r.employed_in_field_rate == pytest.approx(12 / 20)   # at collection: always published
    if measured:                                                   # unknown share <= 50%
        assert r.window_rates_note is None or pd.isna(r.window_rates_note)
        assert r.employed_in_field_180d_rate == pytest.approx(12 / 20)
        assert not pd.isna(r.employed_in_field_90d_rate_lower)
    else:
        assert r.window_rates_note == "not measured: no job start date"
        for c in ("employed_in_field_90d_rate", "employed_in_field_90d_rate_upper", "employed_in_field_180d_rate",
                  "employed_in_field_180d_rate_lower"):
            assert pd.isna(r[c]), c


def test_unknown_start_share_is_configurable():
    con = _start_world(0)
    build_out_tables(con, _with(unknown_start_max_share=1.0))
    r = _placement(con)
    con.close()
    # Every start unknown but allowed: by day 180 the 12 collected at day 100 count; by day 90 none (conservative).
    assert r.employed_in_field_180d_rate == pytest.approx(12 / 20) and r.employed_in_field_90d_rate == 0
    with pytest.raises(AssumptionError, match="unknown_start_max_share"):
        check_assumptions(_with(unknown_start_max_share=1.5))


@pytest.mark.parametrize("known", [0, 12])
def test_prior_background_180d_rate_needs_job_start_dates(known):
    from flows.stats.report_tables import prior_background

    con = _start_world(known)
    build_out_tables(con, A)
    r = prior_background(con, A).set_index("prior_degree").loc["bachelors"]
    con.close()
    if known:
        assert r.employed_in_field_180d_rate == pytest.approx(12 / 20) and pd.isna(r.window_rates_note)
    else:
        assert pd.isna(r.employed_in_field_180d_rate) and r.window_rates_note == "not measured: no job start date"


def test_program_notices_carry_the_evidence_class():
    from flows.stats.report_tables import program_notices

    con = _mixed_world({"syn": 12, "fcc": 15, "cirr": 11})
    build_out_tables(con, A)
    df = program_notices(con, A).set_index("program_id")
    con.close()
    assert df["data_origin_class"].to_dict() == {"cirr": "audited_report", "fcc": "self_reported_survey", "syn": "synthetic"}
    assert df.loc["syn", "is_synthetic"] and not df.loc["fcc", "is_synthetic"]


# --------------------------------------------------------------------------- censoring

def test_records_collected_before_a_window_closes_are_censored_not_failures():
    """12 in field by day 30 (collected day 200); 10 seeking, of whom 4 were collected on day 100 and 3 on day 60.
    Day 180: the 7 collected earlier are censored (could still start by day 180): 12 / (22 - 7).
    Day 90: only the 3 collected on day 60 are censored: 12 / (22 - 3). At collection: 12 / 22."""
    recs = [record(i, "a", "employed_full_time_in_field", days=30, salary=80_000.0 + i) for i in range(12)]
    recs += [record(20 + i, "a", "seeking_employment") for i in range(3)]
    recs += [record(30 + i, "a", "seeking_employment", collected_after=100) for i in range(4)]
    recs += [record(40 + i, "a", "seeking_employment", collected_after=60) for i in range(3)]
    # an in-field graduate whose job starts on day 120, collected on day 60: known not in field by day 90
    recs += [record(50, "a", "employed_full_time_in_field", days=120, collected_after=60)]
    con = make_core([program("a")], recs)
    build_out_tables(con, A)
    row = con.execute("""SELECT cirr_denominator, employed_in_field_90d_count, employed_in_field_90d_denominator,
                                employed_in_field_180d_count, employed_in_field_180d_denominator,
                                employed_in_field_90d_rate, employed_in_field_180d_rate, employed_in_field_rate
                         FROM out_outcomes__program_placement WHERE program_id = 'a'""").fetchone()
    con.close()
    assert row[:5] == (23, 12, 20, 13, 16)
    assert row[5:] == pytest.approx((12 / 20, 13 / 16, 13 / 23))


# --------------------------------------------------------------------------- rates labelled by their method

def test_survey_rates_are_labelled_by_their_method_and_the_nace_bound_is_flagged():
    from schemas.vocab import DATA_ORIGIN_CLASSES, RATE_METHODS

    assert set(RATE_METHODS) == set(DATA_ORIGIN_CLASSES)
    recs = [record(i, "fcc", "employed_full_time_in_field", days=30) for i in range(12)]
    recs += [record(20 + i, "cur", "employed_full_time_in_field", days=30) for i in range(12)]
    for r in recs[:12]:
        r["data_origin"] = "freecodecamp_2016"
    progs = [dict(program("fcc"), data_origin="freecodecamp_2016"), program("cur")]
    con = make_core(progs, recs)
    build_out_tables(con, A)
    rows = {r[0]: r[1:] for r in con.execute(
        """SELECT program_id, rate_method, interval_note, career_outcomes_rate_is_lower_bound
           FROM out_outcomes__program_placement""").fetchall()}
    cross = con.execute("""SELECT data_origin_class, rate_method, career_outcomes_rate_is_lower_bound
                           FROM out_outcomes__pathway_modality_pacing_placement ORDER BY 1""").fetchall()
    con.close()
    method, note, bound = rows["fcc"]
    assert "not a CIRR report" in method and "self-selected" in note and bound is True
    cur = origin_class("curated", A)  # 'synthetic' while the bundled demonstration data are curated
    assert rows["cur"][0] == RATE_METHODS[cur][0] and rows["cur"][2] is False
    assert cross == sorted([(cur, RATE_METHODS[cur][0], False),
                            ("self_reported_survey", RATE_METHODS["self_reported_survey"][0], True)])
