"""freeCodeCamp 2016 New Coder Survey: raw responses and the salary flags.

Owns the ``fcc_*`` fields (one per survey column, in file order), the raw table of every
response as read, and ``core_freecodecamp_2016__salary_flags`` (why a reported salary was
not loaded). The mapped outcome records and bootcamp programs go to the shared
``core_outcomes__graduate_outcomes`` and ``core_programs__programs``
(see ``docs/sources/freecodecamp_2016.md``).
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

#: (field name, the survey's column header) in file order. Headers repeat ("Other", "None"): position decides.
SURVEY_COLUMNS = (
    ("fcc_response_id", "#"),
    ("fcc_is_software_dev", "Are you already working as a software developer?"),
    ("fcc_job_pref", "Would you prefer to..."),
    ("fcc_job_role_interest", "Which one of these roles are you most interested in?"),
    ("fcc_job_role_interest_other", "Other"),
    ("fcc_job_apply_when", "When do you plan to start applying for developer jobs?"),
    ("fcc_expected_earning", "About how much money do you expect to earn per year at your first developer job (in US Dollars)?"),
    ("fcc_job_where_pref", "Would you prefer to work..."),
    ("fcc_job_relocate", "Are you willing to relocate for a job?"),
    ("fcc_event_coffee_and_codes", "coffee-and-codes"),
    ("fcc_event_hackathons", "hackathons"),
    ("fcc_event_conferences", "conferences"),
    ("fcc_event_nodeschool", "NodeSchool"),
    ("fcc_event_railsbridge", "RailsBridge"),
    ("fcc_event_startup_weekend", "Startup Weekend"),
    ("fcc_event_women_who_code", "Women Who Code"),
    ("fcc_event_girl_develop_it", "Girl Develop It"),
    ("fcc_event_none", "None"),
    ("fcc_event_other", "Other"),
    ("fcc_resource_edx", "EdX"),
    ("fcc_resource_coursera", "Coursera"),
    ("fcc_resource_free_code_camp", "Free Code Camp"),
    ("fcc_resource_khan_academy", "Khan Academy"),
    ("fcc_resource_code_school", "Code School (Pluralsight)"),
    ("fcc_resource_codecademy", "Codecademy"),
    ("fcc_resource_udacity", "Udacity"),
    ("fcc_resource_udemy", "Udemy"),
    ("fcc_resource_code_wars", "Code Wars"),
    ("fcc_resource_odin_project", "The Odin Project"),
    ("fcc_resource_devtips", "DevTips"),
    ("fcc_resource_other", "Other"),
    ("fcc_podcast_code_newbie", "Code Newbie"),
    ("fcc_podcast_changelog", "The Changelog"),
    ("fcc_podcast_se_daily", "Software Engineering Daily"),
    ("fcc_podcast_js_jabber", "JavaScript Jabber"),
    ("fcc_podcast_none", "None"),
    ("fcc_podcast_other", "Other"),
    ("fcc_hours_learning", "About how many hours do you spend learning each week?"),
    ("fcc_months_programming", "About how many months have you been programming for?"),
    ("fcc_bootcamp_attended", "Have you attended a full-time coding bootcamp?"),
    ("fcc_bootcamp_name", "Which one?"),
    ("fcc_bootcamp_finished", "Have you finished yet?"),
    ("fcc_bootcamp_months_ago", "How many months ago?"),
    ("fcc_bootcamp_full_job_after", "Were you able to get a full time developer job afterward?"),
    ("fcc_bootcamp_post_salary", "How much was your salary?"),
    ("fcc_bootcamp_loan", "Did you take out a loan to pay for the bootcamp?"),
    ("fcc_bootcamp_recommend", "Based on your experience, would you recommend this bootcamp to your friends?"),
    ("fcc_money_for_learning", "Aside from university tuition, about how much money have you spent on learning to code so far (in US dollars)?"),
    ("fcc_start_date_utc", "Start Date (UTC)"),
    ("fcc_submit_date_utc", "Submit Date (UTC)"),
    ("fcc_network_id", "Network ID"),
)
RAW_FIELDS = tuple(name for name, _ in SURVEY_COLUMNS)

register_fields(
    [Field(name, "string", f"freeCodeCamp 2016 survey column {header!r}, as answered (text).") for name, header in SURVEY_COLUMNS]
    + [
        Field("flag_rule", "string", "Name of the rule that flagged the value (see the source's documentation)."),
        Field("flag_message", "string", "What was flagged: file, row, column, value and rule."),
    ]
)

TABLES = [
    Table(
        "raw_freecodecamp_2016__responses",
        "freeCodeCamp 2016 New Coder Survey (part 1) as read: every response, every cell as text, with lineage. "
        "ODbL 1.0: attribute freeCodeCamp and CodeNewbie; share derived databases alike.",
        fields=RAW_FIELDS + ("source_file", "source_sha256", "source_row_number", "snapshot_id"),
        primary_key=("source_file", "source_row_number"),
        required=("fcc_response_id", "source_sha256", "snapshot_id"),
        warnings=("lineage_only", "self_reported"),
        grain="One row per survey response.",
    ),
    Table(
        "core_freecodecamp_2016__salary_flags",
        "Salaries reported in the freeCodeCamp 2016 survey that were NOT loaded into base_salary, and why "
        "(outside the base_salary range, or a salary without a full-time job). The outcome record is kept "
        "with base_salary null; these values are never averaged in.",
        fields=("record_id", "fcc_bootcamp_post_salary", "flag_rule", "flag_message", "source_file",
                "source_row_number"),
        primary_key=("record_id",),
        required=("flag_rule", "flag_message", "source_file", "source_row_number"),
        warnings=("self_reported",),
        grain="One row per flagged salary answer.",
    ),
]

register_tables(TABLES)
