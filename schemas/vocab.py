"""Closed vocabularies (enums), including the outcome-status mapping to CIRR and NACE.

Owns every code list the project accepts. Fields refer to these by name. The
outcome-status vocabulary carries its mapping onto the CIRR categories and the NACE
first-destination categories (see docs/METHODOLOGY.md, after CIRR's and NACE's
standards): every status maps to exactly one category of each
standard, and every category of each standard is reached by at least one status (a test
checks both).
"""

from __future__ import annotations

from schemas.model import Vocabulary, register_vocabularies

CIRR_CATEGORIES = {
    "1A": "employed full-time in field (salaried employee)",
    "1B": "full-time apprenticeship, internship or contract in field",
    "1C": "hired in field by the school itself",
    "1D": "started a company or venture in field",
    "1E": "short-term contract, part-time, freelance, or unknown length, in field",
    "2A": "hired by the school out of field",
    "2B": "employed out of field",
    "3A": "still seeking an in-field job",
    "3B": "not seeking (e.g. continuing education, personal reasons)",
    "4": "non-reporting (outcome unknown)",
    "excluded": "did not intend to seek an in-field job within 180 days, or not authorised to work",
}

NACE_CATEGORIES = {
    "employed_full_time": "employed full-time (30+ hours a week)",
    "employed_part_time": "employed part-time",
    "self_employed": "self-employed / entrepreneur",
    "postgraduate_internship_or_fellowship": "post-graduate internship or fellowship",
    "volunteer_service": "volunteer service",
    "military": "military service",
    "continuing_education": "continuing education",
    "seeking_employment": "seeking employment",
    "seeking_continuing_education": "seeking continuing education",
    "not_seeking": "not seeking",
    "no_information": "no information",
}


def cirr_in_field(cirr_category: str) -> bool | None:
    """The in-field definition, written once: CIRR 1A-1E are employed in field (True), 2A/2B employed out of
    field (False), every other category is not employed (None). The code table ``core_codes__cirr_category``
    (column ``is_in_field``) carries it to SQL."""
    return True if cirr_category.startswith("1") else False if cirr_category.startswith("2") else None


def cirr_employed(cirr_category: str) -> bool:
    """Employed at all (in or out of field): CIRR 1x and 2x."""
    return cirr_in_field(cirr_category) is not None


#: NACE categories counted as a career outcome (numerator of NACE's career outcomes rate): employment of
#: any kind, service and continuing education. Code table column ``core_codes__nace_category.is_career_outcome``.
CAREER_OUTCOME_NACE = ("employed_full_time", "employed_part_time", "self_employed",
                       "postgraduate_internship_or_fellowship", "volunteer_service", "military",
                       "continuing_education")

# status: (description, CIRR code, NACE category)
_STATUS_MAPPINGS: dict[str, tuple[str, str, str]] = {
    "employed_full_time_in_field": ("Salaried full-time employee in the field of study", "1A", "employed_full_time"),
    "contract_full_time_in_field": ("Full-time contract in field", "1B", "employed_full_time"),
    "internship_or_fellowship_in_field": ("Full-time apprenticeship, internship or fellowship in field", "1B", "postgraduate_internship_or_fellowship"),
    "hired_by_school_in_field": ("Hired in field by the school itself", "1C", "employed_full_time"),
    "founded_company_in_field": ("Started a company or venture in field", "1D", "self_employed"),
    "part_time_or_freelance_in_field": ("Part-time, freelance or short-term work in field", "1E", "employed_part_time"),
    "hired_by_school_out_of_field": ("Hired by the school out of field", "2A", "employed_full_time"),
    "employed_full_time_out_of_field": ("Employed full-time out of field", "2B", "employed_full_time"),
    "employed_part_time_out_of_field": ("Employed part-time out of field", "2B", "employed_part_time"),
    "military_service": ("Serving in the military", "2B", "military"),
    "seeking_employment": ("Still seeking a job", "3A", "seeking_employment"),
    "continuing_education": ("Enrolled in further study (e.g. a PhD)", "3B", "continuing_education"),
    "seeking_continuing_education": ("Applying for further study", "3B", "seeking_continuing_education"),
    "volunteer_service": ("Volunteer service (e.g. Peace Corps)", "3B", "volunteer_service"),
    "not_seeking": ("Not seeking a job for personal reasons", "3B", "not_seeking"),
    "unknown": ("Outcome unknown (non-reporting)", "4", "no_information"),
    "excluded": ("Declared at enrolment no intent to seek an in-field job within 180 days, or not authorised to work", "excluded", "not_seeking"),
}

#: status: (description, CIRR code, NACE category, in-field: True / False / None); in-field from the CIRR code.
OUTCOME_STATUSES: dict[str, tuple[str, str, str, bool | None]] = {
    s: (d, cirr, nace, cirr_in_field(cirr)) for s, (d, cirr, nace) in _STATUS_MAPPINGS.items()}


def in_field_of_status(status: str | None) -> bool | None:
    """In field (True), out of field (False) or not employed (None) for an outcome status (None if unknown)."""
    return OUTCOME_STATUSES[status][3] if status in OUTCOME_STATUSES else None


#: Statuses counted as employed in field (CIRR 1A-1E).
IN_FIELD_STATUSES = tuple(s for s, v in OUTCOME_STATUSES.items() if v[3] is True)
#: Statuses counted as employed at all (CIRR 1x and 2x).
EMPLOYED_STATUSES = tuple(s for s, v in OUTCOME_STATUSES.items() if cirr_employed(v[1]))


def _v(name: str, description: str, codes: dict[str, str], mappings=None) -> Vocabulary:
    return Vocabulary(name, description, codes, mappings or {})


VOCABS = [
    _v("pathway", "Kind of program", {
        "masters": "Master's degree",
        "bootcamp": "Coding / data bootcamp",
        "certificate": "Certificate (graduate, professional or MOOC specialisation)",
        "phd": "Research doctorate",
        "self_study": "Self-directed study (no enrolling institution)",
        "other": "Any other pathway",
        "bachelors": "Bachelor's degree (public programs of College Scorecard, Census PSEO, Colorado ROI)",
        "associate": "Associate degree (public programs)",
    }),
    _v("modality", "How teaching is delivered", {
        "online": "Fully online", "hybrid": "Mix of online and in person", "in_person": "On campus / in person",
        "unknown": "Not stated (the code of a missing modality in out tables)",
    }),
    _v("pacing", "Intensity of study", {
        "full_time": "Full-time study", "part_time": "Part-time study", "self_paced": "Self-paced",
        "unknown": "Not stated (the code of a missing pacing in out tables)",
    }),
    _v("outcome_status", "Graduate outcome status; maps to CIRR and NACE (see mapping)",
       {k: v[0] for k, v in OUTCOME_STATUSES.items()},
       {"cirr": {k: v[1] for k, v in OUTCOME_STATUSES.items()},
        "nace": {k: v[2] for k, v in OUTCOME_STATUSES.items()}}),
    _v("cirr_category", "CIRR outcome category", CIRR_CATEGORIES),
    _v("nace_category", "NACE first-destination category", NACE_CATEGORIES),
    _v("role_category", "Kind of job obtained", {
        "ml_engineer": "Machine-learning engineer",
        "data_scientist": "Data scientist / analyst in a modelling role",
        "data_engineer": "Data engineer",
        "software_engineer": "Software engineer / developer",
        "research_scientist": "Research scientist",
        "phd_student": "Doctoral student",
        "other": "Any other role",
    }),
    _v("prior_degree", "Highest degree before the program", {
        "none": "No completed secondary education",
        "high_school": "High school or equivalent",
        "associate": "Associate degree",
        "bachelors": "Bachelor's degree",
        "masters": "Master's degree",
        "doctorate": "Doctorate",
        "professional": "Professional degree (MBA, MD, JD, ...)",
        "unknown": "Not stated (the code of a missing prior degree in out tables)",
    }),
    _v("prior_field", "Field of the prior degree", {
        "computer_science": "Computer science / software",
        "engineering": "Engineering",
        "math_statistics": "Mathematics or statistics",
        "natural_sciences": "Physics, chemistry, biology, earth sciences",
        "social_sciences": "Economics, psychology, sociology, ...",
        "business": "Business, finance, management",
        "humanities_arts": "Humanities and arts",
        "health": "Health and medicine",
        "education": "Education",
        "other": "Other field",
        "none": "No prior degree",
        "unknown": "Not stated (the code of a missing prior field in out tables)",
    }),
    _v("currency", "Currencies with a conversion rate in flows/assumptions.toml (ISO 4217)", {
        "USD": "US dollar", "EUR": "Euro", "GBP": "Pound sterling", "CAD": "Canadian dollar",
        "AUD": "Australian dollar", "INR": "Indian rupee", "CHF": "Swiss franc",
    }),
    _v("source_kind", "Where a curated record's information came from", {
        "graduate_survey": "Survey of graduates run by the school or researcher",
        "school_records": "School's career-services records",
        "employer_verified": "Confirmed by the employer",
        "public_profile": "Public professional profile (e.g. LinkedIn)",
        "self_reported": "Graduate told the researcher directly",
        "news_or_web": "News item or web page",
        "public_dataset": "Row of a public dataset (e.g. freeCodeCamp survey)",
    }),
    _v("verification_level", "How well the outcome is evidenced (CIRR asks for documents)", {
        "documented": "Documentary evidence seen (offer letter, contract, employer confirmation)",
        "corroborated": "Two independent sources agree",
        "self_reported": "Graduate's own statement only",
        "inferred": "Inferred from a public profile or web page",
    }),
]

register_vocabularies(VOCABS)

#: Rank of verification levels, best first: used to pick which duplicate to keep.
VERIFICATION_RANK = {"documented": 0, "corroborated": 1, "self_reported": 2, "inferred": 3}

# --------------------------------------------------------------------------- ingest bookkeeping

INGEST_ACTIONS = {
    "read": "Read this run (new or changed file): its rows were loaded or quarantined",
    "rejected": "Read this run and rejected whole (see rejection_reason); no row loaded",
    "skipped_unchanged": "Unchanged since the run that read it (same SHA-256): its rows were kept",
    "skipped": "Under the curated folder but not read (see skip_reason and ingest_message)",
    "removed": "No longer in the curated folder: its rows were deleted",
    "missing": "Public source without any snapshot: not loaded",
}

SKIP_REASONS = {
    "unsupported_extension": "Not a .csv, .xlsx or .jsonl file",
    "template": "A TEMPLATE* file (the column templates); a note says when it holds data rows",
    "readme": "A README* file (documentation); a note says when it holds data rows",
    "office_lock_file": "A lock file a spreadsheet program writes beside an open workbook (~$name.xlsx)",
    "unreadable": "The file or folder cannot be read (e.g. permission denied)",
    "dangling_symlink": "A symbolic link whose target does not exist",
    "symlink_loop": "A symbolic link that points (through other links) to itself",
    "directory_loop": "A linked folder that contains itself: its files are already listed once",
    "not_a_regular_file": "A device, pipe or socket",
}

# --------------------------------------------------------------------------- evidence URLs

EVIDENCE_KINDS = {
    "professional_profile": "A profile on a professional network (e.g. linkedin.com)",
    "code_host": "A code-hosting or data-science platform (e.g. github.com, kaggle.com)",
    "social_profile": "A general social network (e.g. x.com, facebook.com)",
    "scholarly": "A scholarly index or publisher (e.g. orcid.org, scholar.google.com)",
    "news": "A news organisation",
    "personal_site": "A site that names the person by its host (e.g. jane-doe.github.io): the domain is not kept",
    "other": "Any other site (an employer's, a school's, a blog): the domain is not kept",
}

#: Organisation domains whose name identifies no person: the only evidence domains kept
#: (``evidence_domain``). A host matches its domain exactly, or as a two-letter regional
#: sub-domain (``de.linkedin.com``). Every other host is stored as NULL with its kind.
EVIDENCE_DOMAINS = {
    "linkedin.com": "professional_profile", "xing.com": "professional_profile",
    "github.com": "code_host", "gitlab.com": "code_host", "bitbucket.org": "code_host",
    "kaggle.com": "code_host", "huggingface.co": "code_host", "stackoverflow.com": "code_host",
    "twitter.com": "social_profile", "x.com": "social_profile", "facebook.com": "social_profile",
    "instagram.com": "social_profile", "mastodon.social": "social_profile",
    "orcid.org": "scholarly", "scholar.google.com": "scholarly", "researchgate.net": "scholarly",
    "arxiv.org": "scholarly",
    "nytimes.com": "news", "reuters.com": "news", "bbc.co.uk": "news", "bbc.com": "news",
    "techcrunch.com": "news", "theguardian.com": "news",
}

#: Hosting services whose sub-domains are personal sites (``jane-doe.github.io``): kind personal_site.
PERSONAL_SITE_SUFFIXES = (
    "github.io", "gitlab.io", "netlify.app", "vercel.app", "pages.dev", "herokuapp.com", "wordpress.com",
    "blogspot.com", "substack.com", "medium.com", "wixsite.com", "squarespace.com", "carrd.co", "about.me",
    "notion.site", "webflow.io", "neocities.org",
)

register_vocabularies([
    _v("ingest_action", "What a run did with an input file", INGEST_ACTIONS),
    _v("skip_reason", "Why a file under the curated folder was not read", SKIP_REASONS),
    _v("evidence_kind", "What kind of site an evidence URL points to (the URL itself is never stored)", EVIDENCE_KINDS),
])

# --------------------------------------------------------------------------- evidence classes of data origins

#: Kinds of evidence behind a figure. Cross-program out tables carry the class in their primary key, so no
#: aggregate row pools rows of two classes (e.g. synthetic demonstration data with real survey answers).
DATA_ORIGIN_CLASSES = {
    "audited_report": "Outcome reports a school published under a reporting standard (e.g. CIRR), audited or attested",
    "public_records": "Public administrative records (College Scorecard, Census PSEO, state ROI, BLS)",
    "curated_documented": "Records a researcher curated with documented evidence (offer letters, employer confirmation, profiles)",
    "self_reported_survey": "Answers to an open self-reported survey (e.g. freeCodeCamp 2016): unverified, self-selected",
    "synthetic": "Synthetic demonstration data ([reports] synthetic_data_origins): illustrates the method, never a fact",
}

#: How each evidence class's outcome rates were measured, as a rate's label says it (never "CIRR" for a
#: survey), and what its Wilson intervals cover.
RATE_METHODS = {
    "audited_report": ("CIRR report published by the school",
                       "Wilson interval: sampling error of a rate over the graduates the report counts."),
    "public_records": ("Public administrative records",
                       "Wilson interval: sampling error of a rate over the graduates the records cover."),
    "curated_documented": ("CIRR definitions applied to curated, documented records",
                           "Wilson interval: sampling error over the curated graduates; graduates the curator "
                           "could not document count as unknown outcomes."),
    "self_reported_survey": ("Self-reported survey answers mapped to CIRR categories (not a CIRR report)",
                             "Wilson interval: sampling error among the respondents only; it does not cover who "
                             "chose to answer (a self-selected sample can differ from all graduates in any direction)."),
    "synthetic": ("Synthetic demonstration data", "Wilson interval of synthetic records: illustrates the method only."),
}

#: Sources whose records cannot show a job outside the field (the survey asked only about in-field
#: work): their NACE career-outcomes rate counts in-field work only and is a lower bound.
NO_OUT_OF_FIELD_JOBS = ("freecodecamp_2016",)

#: data_origin -> evidence class. An origin listed in [reports] synthetic_data_origins is 'synthetic'
#: whatever it maps to here; an origin missing here is refused by the statistics builder.
ORIGIN_CLASS_OF = {
    "outcome_reports": "audited_report",
    "public_records": "public_records",
    "college_scorecard": "public_records",
    "census_pseo": "public_records",
    "colorado_roi": "public_records",
    "bls_oews": "public_records",
    "nsf_ncses": "public_records",
    "fivethirtyeight": "public_records",
    "curated": "curated_documented",
    "freecodecamp_2016": "self_reported_survey",
    "kaggle_2017": "self_reported_survey",
}

register_vocabularies([
    _v("data_origin_class", "Evidence class of a data origin; cross-program aggregates never mix classes",
       DATA_ORIGIN_CLASSES),
])
