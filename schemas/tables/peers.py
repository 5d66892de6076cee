""""People like me": the published peer table.

Owns ``out_peers__program_peer_groups``: per program, the peer groups of each similarity level of
``[peers] levels`` (prior-degree group, prior field, experience band) with their counts and salary
quartiles, suppressed below k and protected by the disclosure step; real public programs carry one
row at level 'all_completers' from their published earnings. ``outcomes roi`` and the report set's
calculator compute from this table only (docs/METHODOLOGY.md, "People like me").
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

F = Field
register_fields([
    F("similarity_level", "string", "Peer definition of the row: degree_field_experience, degree_field, degree, program "
      "(a program's graduates, [peers] levels) or all_completers (a real public program's completers with published earnings).",
      pattern=r"^(degree_field_experience|degree_field|degree|program|all_completers)$"),
    F("degree_group", "string", "Prior-degree group of the peers ([peers] degree_groups: below_bachelors, bachelors, graduate, "
      "doctorate), or 'any' when the level does not use it."),
    F("peer_prior_field", "string", "Prior field of the peers (a prior_field code), or 'any' when the level does not use it."),
    F("experience_band", "string", "Years of work experience before the program ([peers] experience_band_edges, e.g. '3-5', "
      "'11+'), or 'any' when the level does not use it."),
    F("peer_group_size", "integer", "Peers: the program's graduates in the group, CIRR excluded left out (all_completers: "
      "completers with earnings, as published). The denominator of every share and probability.", min=0),
    F("peers_in_field_count", "integer", "Peers employed in field (CIRR 1A-1E) within 180 days of graduation (null when "
      "withheld or not measured: all_completers).", min=0),
    F("peers_salary_reported_count", "integer", "Peers in field within 180 days who reported a plausible base salary: the n "
      "of the salary figures (all_completers: completers with earnings).", min=0),
    F("peers_outcome_unknown_count", "integer", "Peers whose outcome is unknown (counted with no gain; null when 1 to k-1 "
      "or not measured).", min=0),
    F("mean_peer_salary_usd", "number", "Mean base salary of the reporting peers (null for all_completers: not published).", unit="USD", min=0),
    F("peer_salary_p25_usd", "number", "25th percentile of the reporting peers' base salary (quantile_cont; all_completers: "
      "the publisher's p25 earnings).", unit="USD", min=0),
    F("median_peer_salary_usd", "number", "Median base salary of the reporting peers (quantile_cont; all_completers: the "
      "publisher's median earnings).", unit="USD", min=0),
    F("peer_salary_p75_usd", "number", "75th percentile of the reporting peers' base salary (quantile_cont; all_completers: "
      "the publisher's p75 earnings).", unit="USD", min=0),
    F("peer_basis", "string", "Where the row's figures come from, in words (e.g. 'graduate records, in-field salaries at "
      "180 days' or 'Census PSEO earnings 5 years after graduation, graduates 2011-2015')."),
])

register_tables([
    Table(
        "out_peers__program_peer_groups",
        "\"People like me\": per program, the peer groups of each similarity level (prior-degree group, prior field, "
        "experience band) with their size, in-field and salary-reporting counts, unknown outcomes and salary quartiles; "
        "real public programs: one row of their published earnings. `outcomes roi` and the reports' calculator rank "
        "programs from this table only.",
        fields=("program_id", "similarity_level", "degree_group", "peer_prior_field", "experience_band", "data_origin_class",
                "peer_group_size", "peers_in_field_count", "peers_salary_reported_count", "peers_outcome_unknown_count",
                "mean_peer_salary_usd", "peer_salary_p25_usd", "median_peer_salary_usd", "peer_salary_p75_usd",
                "peer_basis", "data_origin", "years_after_graduation", "grad_cohort", "is_suppressed", "suppression_reason"),
        primary_key=("program_id", "similarity_level", "degree_group", "peer_prior_field", "experience_band"),
        required=("is_suppressed", "peer_basis"),
        warnings=("suppressed_values", "synthetic", "experimental"),
        grain="One row per program x similarity level x degree group x prior field x experience band with at least one "
              "peer (a key the level does not use holds 'any').",
    ),
])
