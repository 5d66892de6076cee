"""The peer table (out_peers__program_peer_groups) in the disclosure model: a peer group of 3 graduates cannot be
recovered by differencing the program's total and its other published groups."""


import pandas as pd

from tests.stats_helpers import make_core, program, record

from flows.config import load_assumptions
from flows.stats import audit as au
from flows.stats import build_out_tables
from flows.stats.peers import PEER_TABLE, peer_groups_frame
from flows.stats.report_tables import prior_background

A = load_assumptions()
K, WIDTH = 10, 5


def _world():
    """17 bachelor's holders and 3 master's holders (a peer group of 3 at the degree level)."""
    recs = [record(i, "p", "employed_full_time_in_field", days=30, salary=70_000 + 1_000 * i, prior=50_000)
            for i in range(14)]
    recs += [record(20 + i, "p", "seeking_employment", prior=50_000) for i in range(3)]
    recs += [record(40 + i, "p", "employed_full_time_in_field", days=30, salary=90_000, prior_degree="masters")
             for i in range(3)]
    con = make_core([program("p", months=12.0, tuition=20_000.0)], recs)
    build_out_tables(con, A)
    return con


def test_a_peer_group_of_three_is_not_recovered_by_differencing():
    con = _world()
    extra = {"out_reports__program_prior_background": prior_background(con, A), PEER_TABLE: peer_groups_frame(con, A)}
    frames, programs = au.read_public(con, extra, A)
    peers = frames[PEER_TABLE].set_index(["similarity_level", "degree_group"])
    small = peers.loc[("degree", "graduate")]
    assert bool(small.is_suppressed) and pd.isna(small.peer_group_size)  # primary: 3 < k
    # Before the disclosure step the program's 20 peers minus the 17 of the bachelor's group pin the 3.
    assert peers.loc[("program", "any"), "peer_group_size"] == 20 and peers.loc[("degree", "bachelors"), "peer_group_size"] == 17
    before = au.audit_frames({t: df.copy() for t, df in frames.items()}, programs, WIDTH, small=K)
    assert not before.passed
    assert any(cid[0] == "program_peer" and cid[3] == "graduate" for _, cid, _, _ in before.exposed)
    changed = au.protect_frames(frames, programs, WIDTH, small=K)
    assert PEER_TABLE in changed  # something of the peer table is withheld
    after = au.audit_frames(frames, programs, WIDTH, small=K)
    assert after.passed and after.min_width >= WIDTH
    out = frames[PEER_TABLE].set_index(["similarity_level", "degree_group"])
    program_n = out.loc[("program", "any"), "peer_group_size"]
    bach_n = out.loc[("degree", "bachelors"), "peer_group_size"]
    placement_n = frames["out_outcomes__program_placement"].iloc[0]["cirr_denominator"]
    known_total = next((v for v in (program_n, placement_n) if v is not None and not pd.isna(v)), None)
    assert known_total is None or bach_n is None or pd.isna(bach_n)  # no published pair differences to the 3
    # A withheld count suppresses the whole row: no salary figure is left beside it.
    for _, row in frames[PEER_TABLE].iterrows():
        if row["peer_group_size"] is None or pd.isna(row["peer_group_size"]):
            assert bool(row["is_suppressed"]) and pd.isna(row["median_peer_salary_usd"])
