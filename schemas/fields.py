"""Every field of the curated inputs, the ingest bookkeeping and the first statistics.

Owns field definitions (name, type, unit, description, constraints). A field is defined
once and reused by every table that carries it; a later module that needs a new field
defines it in its own table module with ``register_fields``. Concrete tables live in
``schemas/tables/``.
"""

from __future__ import annotations

from schemas.model import Field, register_fields

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

F = Field
FIELDS = [
    # --- programs -----------------------------------------------------------------
    F("program_id", "string", "Stable identifier of a program, chosen by the curator (lower-case slug).", pattern=ID_PATTERN),
    F("institution_name", "string", "Name of the school, university or provider running the program."),
    F("program_name", "string", "Name of the program as the provider publishes it."),
    F("pathway", "string", "Kind of program.", vocabulary="pathway"),
    F("field_of_study", "string", "Field of the program in words (e.g. 'machine learning', 'data science')."),
    F("cip_code", "string", "Classification of Instructional Programs code (2020), 2, 4 or 6 digits, where known.", pattern=r"^[0-9]{2}(\.[0-9]{2}([0-9]{2})?)?$"),
    F("modality", "string", "How teaching is delivered.", vocabulary="modality"),
    F("pacing", "string", "Intensity of study.", vocabulary="pacing"),
    F("duration_months", "number", "Published length of the program.", unit="months", min=0.25, max=120),
    F("tuition_fees_usd", "number", "Published total tuition and mandatory fees for the whole program (not per year).", unit="USD", min=0, max=500_000),
    F("city", "string", "City where the program is taught (blank for online-only)."),
    F("state_code", "string", "US state (USPS code) where the program is taught, if in the US.", pattern=r"^[A-Z]{2}$"),
    F("country_code", "string", "Country where the program is taught (ISO 3166-1 alpha-2).", pattern=r"^[A-Z]{2}$"),
    F("program_url", "string", "Public web page of the program (not a person's page)."),
    F("program_source", "string", "Where the program facts come from (document, page, date)."),
    # --- graduate outcome records: identity (PII: never stored) -----------------------
    F("record_id", "string", "Curator's identifier of an outcome record, unique across all curated files.", pattern=ID_PATTERN),
    F("full_name", "string", "Graduate's name. PII: read only to derive person_key, never stored.", pii=True),
    F("email", "string", "Graduate's e-mail. PII: read only to derive person_key, never stored.", pii=True),
    F("profile_url", "string", "Graduate's profile URL. PII: read only to derive person_key, never stored.", pii=True),
    F("evidence_url", "string", "URL of the evidence (often a personal profile). PII: only its domain is stored.", pii=True),
    F("person_key", "string", "Keyed hash (HMAC-SHA256, first 32 hex digits) of the graduate's e-mail, else profile URL, else name + program + graduation date. De-duplicates people across files; meaningless outside this warehouse."),
    F("evidence_domain", "string", "Domain of the evidence URL, kept instead of the URL only when it is an organisation domain on the allow-list (schemas.vocab.EVIDENCE_DOMAINS, e.g. linkedin.com); NULL for any other site (a personal site's host names the person)."),
    F("evidence_kind", "string", "What kind of site the evidence URL points to; NULL when no evidence URL was given.", vocabulary="evidence_kind"),
    # --- graduate outcome records: facts --------------------------------------------
    F("graduation_date", "date", "Date the graduate completed the program."),
    F("cohort", "string", "CIRR half-year graduation cohort, e.g. 2023H1 (1 Jan-30 Jun) or 2023H2 (1 Jul-31 Dec). Derived from graduation_date when blank; must agree with it when given.", pattern=r"^[0-9]{4}H[12]$"),
    F("graduation_year", "integer", "Calendar year of graduation.", min=1950, max=2100),
    F("class_year", "integer", "NACE class year: graduates of 1 July (year-1) to 30 June (year) belong to class year `year`.", min=1950, max=2100),
    F("prior_degree", "string", "Highest degree held before the program.", vocabulary="prior_degree"),
    F("prior_field", "string", "Field of that prior degree.", vocabulary="prior_field"),
    F("prior_role", "string", "Job title held before the program (free text)."),
    F("prior_salary", "number", "Annual base salary before the program, in salary_currency.", min=0, max=2_000_000),
    F("years_experience", "number", "Years of full-time work experience before the program.", unit="years", min=0, max=60),
    F("outcome_status", "string", "Outcome at the time of collection; maps to one CIRR and one NACE category.", vocabulary="outcome_status"),
    F("in_field", "boolean", "Input only: whether the job is in the field of study. Optional; when given it must agree with outcome_status."),
    F("is_in_field", "boolean", "Employed in the field of study (CIRR 1A-1E); false for out-of-field employment (2A/2B); null when not employed."),
    F("cirr_category", "string", "CIRR category of outcome_status.", vocabulary="cirr_category"),
    F("nace_category", "string", "NACE first-destination category of outcome_status.", vocabulary="nace_category"),
    F("role_category", "string", "Kind of job obtained (employed statuses) or phd_student.", vocabulary="role_category"),
    F("employer_name", "string", "Employer (or school, for continuing education)."),
    F("job_start_date", "date", "Date the job started."),
    F("days_to_job_start", "integer", "job_start_date minus graduation_date (negative when hired before graduating).", unit="days"),
    F("base_salary", "number", "Annual base salary of the job, in salary_currency: no bonus, equity or relocation (CIRR).", min=1000, max=2_000_000),
    F("salary_currency", "string", "ISO 4217 currency of base_salary and prior_salary. Blank means USD.", vocabulary="currency"),
    F("base_salary_usd", "number", "base_salary converted to US dollars at the year-average rate in flows/assumptions.toml.", unit="USD"),
    F("prior_salary_usd", "number", "prior_salary converted to US dollars the same way.", unit="USD"),
    F("source_kind", "string", "Where the record's information came from.", vocabulary="source_kind"),
    F("collected_date", "date", "Date the curator collected the outcome."),
    F("verification_level", "string", "How well the outcome is evidenced.", vocabulary="verification_level"),
    F("data_origin", "string", "Which input family produced the row: 'curated' or a public source name."),
    # --- lineage ------------------------------------------------------------------
    F("source_file", "string", "Path of the input file, relative to the project root."),
    F("source_sha256", "string", "SHA-256 of the input file's bytes (the very bytes that were parsed).", pattern=r"^[0-9a-f]{64}$"),
    F("source_row_number", "integer", "Row number in the input file: 1 is the first data row (spreadsheet row 2 of a CSV/XLSX with a header; line 1 of a JSON Lines file). A workbook's sheets are numbered on in workbook order (messages name the sheet and its own row).", min=1),
    F("run_id", "string", "Identifier of the refresh run (UTC timestamp plus a random suffix)."),
    F("loaded_at", "datetime", "When the row was loaded (UTC)."),
    # --- ingest bookkeeping ----------------------------------------------------------
    F("file_kind", "string", "What a curated file holds: 'programs' or 'outcome_records'."),
    F("file_format", "string", "csv, xlsx or jsonl."),
    F("file_bytes", "integer", "Size of the file.", unit="bytes", min=0),
    F("ingest_action", "string", "What the run did with a file.", vocabulary="ingest_action"),
    F("skip_reason", "string", "Why a file under the curated folder was not read (ingest_action 'skipped'); details in ingest_message.", vocabulary="skip_reason"),
    F("rows_rejected", "integer", "Data rows of a rejected file, none of them read (NULL when the file could not be parsed into rows). Not part of rows_read: a rejected file has rows_read = rows_loaded = rows_quarantined = 0.", min=0),
    F("rows_read", "integer", "Data rows read from the file and judged row by row (0 for a rejected file: see rows_rejected).", min=0),
    F("rows_loaded", "integer", "Rows that reached the core table.", min=0),
    F("rows_quarantined", "integer", "Rows sent to quarantine (validation failures, duplicates, unknown programs).", min=0),
    F("rejection_reason", "string", "Why a whole file was rejected (missing required column, unreadable, wrong encoding)."),
    F("ingest_message", "string", "Free-text note on the file (e.g. ignored extra columns)."),
    F("raw_values_json", "string", "The row as read (all text; PII columns removed), as a JSON object."),
    F("failed_rules", "string", "Every rule the row broke, as `column:rule` separated by '; '."),
    F("failure_messages", "string", "One message per broken rule: column, offending value and rule, separated by ' | '."),
    F("quarantine_stage", "string", "'validate' (row-level rules of its file) or 'build' (rules across files: duplicates, unknown program)."),
    F("started_at", "datetime", "Run start (UTC)."),
    F("finished_at", "datetime", "Run end (UTC)."),
    F("elapsed_seconds", "number", "Wall-clock time of the run.", unit="seconds", min=0),
    F("run_status", "string", "succeeded or failed."),
    F("files_seen", "integer", "Input files discovered.", min=0),
    F("files_read", "integer", "Input files read this run (new or changed).", min=0),
    F("files_rejected", "integer", "Input files rejected whole.", min=0),
    F("files_skipped", "integer", "Files under the curated folder that were not read (unsupported, template, unreadable, broken link...).", min=0),
    F("programs_count", "integer", "Programs in the core table.", min=0),
    F("cohorts_count", "integer", "Distinct program x cohort pairs with graduates.", min=0),
    # --- first statistics ----------------------------------------------------------------
    F("graduates", "integer", "Graduates in the cell (all statuses, excluded ones included).", min=0),
    F("graduates_known_outcome", "integer", "Graduates whose outcome is known (status other than unknown).", min=0),
    F("knowledge_rate", "number", "NACE knowledge rate: graduates with a known outcome / all graduates.", unit="ratio", min=0, max=1),
    F("employed_in_field_count", "integer", "Graduates employed in field at collection (CIRR 1A-1E).", min=0),
    F("employed_in_field_rate", "number", "CIRR employed-in-field rate at collection: in field / (graduates - excluded).", unit="ratio", min=0, max=1),
    F("employed_in_field_90d_rate", "number", "CIRR employed-in-field rate 90 days after graduation: employed in field by day 90 / (graduates - excluded). In out tables computed from records; in outcome-report tables as the school published it.", unit="ratio", min=0, max=1),
    F("employed_in_field_180d_rate", "number", "CIRR employed-in-field rate 180 days after graduation: employed in field by day 180 / (graduates - excluded). In out tables computed from records; in outcome-report tables as the school published it.", unit="ratio", min=0, max=1),
    F("median_base_salary_usd", "number", "Median annual base salary of in-field graduates who reported one.", unit="USD"),
    F("salary_reported_count", "integer", "In-field graduates who reported a base salary.", min=0),
    F("is_suppressed", "boolean", "True when the cell has fewer individuals than the minimum cell size: its rates and salaries are withheld."),
    F("suppression_reason", "string", "Why the cell's figures are withheld (e.g. 'primary: 7 graduates < k=10')."),
]

register_fields(FIELDS)

#: The plausible range of every input date: graduation_year and class_year must stay within their
#: ranges (a graduate of July-December is in the next class year), so a date that passes input
#: validation can never fail the core table's model.
_BY_NAME = {f.name: f for f in FIELDS}
DATE_MIN = f"{_BY_NAME['graduation_year'].min:.0f}-01-01"
DATE_MAX = f"{_BY_NAME['class_year'].max - 1:.0f}-12-31"
