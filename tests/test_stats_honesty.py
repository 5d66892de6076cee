"""The statistics honour their configuration or refuse it, and never pool data of different evidence."""

import sys
from copy import deepcopy
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from stats_helpers import make_core, program, record  # noqa: E402

from flows.config import AssumptionError, check_assumptions, load_assumptions  # noqa: E402
from flows.stats.build import build_out_tables, windows  # noqa: E402
from flows.stats.intervals import wilson_interval, z_for  # noqa: E402

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
