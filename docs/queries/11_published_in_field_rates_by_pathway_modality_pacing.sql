-- Question: master's vs bootcamp vs certificate vs PhD vs self-study, online vs in person, full- vs part-time:
-- what share of graduates is employed in field 90 and 180 days after graduation, with 95% Wilson intervals?
-- Reads the published table (suppression applied, flags beside every figure): a suppressed cell shows no rate.
-- columns: pathway, modality, pacing, graduates, employed_in_field_90d_rate, employed_in_field_180d_rate, employed_in_field_180d_rate_lower, employed_in_field_180d_rate_upper, knowledge_rate, is_low_coverage, is_suppressed, suppression_reason
SELECT
    pathway, modality, pacing, graduates,
    round(employed_in_field_90d_rate, 3) AS employed_in_field_90d_rate,
    round(employed_in_field_180d_rate, 3) AS employed_in_field_180d_rate,
    round(employed_in_field_180d_rate_lower, 3) AS employed_in_field_180d_rate_lower,
    round(employed_in_field_180d_rate_upper, 3) AS employed_in_field_180d_rate_upper,
    round(knowledge_rate, 3) AS knowledge_rate,
    is_low_coverage, is_suppressed, suppression_reason
FROM out_outcomes__pathway_modality_pacing_placement
ORDER BY pathway, modality, pacing;
