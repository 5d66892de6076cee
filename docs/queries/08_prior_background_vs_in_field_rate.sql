-- Question: does the field of a graduate's prior degree go with a higher in-field placement rate, per pathway?
-- Rate: employed in field (CIRR 1A-1E) over graduates with a known outcome (CIRR 4 and excluded left out),
-- so a field with many non-reporting graduates is not penalised; compare with query 05 before concluding.
-- columns: pathway, prior_field, graduates_known_outcome, employed_in_field, in_field_rate
SELECT
    p.pathway,
    coalesce(o.prior_field, 'not given')          AS prior_field,
    count(*)                                      AS graduates_known_outcome,
    count(*) FILTER (WHERE o.is_in_field)         AS employed_in_field,
    employed_in_field / graduates_known_outcome   AS in_field_rate
FROM core_outcomes__graduate_outcomes AS o
JOIN core_programs__programs AS p USING (program_id)
WHERE o.cirr_category NOT IN ('4', 'excluded')
GROUP BY p.pathway, coalesce(o.prior_field, 'not given')
ORDER BY p.pathway, in_field_rate DESC, prior_field;
