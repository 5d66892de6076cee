"""Seeded generator of SYNTHETIC curated input files (programs and graduate outcome records).

Owns the bundled sample in ``data/raw/curated/synthetic_*`` and the benchmark inputs. It
writes files in the exact layout of the curated template (``schemas.tables.curated``:
``INPUT_PROGRAMS`` and ``INPUT_OUTCOME_RECORDS``, in that order), every value as text the
way a researcher would type it: ISO dates ``YYYY-MM-DD``, booleans ``true``/``false``,
blank cells for missing values (``null`` in JSON Lines, empty cells in XLSX). It must not
read or write the warehouse, and it never produces a real person's data: every name,
e-mail and URL is obviously fake (``Synthetic Person 000123``, ``grad000123@example.org``).

Everything is vectorised with numpy and driven by one ``numpy.random.Generator`` seeded
from ``seed``: the same arguments give byte-identical files (XLSX zip entries carry a
fixed timestamp). One million records take a few seconds (``--csv-only``).

Relationships built into the data (what the statistics should find again)
------------------------------------------------------------------------
Programs
    A hand-written list of 38 fictional programs (``PROGRAMS``) covering every pathway,
    modality and pacing, with realistic tuition (online master's 11k-24k USD, campus
    master's 34k-88k, except the Indian M.Tech at 12k; bootcamps 10.5k-19.5k;
    certificates 600-9.5k; PhDs 0, funded; self-study 0-1.5k) and length (master's 12-30
    months, part-time longer; bootcamps 3-6; certificates 4-11; PhDs 48-66; self-study
    9-15). Programs abroad (GB, DE, CA, IN) pay salaries in their currency; US programs
    carry a state code (16 masters/PhD/certificate programs with CIP codes in CO, TX, MI or WI, the
    states of the Census PSEO sample). Beyond the list (``n_programs`` larger, for
    benchmarks) programs ``synthetic-program-0001``... are drawn from the same rules.
Program sizes and years
    Graduates per program-year ~ hand-set size x a program growth rate (lognormal-ish
    spread, so a few programs have program-years with fewer than 10 graduates, which
    suppression must withhold). Masters/PhD graduate mostly in May, August or December;
    other pathways any day of the year.
Outcome status
    Per program, a random effect on the logit of the in-field rate (sd 0.6), an unknown
    (non-reporting) share of 8-32% (three programs 36-40%, i.e. knowledge rate < 65%)
    and, for bootcamps, 2-4% ``excluded``. The in-field probability among known
    outcomes rises with pathway (PhD > master's > bootcamp > certificate > other >
    self-study), with years of experience and a technical prior field, and moves with
    the job market by year (2020 and 2023-2024 weaker, 2021-2022 stronger). Master's
    graduates continue to a PhD about 5% of the time (``continuing_education``, role
    ``phd_student``); PhD graduates go to jobs or postdoctoral fellowships (mostly
    research_scientist / ml_engineer). The rest are out-of-field jobs, seeking
    employment, or not seeking / volunteering / military.
Timing
    Days from graduation to job start are gamma distributed (mean ~100, about 18% over
    180 days); 5-35% (by pathway) were hired before graduating, never more than 365 days
    before. The outcome is collected 150-420 days after graduation, never before the job
    start (a job that had not started by then is recorded as ``seeking_employment``) and
    never after 31 Dec 2025 (or 31 Dec of the year after the last graduation year).
Salaries
    Base salary is lognormal: role level (research scientist / ML engineer highest,
    ``other`` lowest) x pathway (PhD +15%, bootcamp -18% ...) x years of experience (+3% a
    year, up to 12) x out-of-field and part-time/internship discounts x country level
    (GB 0.62, DE 0.66, CA 0.75, IN 0.10 of the US level, converted to the local currency
    with the rates in ``flows/assumptions.toml``) x a small program effect x 3% wage growth a
    year; top-coded at the field maximum (2,000,000; only INR comes near it). About 15%
    of employed graduates report no salary (35% out of field, 80% when the source is a
    public profile). Prior salary is missing for ~40% (always when there was no prior
    job). ``salary_currency`` is blank for some US rows (blank means USD).
Background
    Prior degree and field follow the pathway: PhD students hold master's or bachelor's
    degrees in mathematics/statistics, computer science, natural sciences or
    engineering; bootcamp graduates are often humanities, business or social-science
    graduates, some without a degree. Years of experience 0-25 (gamma by pathway).
Sources and evidence
    ``source_kind`` depends on the pathway (bootcamps: school records; universities:
    graduate surveys; self-study: public profiles) and ``verification_level`` on the
    source (school_records / employer_verified -> mostly documented; public_profile /
    news -> inferred; graduate_survey -> self_reported, sometimes corroborated).
People
    PII columns are always present and fake. About 1% of people appear twice, in two
    different files, under different record_ids with the same e-mail (a second record from a
    public profile): the loader must de-duplicate them.

Command line: ``python -m devtools.synthetic --records N --programs P --out DIR --seed S
[--csv-only] [--with-mistakes]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from flows.config import load_assumptions
from schemas.tables.curated import INPUT_OUTCOME_RECORDS, INPUT_PROGRAMS

DEFAULT_SEED = 20261121
FORMATS = ("csv", "jsonl", "xlsx")

PATHWAYS = ("masters", "bootcamp", "certificate", "phd", "self_study", "other")
ROLES = ("ml_engineer", "data_scientist", "data_engineer", "software_engineer",
         "research_scientist", "phd_student", "other")
COUNTRY_CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "CA": "CAD", "IN": "INR"}
#: Salary level of a country relative to the US, in USD terms (before currency conversion).
COUNTRY_LEVEL = {"US": 1.0, "GB": 0.62, "DE": 0.66, "CA": 0.75, "IN": 0.10}

# ---------------------------------------------------------------------------------------
# Programs: (id, institution, program name, pathway, field, CIP, modality, pacing,
#            months, tuition USD, city, state, country, relative size)
# ---------------------------------------------------------------------------------------
PROGRAMS: list[tuple] = [
    # master's
    ("msds-lakeshore-tech", "Lakeshore Institute of Technology", "Master of Science in Data Science", "masters", "data science", "30.7001", "in_person", "full_time", 16, 62000, "Milwaukee", "WI", "US", 3.0),
    ("msds-lakeshore-tech-online", "Lakeshore Institute of Technology", "Online Master of Science in Data Science", "masters", "data science", "30.7001", "online", "part_time", 24, 24000, "", "WI", "US", 4.0),
    ("mscs-ml-front-range", "Front Range University", "MS in Computer Science, Machine Learning Track", "masters", "machine learning", "11.0701", "in_person", "full_time", 18, 58000, "Boulder", "CO", "US", 2.0),
    ("msstat-prairie-state", "Prairie State University", "MS in Applied Statistics", "masters", "statistics", "27.0501", "hybrid", "part_time", 24, 34000, "Lubbock", "TX", "US", 1.0),
    ("msai-gulf-coast-tech", "Gulf Coast Technical University", "MS in Artificial Intelligence", "masters", "artificial intelligence", "11.0102", "in_person", "full_time", 12, 71000, "Houston", "TX", "US", 2.0),
    ("msda-great-lakes-poly-online", "Great Lakes Polytechnic", "Online Master of Data Analytics", "masters", "data analytics", "30.7101", "online", "part_time", 20, 15000, "", "MI", "US", 6.0),
    ("msml-upper-peninsula", "Upper Peninsula College of Engineering", "MS in Machine Learning", "masters", "machine learning", "11.0701", "in_person", "full_time", 16, 45000, "Houghton", "MI", "US", 0.35),
    ("mscis-mesa-verde-online", "Mesa Verde State University", "MS in Computer and Information Sciences (online)", "masters", "computer science", "11.0101", "online", "part_time", 30, 11000, "", "CO", "US", 3.0),
    ("mas-lone-star-online", "Lone Star Online University", "Master of Applied Statistics", "masters", "statistics", "27.0501", "online", "part_time", 24, 19000, "", "TX", "US", 3.0),
    ("meng-de-mile-high", "Mile High School of Engineering", "MEng in Data Engineering", "masters", "data engineering", "14.0901", "in_person", "full_time", 12, 48000, "Denver", "CO", "US", 1.0),
    ("msba-harbor-bay", "Harbor Bay University", "MS in Business Analytics", "masters", "business analytics", "30.0801", "in_person", "full_time", 12, 88000, "Boston", "MA", "US", 2.0),
    ("msds-redwood-coast", "Redwood Coast University", "MS in Data Science", "masters", "data science", "30.7001", "hybrid", "full_time", 15, 54000, "Oakland", "CA", "US", 1.5),
    ("mscdsai-kingsbridge", "University of Kingsbridge", "MSc Data Science and Artificial Intelligence", "masters", "data science", "", "in_person", "full_time", 12, 39000, "London", "", "GB", 1.5),
    ("msc-de-rhine-valley", "Rhine Valley School of Applied Sciences", "MSc Data Engineering", "masters", "data engineering", "", "in_person", "full_time", 24, 31000, "Karlsruhe", "", "DE", 1.0),
    ("mds-maple-ridge", "Maple Ridge University", "Master of Data Science", "masters", "data science", "", "in_person", "full_time", 16, 45000, "Vancouver", "", "CA", 1.5),
    ("mtech-ai-deccan", "Deccan Institute of Technology", "M.Tech in Artificial Intelligence", "masters", "artificial intelligence", "", "in_person", "full_time", 24, 12000, "Hyderabad", "", "IN", 2.0),
    # PhD (funded: tuition 0)
    ("phd-cs-front-range", "Front Range University", "PhD in Computer Science", "phd", "computer science", "11.0701", "in_person", "full_time", 60, 0, "Boulder", "CO", "US", 0.5),
    ("phd-stat-prairie-state", "Prairie State University", "PhD in Statistics", "phd", "statistics", "27.0501", "in_person", "full_time", 60, 0, "Lubbock", "TX", "US", 0.3),
    ("phd-ml-lakeshore-tech", "Lakeshore Institute of Technology", "PhD in Machine Learning", "phd", "machine learning", "30.0801", "in_person", "full_time", 66, 0, "Milwaukee", "WI", "US", 0.4),
    ("phd-ds-kingsbridge", "University of Kingsbridge", "PhD in Data Science", "phd", "data science", "", "in_person", "full_time", 48, 0, "London", "", "GB", 0.25),
    # certificates
    ("gradcert-ds-great-lakes-poly", "Great Lakes Polytechnic", "Graduate Certificate in Data Science", "certificate", "data science", "30.7001", "online", "part_time", 9, 9500, "", "MI", "US", 2.0),
    ("cert-ml-mesa-verde", "Mesa Verde State University", "Professional Certificate in Machine Learning", "certificate", "machine learning", "11.0701", "hybrid", "part_time", 6, 4800, "Pueblo", "CO", "US", 1.0),
    ("cert-de-lone-star-online", "Lone Star Online University", "Certificate in Data Engineering", "certificate", "data engineering", "11.0101", "online", "self_paced", 6, 2400, "", "TX", "US", 2.0),
    ("cert-ml-opencourse-commons", "OpenCourse Commons", "Machine Learning Specialisation", "certificate", "machine learning", "", "online", "self_paced", 4, 600, "", "", "US", 5.0),
    ("pgcert-aiml-deccan-online", "Deccan Institute of Technology", "PG Certificate in AI and Machine Learning", "certificate", "machine learning", "", "online", "part_time", 11, 3200, "", "", "IN", 3.0),
    ("cert-analytics-rhine-valley", "Rhine Valley School of Applied Sciences", "Certificate in Applied Analytics", "certificate", "data analytics", "", "hybrid", "part_time", 8, 7500, "Karlsruhe", "", "DE", 0.6),
    # bootcamps
    ("bootcamp-ds-byteforge-nyc", "ByteForge Academy", "Data Science Immersive", "bootcamp", "data science", "", "in_person", "full_time", 3, 16500, "New York", "NY", "US", 4.0),
    ("bootcamp-ds-byteforge-flex", "ByteForge Academy", "Data Science Flex (online)", "bootcamp", "data science", "", "online", "part_time", 6, 14000, "", "", "US", 5.0),
    ("bootcamp-de-pipeline-works", "Pipeline Works", "Data Engineering Bootcamp", "bootcamp", "data engineering", "", "hybrid", "full_time", 4, 15500, "Austin", "TX", "US", 2.0),
    ("bootcamp-mle-quantum-leap", "Quantum Leap Coding School", "Machine Learning Engineering Bootcamp", "bootcamp", "machine learning", "", "in_person", "full_time", 4, 19500, "Seattle", "WA", "US", 1.0),
    ("bootcamp-da-northern-lights", "Northern Lights Code Academy", "Data Analytics Bootcamp", "bootcamp", "data analytics", "", "in_person", "full_time", 3, 11000, "Toronto", "", "CA", 1.5),
    ("bootcamp-ds-thames-online", "Thames Data School", "Data Science Bootcamp (self-paced)", "bootcamp", "data science", "", "online", "self_paced", 5, 10500, "", "", "GB", 1.0),
    # self-study
    ("selfstudy-ml-independent", "Independent learners (no institution)", "Self-taught machine learning (MOOCs and projects)", "self_study", "machine learning", "", "online", "self_paced", 12, 400, "", "", "", 3.0),
    ("selfstudy-ds-open-data-guild", "Open Data Guild", "Community data science study track", "self_study", "data science", "", "hybrid", "self_paced", 9, 0, "Detroit", "MI", "US", 1.0),
    ("selfstudy-de-independent", "Independent learners (no institution)", "Self-taught data engineering", "self_study", "data engineering", "", "online", "self_paced", 15, 1500, "", "", "", 1.0),
    # other
    ("apprenticeship-da-riverbend", "Riverbend Workforce Board", "Data Analyst Apprenticeship", "other", "data analytics", "", "hybrid", "full_time", 12, 0, "Madison", "WI", "US", 1.0),
    ("residency-ai-fieldstone", "Fieldstone Labs", "AI Residency", "other", "artificial intelligence", "", "in_person", "full_time", 12, 0, "Pittsburgh", "PA", "US", 0.4),
    ("nanodegree-de-opencourse", "OpenCourse Commons", "Data Engineering Nanodegree", "other", "data engineering", "", "online", "self_paced", 5, 1200, "", "", "US", 2.0),
]

# Pathway parameters --------------------------------------------------------------------
_P = {p: i for i, p in enumerate(PATHWAYS)}
#: Logit of the in-field probability among known, seeking-eligible graduates.
IN_FIELD_LOGIT = np.array([1.2, 0.5, 0.2, 1.9, -0.4, 0.0])
CONTINUING_EDUCATION = np.array([0.05, 0.01, 0.02, 0.0, 0.01, 0.01])
HIRED_BEFORE_GRADUATION = np.array([0.20, 0.05, 0.30, 0.35, 0.10, 0.10])
#: Gamma (shape, scale) of years of experience before the program.
EXPERIENCE_GAMMA = np.array([[1.3, 2.2], [2.0, 2.6], [2.2, 3.0], [1.0, 1.2], [1.8, 2.8], [1.5, 2.5]])
SALARY_PATHWAY = np.array([0.0, -0.18, -0.12, 0.15, -0.18, -0.15])
YEAR_MARKET = {2019: 0.0, 2020: -0.35, 2021: 0.2, 2022: 0.3, 2023: -0.35, 2024: -0.25}

IN_FIELD_STATUSES = ("employed_full_time_in_field", "contract_full_time_in_field",
                     "internship_or_fellowship_in_field", "hired_by_school_in_field",
                     "founded_company_in_field", "part_time_or_freelance_in_field")
IN_FIELD_MIX = np.array([
    [0.80, 0.06, 0.04, 0.01, 0.02, 0.07],  # masters
    [0.74, 0.08, 0.05, 0.04, 0.02, 0.07],  # bootcamp
    [0.80, 0.06, 0.03, 0.01, 0.02, 0.08],  # certificate
    [0.72, 0.02, 0.22, 0.02, 0.01, 0.01],  # phd: postdoctoral fellowships
    [0.62, 0.12, 0.04, 0.00, 0.05, 0.17],  # self_study: no school to hire them
    [0.78, 0.06, 0.06, 0.02, 0.02, 0.06],  # other
])
OUT_STATUSES = ("hired_by_school_out_of_field", "employed_full_time_out_of_field",
                "employed_part_time_out_of_field", "military_service", "seeking_employment",
                "not_seeking", "volunteer_service", "seeking_continuing_education")
OUT_MIX = np.array([0.01, 0.36, 0.09, 0.01, 0.42, 0.07, 0.02, 0.02])
#: Log salary adjustment by status (part-time pay and fellowships are lower).
STATUS_SALARY = {"part_time_or_freelance_in_field": -0.35, "internship_or_fellowship_in_field": -0.45,
                 "contract_full_time_in_field": -0.05, "founded_company_in_field": -0.2,
                 "hired_by_school_out_of_field": -0.35, "employed_full_time_out_of_field": -0.3,
                 "employed_part_time_out_of_field": -0.7, "military_service": -0.4}
ROLE_MIX = np.array([  # ml, ds, de, swe, research, phd_student, other
    [0.20, 0.40, 0.15, 0.15, 0.05, 0.0, 0.05],
    [0.05, 0.30, 0.20, 0.35, 0.00, 0.0, 0.10],
    [0.10, 0.35, 0.20, 0.20, 0.00, 0.0, 0.15],
    [0.30, 0.20, 0.00, 0.05, 0.45, 0.0, 0.00],
    [0.10, 0.30, 0.15, 0.35, 0.00, 0.0, 0.10],
    [0.10, 0.35, 0.20, 0.20, 0.05, 0.0, 0.10],
])
ROLE_SALARY_USD = np.array([135000, 110000, 115000, 112000, 140000, 0, 70000], dtype=float)

PRIOR_DEGREES = ("none", "high_school", "associate", "bachelors", "masters", "doctorate", "professional")
PRIOR_DEGREE_MIX = np.array([
    [0.00, 0.00, 0.00, 0.88, 0.08, 0.02, 0.02],
    [0.01, 0.12, 0.08, 0.70, 0.09, 0.00, 0.00],
    [0.00, 0.05, 0.05, 0.65, 0.23, 0.01, 0.01],
    [0.00, 0.00, 0.00, 0.60, 0.40, 0.00, 0.00],
    [0.03, 0.20, 0.10, 0.55, 0.12, 0.00, 0.00],
    [0.02, 0.25, 0.13, 0.50, 0.10, 0.00, 0.00],
])
PRIOR_FIELDS = ("computer_science", "engineering", "math_statistics", "natural_sciences",
                "social_sciences", "business", "humanities_arts", "health", "education", "other")
PRIOR_FIELD_MIX = np.array([
    [0.25, 0.20, 0.15, 0.12, 0.10, 0.12, 0.03, 0.02, 0.00, 0.01],
    [0.05, 0.08, 0.05, 0.10, 0.15, 0.20, 0.22, 0.05, 0.07, 0.03],
    [0.15, 0.15, 0.08, 0.12, 0.12, 0.20, 0.08, 0.05, 0.03, 0.02],
    [0.35, 0.10, 0.30, 0.20, 0.05, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.15, 0.12, 0.08, 0.10, 0.12, 0.15, 0.15, 0.05, 0.05, 0.03],
    [0.08, 0.10, 0.05, 0.10, 0.15, 0.20, 0.15, 0.07, 0.07, 0.03],
])
TECH_FIELDS = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], dtype=bool)
PRIOR_FIELD_SALARY = np.array([0.25, 0.25, 0.15, 0.0, 0.0, 0.1, -0.15, 0.05, -0.2, -0.1])
PRIOR_ROLES = {
    "computer_science": ("Software developer", "IT support specialist", "QA engineer"),
    "engineering": ("Mechanical engineer", "Process engineer", "Civil engineer"),
    "math_statistics": ("Actuarial analyst", "Statistician", "Teaching assistant"),
    "natural_sciences": ("Lab technician", "Research assistant", "Environmental consultant"),
    "social_sciences": ("Policy analyst", "Market researcher", "Case worker"),
    "business": ("Financial analyst", "Marketing coordinator", "Operations manager"),
    "humanities_arts": ("Copywriter", "Graphic designer", "Museum educator"),
    "health": ("Nurse", "Pharmacy technician", "Clinical research coordinator"),
    "education": ("High school teacher", "Tutor", "Curriculum designer"),
    "other": ("Retail manager", "Barista", "Logistics coordinator"),
    "none": ("Retail associate", "Warehouse associate", "Customer service representative"),
}

SOURCE_KINDS = ("graduate_survey", "school_records", "employer_verified", "public_profile",
                "self_reported", "news_or_web", "public_dataset")
SOURCE_MIX = np.array([
    [0.45, 0.25, 0.05, 0.18, 0.05, 0.02, 0.00],
    [0.25, 0.45, 0.10, 0.15, 0.05, 0.00, 0.00],
    [0.45, 0.20, 0.05, 0.20, 0.10, 0.00, 0.00],
    [0.40, 0.30, 0.05, 0.20, 0.03, 0.02, 0.00],
    [0.20, 0.00, 0.05, 0.40, 0.25, 0.05, 0.05],
    [0.35, 0.30, 0.10, 0.15, 0.10, 0.00, 0.00],
])
VERIFICATION_LEVELS = ("documented", "corroborated", "self_reported", "inferred")
VERIFICATION_MIX = np.array([  # by source kind
    [0.00, 0.15, 0.85, 0.00],
    [0.70, 0.20, 0.10, 0.00],
    [0.95, 0.05, 0.00, 0.00],
    [0.00, 0.10, 0.00, 0.90],
    [0.00, 0.00, 1.00, 0.00],
    [0.00, 0.20, 0.00, 0.80],
    [0.00, 0.00, 1.00, 0.00],
])

EMPLOYERS = (
    "Contoso Ltd", "Fabrikam Inc", "Northwind Traders", "Tailspin Toys", "Wide World Importers",
    "Adventure Works Cycles", "Litware Inc", "Proseware Inc", "Woodgrove Bank", "Coho Winery",
    "Lucerne Publishing", "Alpine Ski House", "Blue Yonder Airlines", "Fourth Coffee",
    "Humongous Insurance", "Trey Research", "VanArsdel Ltd", "Wingtip Toys",
    "City Power & Light", "Consolidated Messenger", "A. Datum Corporation", "Acme Corporation",
    "Globex Corporation", "Initech", "Margie's Travel", "Relecloud", "Southridge Video",
    "Bellows College Hospital", "Munson's Pickles and Preserves", "Nod Publishers",
)
STARTUPS = ("Synthetic Labs (own company)", "Example Analytics LLC (own company)", "Sample AI Co. (own company)")
UNIVERSITIES = ("Front Range University", "Prairie State University", "Lakeshore Institute of Technology",
                "University of Kingsbridge", "Redwood Coast University", "Maple Ridge University")


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)


def _fmt_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _program_url(pid: str, institution: str) -> str:
    return f"https://{_slug(institution)}.example.edu/programs/{pid}"


def build_programs(n_programs: int | None, rng: np.random.Generator) -> pd.DataFrame:
    """The programs table (template columns, as text) plus hidden ``_size`` weights."""
    rows = [list(p) for p in PROGRAMS]
    n = len(rows) if n_programs is None else n_programs
    if n < 1:
        raise ValueError("n_programs must be at least 1")
    rows = rows[:n]
    extra = n - len(rows)
    if extra > 0:
        # Benchmarks: more programs, drawn from the same rules as the hand-written list.
        pathway = rng.choice(PATHWAYS, size=extra, p=[0.35, 0.2, 0.2, 0.1, 0.08, 0.07])
        modality = rng.choice(("online", "hybrid", "in_person"), size=extra, p=[0.4, 0.2, 0.4])
        pacing = rng.choice(("full_time", "part_time", "self_paced"), size=extra, p=[0.5, 0.35, 0.15])
        country = rng.choice(("US", "GB", "DE", "CA", "IN"), size=extra, p=[0.8, 0.06, 0.04, 0.05, 0.05])
        states = ("CO", "TX", "MI", "WI", "CA", "NY", "MA", "WA", "IL", "PA")
        state = rng.choice(states, size=extra)
        u = rng.random(extra)
        size = np.exp(rng.normal(0, 1.0, size=extra))
        for i in range(extra):
            k = len(PROGRAMS) + i + 1
            pw, mod, pac = str(pathway[i]), str(modality[i]), str(pacing[i])
            months, tuition = _draw_length_and_cost(pw, mod, pac, float(u[i]))
            cc = str(country[i])
            rows.append([
                f"synthetic-program-{k:04d}", f"Synthetic Institution {k:04d}",
                f"Synthetic {pw.replace('_', ' ')} program {k:04d}", pw, "data science", "",
                mod, pac, months, tuition,
                "" if mod == "online" else f"Synthetic City {k % 97:02d}",
                str(state[i]) if cc == "US" else "", cc, float(size[i]),
            ])
    cols = list(INPUT_PROGRAMS)
    df = pd.DataFrame(
        [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], _fmt_number(r[8]), _fmt_number(r[9]),
          r[10], r[11], r[12], _program_url(r[0], r[1]),
          "SYNTHETIC: invented by devtools/synthetic.py; not a real program"] for r in rows],
        columns=cols,
    )
    df["_size"] = [float(r[13]) for r in rows]
    return df


def _draw_length_and_cost(pathway: str, modality: str, pacing: str, u: float) -> tuple[float, float]:
    """Published length (months) and total tuition (USD) from the pathway's realistic range."""
    slow = pacing != "full_time"
    if pathway == "masters":
        months = 12 + 12 * u + (8 if slow else 0)
        tuition = 7000 + 23000 * u if modality == "online" else 30000 + 60000 * u
    elif pathway == "bootcamp":
        months, tuition = 3 + 3 * u, 10000 + 10000 * u
    elif pathway == "certificate":
        months, tuition = 3 + 9 * u, 500 + 14500 * u
    elif pathway == "phd":
        months, tuition = 48 + 24 * u, 0.0
    elif pathway == "self_study":
        months, tuition = 6 + 12 * u, 2000 * u
    else:
        months, tuition = 6 + 12 * u, 5000 * u
    return float(round(months)), float(round(tuition / 100) * 100)


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n x k) probability matrix: index of the chosen column."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0 + 1e-9
    u = rng.random(len(probs))
    return (u[:, None] >= cum).sum(axis=1)


def _dates_text(days: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """ISO text of day numbers since 1970-01-01; blank where not valid."""
    text = np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)
    if valid is not None:
        text[~valid] = ""
    return text


def _ints_text(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    text = values.astype(np.int64).astype(str).astype(object)
    text[~valid] = ""
    return text


def _pick(choices: tuple | list, idx: np.ndarray) -> np.ndarray:
    return np.array(choices, dtype=object)[idx]


def build_records(programs: pd.DataFrame, n_records: int, rng: np.random.Generator,
                  first_year: int, n_years: int, usd_per_unit: dict[str, float]) -> tuple[pd.DataFrame, int]:
    """Outcome records (template columns, as text) plus hidden helper columns starting with ``_``.

    Returns the frame of the distinct people's first records and how many second records
    (duplicated people, ~1%) ``_add_duplicates`` must add to reach ``n_records``.
    """
    if n_records < 1 or n_years < 1:
        raise ValueError("n_records and n_years must be at least 1")
    n_prog = len(programs)
    pathway_idx = programs["pathway"].map(_P).to_numpy()
    country = programs["country_code"].replace("", "US").to_numpy()
    # Program random effects (fixed draw order => reproducible).
    in_field_effect = rng.normal(0, 0.6, n_prog)
    unknown_rate = rng.uniform(0.08, 0.32, n_prog)
    low = rng.choice(n_prog, size=min(3, n_prog), replace=False)
    unknown_rate[low] = rng.uniform(0.36, 0.40, len(low))
    excluded_rate = np.where(pathway_idx == _P["bootcamp"], rng.uniform(0.02, 0.04, n_prog), 0.0)
    salary_effect = rng.normal(0, 0.08, n_prog)
    growth = rng.normal(0.05, 0.15, n_prog)

    n_dup = n_records // 100
    n = n_records - n_dup  # distinct people
    years = np.arange(first_year, first_year + n_years)
    weight = programs["_size"].to_numpy()[:, None] * np.exp(growth[:, None] * (years - first_year)[None, :])
    cell = rng.choice(weight.size, size=n, p=(weight / weight.sum()).ravel())
    prog, year = cell // n_years, years[cell % n_years]
    pw = pathway_idx[prog]

    # Graduation date: universities graduate in May/Aug/Dec, others any day.
    uni = (pw == _P["masters"]) | (pw == _P["phd"])
    month = np.where(uni, rng.choice([5, 8, 12], size=n, p=[0.6, 0.15, 0.25]), rng.integers(1, 13, n))
    day = np.where(uni, rng.integers(10, 21, n), rng.integers(1, 29, n))
    months_since = (year - 1970) * 12 + (month - 1)
    grad = months_since.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + day - 1

    # Order people by graduation date then program, and number them in that order.
    order = np.lexsort((prog, grad))
    prog, year, pw, month, grad = prog[order], year[order], pw[order], month[order], grad[order]

    # Background.
    yexp = np.clip(rng.gamma(EXPERIENCE_GAMMA[pw, 0], EXPERIENCE_GAMMA[pw, 1]), 0, 25)
    yexp = np.round(yexp * 2) / 2
    deg = _categorical(rng, PRIOR_DEGREE_MIX[pw])
    fld = _categorical(rng, PRIOR_FIELD_MIX[pw])
    no_degree = deg <= 1  # none or high school
    prior_field = _pick(PRIOR_FIELDS, fld)
    prior_field[no_degree] = "none"
    tech = TECH_FIELDS[fld] & ~no_degree

    # Outcome status.
    u = rng.random(n)
    unknown = u < unknown_rate[prog]
    excluded = ~unknown & (u < unknown_rate[prog] + excluded_rate[prog])
    rest = ~unknown & ~excluded
    u2 = rng.random(n)
    cont = rest & (u2 < CONTINUING_EDUCATION[pw])
    market = np.array([YEAR_MARKET.get(int(y), 0.0) for y in years])[year - first_year]
    logit = IN_FIELD_LOGIT[pw] + in_field_effect[prog] + market + 0.06 * np.minimum(yexp, 10) + 0.5 * tech
    p_in = 1 / (1 + np.exp(-logit))
    in_field = rest & ~cont & (rng.random(n) < p_in)
    other = rest & ~cont & ~in_field
    status = np.full(n, "unknown", dtype=object)
    status[excluded] = "excluded"
    status[cont] = np.where(rng.random(n) < 0.9, "continuing_education", "seeking_continuing_education")[cont]
    in_mix = IN_FIELD_MIX[pw]
    status[in_field] = _pick(IN_FIELD_STATUSES, _categorical(rng, in_mix))[in_field]
    out_mix = np.tile(OUT_MIX, (n, 1))
    out_mix[pw == _P["self_study"], 0] = 0.0  # no school to hire a self-taught graduate
    out_mix = out_mix / out_mix.sum(axis=1, keepdims=True)
    status[other] = _pick(OUT_STATUSES, _categorical(rng, out_mix))[other]

    # Timing: job start relative to graduation, collection 150-420 days after graduation.
    employed = np.isin(status, IN_FIELD_STATUSES + OUT_STATUSES[:4])
    before = rng.random(n) < HIRED_BEFORE_GRADUATION[pw]
    start_gap = np.where(before, -np.minimum(np.round(rng.gamma(1.3, 50, n)) + 1, 365),
                         np.round(rng.gamma(1.8, 55, n)))
    collect_gap = rng.integers(150, 421, n)
    late = employed & (start_gap > collect_gap) & (start_gap <= 420)
    collect_gap = np.where(late, start_gap + np.floor(rng.random(n) * (421 - start_gap)), collect_gap)
    last_year = int(years[-1])
    cutoff = np.datetime64(f"{max(2025, last_year + 1)}-12-31").astype(np.int64)
    collected = np.minimum(grad + collect_gap, cutoff).astype(np.int64)
    job_start = grad + start_gap.astype(np.int64)
    not_started = employed & (job_start > collected)
    status[not_started] = "seeking_employment"
    employed &= ~not_started
    in_field &= ~not_started

    # Roles.
    role_idx = _categorical(rng, ROLE_MIX[pw])
    role = np.full(n, "", dtype=object)
    role[in_field] = _pick(ROLES, role_idx)[in_field]
    out_emp = employed & ~in_field
    role[out_emp] = np.where(rng.random(n) < 0.9, "other", "software_engineer")[out_emp]
    phd_student = (status == "continuing_education") & (rng.random(n) < 0.9)
    role[phd_student] = "phd_student"

    # Employer.
    employer = _pick(EMPLOYERS, rng.integers(0, len(EMPLOYERS), n))
    school = np.isin(status, ("hired_by_school_in_field", "hired_by_school_out_of_field"))
    employer[school] = programs["institution_name"].to_numpy()[prog][school]
    founded = status == "founded_company_in_field"
    employer[founded] = _pick(STARTUPS, rng.integers(0, len(STARTUPS), n))[founded]
    cont_ed = status == "continuing_education"
    employer[cont_ed] = _pick(UNIVERSITIES, rng.integers(0, len(UNIVERSITIES), n))[cont_ed]
    employer[~(employed | cont_ed) | (rng.random(n) < 0.08)] = ""

    # Source and verification.
    src = _categorical(rng, SOURCE_MIX[pw])
    src = np.where(~employed & (src == SOURCE_KINDS.index("employer_verified")), 0, src)
    src = np.where(unknown, np.where(rng.random(n) < 0.6, 1, 0), src)
    ver = _categorical(rng, VERIFICATION_MIX[src])
    ver = np.where(unknown, np.where(src == 1, 0, 2), ver)

    # Salaries (USD level, then local currency of the program's country).
    cc = country[prog]
    level = np.array([COUNTRY_LEVEL[c] for c in COUNTRY_CURRENCY])
    cc_idx = pd.Index(list(COUNTRY_CURRENCY)).get_indexer(cc)
    currency = np.array(list(COUNTRY_CURRENCY.values()), dtype=object)[cc_idx]
    rate = np.array([usd_per_unit[c] for c in COUNTRY_CURRENCY.values()])[cc_idx]
    rounding = np.where(currency == "INR", 10000.0, 1000.0)
    status_adj = pd.Series(status).map(STATUS_SALARY).fillna(0.0).to_numpy()
    role_base = pd.Series(role).map(dict(zip(ROLES, ROLE_SALARY_USD))).fillna(ROLE_SALARY_USD[-1]).to_numpy()
    log_usd = (np.log(np.maximum(role_base, 1.0)) + SALARY_PATHWAY[pw] + 0.03 * np.minimum(yexp, 12)
               + status_adj + salary_effect[prog] + 0.03 * (year - 2019) + np.log(level[cc_idx])
               + rng.normal(0, 0.2, n))
    out_role = role == "other"
    log_usd = np.where(out_role, np.log(ROLE_SALARY_USD[-1]) + np.log(level[cc_idx]) + status_adj / 2
                       + 0.02 * np.minimum(yexp, 12) + rng.normal(0, 0.25, n), log_usd)
    salary = np.clip(np.round(np.exp(log_usd) / rate / rounding) * rounding, 1000, 2_000_000)
    p_missing = np.where(src == 3, 0.8, np.where(src == 5, 0.5, np.where(in_field, 0.15, 0.35)))
    has_salary = employed & (rng.random(n) >= p_missing)

    had_job = yexp >= 0.5
    prior_log = (np.log(48000) + 0.045 * np.minimum(yexp, 15) + PRIOR_FIELD_SALARY[fld] * ~no_degree
                 + np.log(level[cc_idx]) + rng.normal(0, 0.25, n))
    prior_salary = np.clip(np.round(np.exp(prior_log) / rate / rounding) * rounding, 0, 2_000_000)
    has_prior = had_job & (rng.random(n) < 0.68)

    # Person identity and evidence.
    width = max(6, len(str(n_records)))
    num = np.char.zfill(np.arange(1, n + 1).astype(str), width).astype(object)
    inst_slug = np.array([_slug(x) for x in programs["institution_name"]], dtype=object)[prog]
    evidence = np.full(n, "", dtype=object)
    is_profile, is_news, is_school = src == 3, src == 5, src == 1
    evidence[is_profile] = ("https://www.linkedin.com/in/synthetic-" + num)[is_profile]
    evidence[is_news] = ("https://news.example.com/alumni/synthetic-" + num)[is_news]
    evidence[is_school] = ("https://" + inst_slug + ".example.edu/outcomes/" + year.astype(str).astype(object))[is_school]

    salary_given = has_salary | has_prior
    usd_blank = (currency == "USD") & (rng.random(n) < 0.3)
    currency_text = np.where(salary_given & ~usd_blank, currency, "").astype(object)

    half = np.where(month <= 6, "H1", "H2").astype(object)
    cohort = year.astype(str).astype(object) + half
    cohort[rng.random(n) < 0.15] = ""  # optional column, often left blank
    in_field_text = np.where(in_field, "true", np.where(employed, "false", "")).astype(object)
    in_field_text[rng.random(n) < 0.1] = ""  # optional column
    prior_role = np.array([PRIOR_ROLES[f][i] for f, i in zip(prior_field, rng.integers(0, 3, n))], dtype=object)
    prior_role[~had_job] = "Student"
    prior_role[rng.random(n) < 0.15] = ""
    has_start = employed

    out = pd.DataFrame({
        "record_id": "syn-" + num,
        "program_id": programs["program_id"].to_numpy()[prog],
        "full_name": "Synthetic Person " + num,
        "email": np.where(rng.random(n) < 0.92, "grad" + num + "@example.org", "").astype(object),
        "profile_url": np.where(rng.random(n) < 0.6, "https://example.org/profiles/" + num, "").astype(object),
        "graduation_date": _dates_text(grad),
        "cohort": cohort,
        "prior_degree": _pick(PRIOR_DEGREES, deg),
        "prior_field": prior_field,
        "prior_role": prior_role,
        "prior_salary": _ints_text(prior_salary, has_prior),
        "years_experience": np.where(yexp % 1 == 0, yexp.astype(np.int64).astype(str), yexp.astype(str)).astype(object),
        "outcome_status": status,
        "in_field": in_field_text,
        "role_category": role,
        "employer_name": employer,
        "job_start_date": _dates_text(job_start, has_start),
        "base_salary": _ints_text(salary, has_salary),
        "salary_currency": currency_text,
        "source_kind": _pick(SOURCE_KINDS, src),
        "evidence_url": evidence,
        "collected_date": _dates_text(collected),
        "verification_level": _pick(VERIFICATION_LEVELS, ver),
    })[list(INPUT_OUTCOME_RECORDS)]
    out["_year"] = year
    out["_dup_of"] = -1
    out["_num"] = num
    return out, n_dup


def _add_duplicates(records: pd.DataFrame, n_dup: int, eligible: np.ndarray,
                    rng: np.random.Generator) -> pd.DataFrame:
    """Second records of ~1% of people: same person and e-mail, new record_id, from a public profile."""
    if n_dup == 0:
        return records
    pool = np.flatnonzero(eligible)
    if len(pool) == 0:
        pool = np.arange(len(records))
    orig = np.sort(rng.choice(pool, size=min(n_dup, len(pool)), replace=False))
    dup = records.iloc[orig].copy()
    n_people = len(records)
    width = len(records["_num"].iat[0])
    dup["record_id"] = ["syn-" + str(n_people + 1 + i).zfill(width) for i in range(len(dup))]
    dup["email"] = "grad" + dup["_num"] + "@example.org"  # the shared e-mail is the point
    dup["source_kind"] = "public_profile"
    dup["verification_level"] = np.where(rng.random(len(dup)) < 0.85, "inferred", "corroborated")
    dup["evidence_url"] = "https://www.linkedin.com/in/synthetic-" + dup["_num"]
    dup["base_salary"] = ""  # public profiles do not show salaries
    dup["salary_currency"] = np.where(dup["prior_salary"] != "", dup["salary_currency"], "")
    dup["_dup_of"] = orig
    records = records.copy()
    # The original also carries the e-mail, so both records link to one person.
    records.loc[records.index[orig], "email"] = "grad" + records["_num"].iloc[orig] + "@example.org"
    return pd.concat([records, dup], ignore_index=True)


# --- writers ---------------------------------------------------------------------------------
def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", quoting=csv.QUOTE_MINIMAL)


def _write_jsonl(df: pd.DataFrame, path: Path) -> None:
    cols = list(df.columns)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in df.itertuples(index=False, name=None):
            fh.write(json.dumps({c: (v if v != "" else None) for c, v in zip(cols, row)}, ensure_ascii=False))
            fh.write("\n")


_FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str = "outcome_records") -> None:
    """XLSX with every cell as text; zip timestamps and document properties fixed (reproducible)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "devtools.synthetic"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    ws = wb.create_sheet(sheet)
    ws.append(list(df.columns))
    for row in df.itertuples(index=False, name=None):
        ws.append([v if v != "" else None for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    # Rewrite the archive with a fixed timestamp on every entry.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core_times(data)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


def _fix_core_times(xml: bytes) -> bytes:
    import re

    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", xml)


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "xlsx": _write_xlsx}


def generate(out_dir: Path, n_records: int = 5200, n_programs: int | None = None, seed: int = DEFAULT_SEED,
             first_year: int = 2019, n_years: int = 6, formats: tuple = FORMATS) -> dict[str, Path]:
    """Write synthetic programs and outcome-record files into ``out_dir``; return {name: path}.

    One format: one records file of all records (``synthetic_outcome_records.<fmt>``). Two or
    more: early years in the first format, the last two years in the second, and (three
    formats) a small ``_extra`` file in the third holding ~2.5% of records plus the second
    records of the ~1% duplicated people, whose first record sits in another file.
    """
    formats = tuple(formats)
    bad = [f for f in formats if f not in _WRITERS]
    if not formats or bad or len(set(formats)) != len(formats):
        raise ValueError(f"formats must be distinct values of {sorted(_WRITERS)}, got {formats!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    usd_per_unit = load_assumptions()["currency"]["usd_per_unit"]

    programs = build_programs(n_programs, rng)
    records, n_dup = build_records(programs, n_records, rng, first_year, n_years, usd_per_unit)

    paths: dict[str, Path] = {}
    p = out_dir / "synthetic_programs.csv"
    _write_csv(programs[list(INPUT_PROGRAMS)], p)
    paths["programs"] = p

    last = first_year + n_years - 1
    if len(formats) == 1:
        file_of = np.zeros(len(records), dtype=int)
        names = ["outcome_records"]
    else:
        split = last - 1 if n_years >= 3 else last
        file_of = np.where(records["_year"].to_numpy() >= split, 1, 0)
        names = [f"outcome_records_{first_year}_{split - 1}", f"outcome_records_{split}_{last}"]
        if len(formats) >= 3:
            k = min(max(1, round(0.025 * len(records))), 2000)
            extra = rng.choice(len(records), size=k, replace=False)
            file_of[extra] = 2
            names.append("outcome_records_extra")
    last_file = len(names) - 1
    records = _add_duplicates(records, n_dup, file_of != last_file if last_file else np.ones(len(records), bool), rng)
    file_of = np.concatenate([file_of, np.full(len(records) - len(file_of), last_file)])

    cols = list(INPUT_OUTCOME_RECORDS)
    for i, (name, fmt) in enumerate(zip(names, formats)):
        path = out_dir / f"synthetic_{name}.{fmt}"
        _WRITERS[fmt](records.loc[file_of == i, cols], path)
        paths[name] = path
    return paths


# --- the file of deliberate mistakes -----------------------------------------------------
MISTAKES_FILE = "synthetic_mistakes_outcome_records.csv"

#: Every deliberate mistake of the mistakes file. ``row`` is the data-row number
#: (1 = first row under the header, i.e. spreadsheet row 2); ``rule`` names the rule broken
#: (a field rule ``column:kind``, a ``schemas.checks`` rule, or a cross-file rule).
MISTAKES: list[dict] = [
    {"row": 3, "column": "graduation_date", "value": "2023-02-30", "rule": "graduation_date:date", "problem": "impossible date (30 February)"},
    {"row": 5, "column": "graduation_date", "value": "31/12/2023", "rule": "graduation_date:date", "problem": "wrong date format (day/month/year instead of YYYY-MM-DD)"},
    {"row": 7, "column": "base_salary", "value": "-85000", "rule": "base_salary:range", "problem": "negative base salary"},
    {"row": 9, "column": "outcome_status", "value": "hired", "rule": "outcome_status:vocabulary", "problem": "unknown outcome status"},
    {"row": 11, "column": "record_id", "value": "syn-mistakes-0010", "rule": "record_id:unique", "problem": "record_id repeated: duplicate of data row 10"},
    {"row": 13, "column": "email", "value": "grad000001@example.org", "rule": "person:duplicate", "problem": "same person (same e-mail) as the first record with an e-mail in the main CSV (syn-000001 with the default seed), under a different record_id"},
    {"row": 15, "column": "program_id", "value": "msds-nowhere-university", "rule": "program_id:exists", "problem": "program_id not in the programs file"},
    {"row": 17, "column": "salary_currency", "value": "JPY", "rule": "salary_currency:vocabulary", "problem": "currency without a conversion rate (not in the currency vocabulary)"},
    {"row": 19, "column": "job_start_date", "value": "2024-03-01", "rule": "job_start_not_after_collection", "problem": "job_start_date after collected_date (2023-12-01)"},
    {"row": 21, "column": "cohort", "value": "2023H1", "rule": "cohort_matches_graduation_date", "problem": "cohort 2023H1 does not match graduation_date 2023-08-15 (2023H2)"},
    {"row": 23, "column": "role_category", "value": "data_analyst", "rule": "role_category:vocabulary", "problem": "unknown role category"},
    {"row": 25, "column": "in_field", "value": "true", "rule": "in_field_matches_status", "problem": "in_field=true on an out-of-field status (employed_full_time_out_of_field)"},
    {"row": 27, "column": "outcome_status", "value": "", "rule": "outcome_status:required", "problem": "required value missing (blank outcome_status)"},
    {"row": 29, "column": "base_salary", "value": "95000", "rule": "salary_only_when_employed", "problem": "base salary on a seeking_employment row"},
]


def _main_records_csv(out_dir: Path) -> Path:
    files = sorted(p for p in Path(out_dir).glob("synthetic_outcome_records*.csv"))
    if not files:
        raise FileNotFoundError(f"{out_dir}: no synthetic_outcome_records*.csv to take the duplicate person from; run generate() first")
    return files[0]


def write_mistakes_file(out_dir: Path, programs_csv: Path) -> Path:
    """Write ``synthetic_mistakes_outcome_records.csv``: 30 rows, 16 clean and the 14 ``MISTAKES``."""
    out_dir = Path(out_dir)
    with open(programs_csv, newline="", encoding="utf-8") as fh:
        programs = list(csv.DictReader(fh))
    if not programs:
        raise ValueError(f"{programs_csv}: no programs")

    def first(pathway: str) -> str:
        us = [p["program_id"] for p in programs if p["pathway"] == pathway and p["country_code"] in ("US", "")]
        return us[0] if us else programs[0]["program_id"]

    masters, bootcamp, cert, phd = first("masters"), first("bootcamp"), first("certificate"), first("phd")
    main_csv = _main_records_csv(out_dir)
    with open(main_csv, newline="", encoding="utf-8") as fh:
        main_row = next((r for r in csv.DictReader(fh) if r["email"]), None)
    if main_row is None:
        raise ValueError(f"{main_csv}: no record with an e-mail to repeat as a duplicate person")

    def row(i: int, program: str, grad: str, **kw) -> dict:
        """A clean row (employed in field) unless ``kw`` overrides a value; unparseable
        graduation dates must come with their own cohort, job start and collected date."""
        num = f"M{i:05d}"
        try:
            g = np.datetime64(grad, "D")
        except ValueError:
            g = None
        base = {
            "record_id": f"syn-mistakes-{i:04d}", "program_id": program,
            "full_name": f"Synthetic Person {num}", "email": f"grad{num.lower()}@example.org",
            "profile_url": f"https://example.org/profiles/{num.lower()}", "graduation_date": grad,
            "cohort": "" if g is None else f"{grad[:4]}H{1 if int(grad[5:7]) <= 6 else 2}", "prior_degree": "bachelors",
            "prior_field": "business", "prior_role": "Financial analyst", "prior_salary": "62000",
            "years_experience": "4", "outcome_status": "employed_full_time_in_field", "in_field": "true",
            "role_category": "data_scientist", "employer_name": "Contoso Ltd", "job_start_date": "",
            "base_salary": "105000", "salary_currency": "USD", "source_kind": "school_records",
            "evidence_url": "", "collected_date": "", "verification_level": "documented",
        }
        if g is not None:
            base["job_start_date"], base["collected_date"] = str(g + 60), str(g + 180)
        base.update(kw)
        return base

    seeking = dict(outcome_status="seeking_employment", in_field="", role_category="", employer_name="",
                   job_start_date="", base_salary="")
    rows = [
        row(1, masters, "2023-05-15"),
        row(2, bootcamp, "2023-03-10", role_category="data_engineer", base_salary="88000"),
        row(3, masters, "2023-02-30", cohort="2023H1", job_start_date="2023-05-01", collected_date="2023-09-01"),
        row(4, cert, "2023-06-30", **seeking, source_kind="graduate_survey", verification_level="self_reported"),
        row(5, bootcamp, "31/12/2023", cohort="2023H2", job_start_date="2024-02-01", collected_date="2024-06-30"),
        row(6, phd, "2023-05-12", role_category="research_scientist", base_salary="142000", prior_degree="masters",
            prior_field="math_statistics", prior_role="Research assistant", prior_salary="", years_experience="1"),
        row(7, masters, "2023-05-15", base_salary="-85000"),
        row(8, masters, "2023-12-15", outcome_status="continuing_education", in_field="", role_category="phd_student",
            employer_name="Front Range University", job_start_date="", base_salary="", prior_salary=""),
        row(9, bootcamp, "2023-04-14", outcome_status="hired", in_field="", base_salary=""),
        row(10, cert, "2023-09-29", role_category="ml_engineer", base_salary="121000"),
        {},  # row 11: exact duplicate of row 10, filled below
        row(12, bootcamp, "2023-10-20", outcome_status="unknown", in_field="", role_category="", employer_name="",
            job_start_date="", base_salary="", prior_salary="", salary_currency=""),
        {},  # row 13: the main file's first person again, filled below
        row(14, masters, "2023-08-18", outcome_status="employed_full_time_out_of_field", in_field="false",
            role_category="other", employer_name="Woodgrove Bank", base_salary="71000"),
        row(15, "msds-nowhere-university", "2023-05-15"),
        row(16, bootcamp, "2023-02-17", outcome_status="excluded", in_field="", role_category="", employer_name="",
            job_start_date="", base_salary="", prior_salary="", source_kind="graduate_survey",
            verification_level="self_reported"),
        row(17, masters, "2023-05-15", salary_currency="JPY"),
        row(18, masters, "2023-12-15", job_start_date="2023-11-01", evidence_url="https://www.linkedin.com/in/synthetic-m00018",
            source_kind="public_profile", verification_level="inferred", base_salary="", salary_currency=""),
        row(19, cert, "2023-06-15", job_start_date="2024-03-01", collected_date="2023-12-01"),
        row(20, bootcamp, "2023-07-21", outcome_status="part_time_or_freelance_in_field", base_salary="48000"),
        row(21, masters, "2023-08-15", cohort="2023H1"),
        row(22, cert, "2023-01-27", outcome_status="founded_company_in_field", role_category="ml_engineer",
            employer_name="Synthetic Labs (own company)", base_salary=""),
        row(23, masters, "2023-05-15", role_category="data_analyst"),
        row(24, phd, "2023-08-11", outcome_status="internship_or_fellowship_in_field", role_category="research_scientist",
            employer_name="Prairie State University", base_salary="61000", prior_degree="masters",
            prior_field="computer_science", prior_salary="", years_experience="0", prior_role="Student"),
        row(25, masters, "2023-05-15", outcome_status="employed_full_time_out_of_field", in_field="true",
            role_category="other", base_salary="68000"),
        row(26, bootcamp, "2023-11-03", **seeking, prior_salary=""),
        row(27, masters, "2023-05-15", outcome_status=""),
        row(28, cert, "2023-04-28", outcome_status="employed_part_time_out_of_field", in_field="false",
            role_category="other", employer_name="Fourth Coffee", base_salary="31000"),
        row(29, bootcamp, "2023-06-09", **{**seeking, "base_salary": "95000"}),
        row(30, masters, "2023-12-15", salary_currency="", source_kind="employer_verified"),
    ]
    rows[10] = dict(rows[9])
    rows[12] = row(13, main_row["program_id"], main_row["graduation_date"], **seeking, prior_salary="",
                   full_name=main_row["full_name"], email=main_row["email"], profile_url=main_row["profile_url"],
                   cohort=main_row["cohort"], source_kind="graduate_survey", verification_level="self_reported")
    rows[12]["collected_date"] = main_row["collected_date"]
    for r in rows:  # a currency only where there is a salary to qualify
        if r["base_salary"] == "" and r["prior_salary"] == "":
            r["salary_currency"] = ""
    path = out_dir / MISTAKES_FILE
    pd.DataFrame(rows, columns=list(INPUT_OUTCOME_RECORDS)).to_csv(path, index=False, lineterminator="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m devtools.synthetic",
                                 description="Write SYNTHETIC curated programs and outcome-record files.")
    ap.add_argument("--records", type=int, default=5200, help="outcome records to write (default 5200)")
    ap.add_argument("--programs", type=int, default=None, help=f"programs (default: the {len(PROGRAMS)} hand-written ones)")
    ap.add_argument("--out", type=Path, default=Path("data/raw/curated"), help="output folder")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--first-year", type=int, default=2019)
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--csv-only", action="store_true", help="write one CSV of all records (benchmarks)")
    ap.add_argument("--with-mistakes", action="store_true", help=f"also write {MISTAKES_FILE}")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = generate(args.out, n_records=args.records, n_programs=args.programs, seed=args.seed,
                     first_year=args.first_year, n_years=args.years,
                     formats=("csv",) if args.csv_only else FORMATS)
    if args.with_mistakes:
        paths["mistakes"] = write_mistakes_file(args.out, paths["programs"])
    for p in paths.values():
        print(p)
    print(f"{args.records} records in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
