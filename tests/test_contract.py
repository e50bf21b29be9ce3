"""The contract model file: typed, complete, and every bad key named with what it must be."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from vastaff.contract import DEFAULT_MODEL, contract_from_dict, load_contract
from vastaff.errors import InputError

SRC = Path(__file__).resolve().parents[1] / "src" / "vastaff"


@pytest.fixture(scope="module")
def shipped() -> dict:
    return yaml.safe_load(DEFAULT_MODEL.read_text(encoding="utf-8"))


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        contract_from_dict(raw, "m.yaml")
    return [str(p) for p in exc.value.problems]


def edited(raw: dict, edit) -> dict:
    out = copy.deepcopy(raw)
    edit(out)
    return out


def test_shipped_model_matches_the_article():
    """Numbers as the VA article (UTLA counter 11-3-25) and docs/contract.md state them."""
    c = load_contract()
    assert c.name == "va-2025-2027" and c.hypothetical is False
    assert c.max_sections_per_period == 2                          # 6.0 A(1)
    assert c.max_courses_per_semester == 8                         # 6.0 B(1)
    assert c.stipend_per_course == 1200                            # 6.0 B(1)
    assert c.band_mean_max == {"K-3": 22, "4-12": 25}              # 8.0
    assert c.section_max == 35                                     # local norm (docs/contract.md)
    assert c.program_max == {"special_education": 15, "tk": 24, "utk": 24}
    assert c.single_grade_range == (1, 5)                          # 8.0(1)
    assert c.max_consecutive_grades == 2                           # 8.0(2)
    assert c.multigrade_from_grade == 6
    assert c.multigrade_cost == 600                                # 8.0(3), to be confirmed
    assert (c.xtime_hours, c.xtime_hourly_rate, c.xtime_cost) == (12, 60, 720)  # 12.0
    assert c.caseload_cap == 24                                    # 7.0 B(1)
    assert c.synchronous_window == (8 * 60, 11 * 60)               # 4.0 A / B
    assert c.onsite_window_minutes == (8 * 60, 14 * 60 + 50)       # 4.0 A: 8:00 am to 2:50 pm
    assert c.roa_friday_synchronous_minutes == (8 * 60 + 30, 9 * 60)  # 3.0: 8:30-9:00 am on a ROA Friday
    assert c.assignment_change_notice_days == 5                    # 9.0(2)
    assert c.band_mean_scope == "school"                           # 8.0, the documented reading
    assert [c.level_grades(lv) for lv in ("elementary", "middle", "high")] == [(-2, 5), (6, 8), (9, 12)]
    assert c.objective.stages == ["vacancies", "money", "stability", "matrix", "preferences", "seniority"]


def test_every_term_cites_an_article_and_its_rule(shipped):
    c = load_contract()
    assert c.periods.max_sections_per_period.rule == "A6.1"
    assert c.periods.eld_alone_in_period.article == "6.0 A(2)"
    assert c.courses.stipend_per_course.article == "6.0 B(1)"
    assert c.class_size.multigrade_cost.article == "8.0(3)"
    assert c.special_education.caseload_cap.article == "7.0 B(1)"
    assert c.xtime.xtime_hours.article == "12.0"
    assert (c.workday.onsite_window.article, c.workday.onsite_window.rule) == ("4.0 A", "A7.2")
    assert (c.workday.roa_friday_synchronous.article, c.workday.roa_friday_synchronous.rule) == ("3.0", "A7.2")
    assert (c.notice.assignment_change_notice_days.article, c.notice.assignment_change_notice_days.rule) == (
        "9.0(2)", "A9.2")
    assert (c.class_size.band_mean_scope.article, c.class_size.band_mean_scope.rule) == ("8.0", "A8.1")


def test_every_model_says_it_is_the_unions_counter_proposal_not_a_signed_agreement():
    """The source is the UTLA counter-proposal of 2025-11-03 (/work/shared/source), not a signed agreement."""
    for path in sorted(DEFAULT_MODEL.parent.glob("*.yaml")):
        c = load_contract(path)
        assert "counter-proposal of 2025-11-03" in c.title and "not a signed agreement" in c.title, path.name
        assert c.title.startswith("HYPOTHETICAL") == c.hypothetical, path.name


def test_spec_key_names_appear_in_the_file():
    """docs/contract.md's key names appear in the model file as written, so any tool can find them."""
    text = DEFAULT_MODEL.read_text(encoding="utf-8")
    for key in ["max_sections_per_period", "max_courses_per_semester", "stipend_per_course", "band_mean_max",
                "K-3", "4-12", "section_max", "program_max", "special_education", "tk", "utk", "multigrade_cost",
                "xtime_hours", "xtime_hourly_rate", "caseload_cap", "synchronous_window", "start", "end"]:
        assert re.search(rf"(^|[\s{{,]){re.escape(key)}:", text, re.M), key


@pytest.mark.parametrize("band, top", [("K-3", -2), ("K-3", 0), ("K-3", 3), ("4-12", 4), ("4-12", 12)])
def test_band_of_reads_the_band_bounds_from_the_key_names(band, top):
    assert load_contract().band_of(top) == band


BAD_MODELS = [
    ("missing section_max", lambda m: m["class_size"].pop("section_max"),
     ["m.yaml, key class_size.section_max: expected this key (missing)"]),
    ("unknown key", lambda m: m["class_size"].update(section_min=5),
     ["m.yaml, key class_size.section_min: expected no such key (unknown key; known keys here: band_mean_max, "
      "band_mean_scope, section_max, program_max, single_grade_range, max_consecutive_grades, multigrade_from_grade, multigrade_cost)"]),
    ("unknown top-level key", lambda m: m.update(stipend=1),
     ["m.yaml, key stipend: expected no such key (unknown key; known keys here: name, title, hypothetical, levels, "
      "periods, courses, class_size, xtime, special_education, workday, notice, meetings, objective)"]),
    ("negative stipend", lambda m: m["courses"]["stipend_per_course"].update(value=-1200),
     ["m.yaml, key courses.stipend_per_course.value: got '-1200', expected a number >= 0"]),
    ("band mean 0", lambda m: m["class_size"]["band_mean_max"]["value"].update({"K-3": 0}),
     ["m.yaml, key class_size.band_mean_max.value.K-3: got '0', expected a number >= 1"]),
    ("band mean missing", lambda m: m["class_size"]["band_mean_max"]["value"].pop("4-12"),
     ["m.yaml, key class_size.band_mean_max.value.4-12: expected this key (missing)"]),
    ("window end before start", lambda m: m["workday"]["synchronous_window"]["value"].update(end="07:59"),
     ["m.yaml, key workday.synchronous_window.value.end: got '07:59', expected a time after start 08:00"]),
    ("window end equals start", lambda m: m["workday"]["synchronous_window"]["value"].update(end="08:00"),
     ["m.yaml, key workday.synchronous_window.value.end: got '08:00', expected a time after start 08:00"]),
    ("window time not HH:MM", lambda m: m["workday"]["synchronous_window"]["value"].update(start="8am"),
     ["m.yaml, key workday.synchronous_window.value.start: got '8am', expected a time HH:MM (00:00 to 23:59)"]),
    ("on-site window end before start", lambda m: m["workday"]["onsite_window"]["value"].update(end="07:00"),
     ["m.yaml, key workday.onsite_window.value.end: got '07:00', expected a time after start 08:00"]),
    ("ROA Friday slot not HH:MM", lambda m: m["workday"]["roa_friday_synchronous"]["value"].update(start="8:30"),
     ["m.yaml, key workday.roa_friday_synchronous.value.start: got '8:30', expected a time HH:MM (00:00 to 23:59)"]),
    ("notice days negative", lambda m: m["notice"]["assignment_change_notice_days"].update(value=-1),
     ["m.yaml, key notice.assignment_change_notice_days.value: got '-1', expected a number >= 0"]),
    ("notice days a text", lambda m: m["notice"]["assignment_change_notice_days"].update(value="5"),
     ["m.yaml, key notice.assignment_change_notice_days.value: got '5', expected a whole number (this one is "
      "text: written in quotes)"]),
    ("notice missing", lambda m: m.pop("notice"), ["m.yaml, key notice: expected this key (missing)"]),
    ("band mean scope unknown", lambda m: m["class_size"]["band_mean_scope"].update(value="district"),
     ["m.yaml, key class_size.band_mean_scope.value: got 'district', expected one of school or teacher"]),
    ("stage listed twice", lambda m: m["objective"].update(stages=["vacancies", "money", "money", "preferences", "matrix", "seniority"]),
     ["m.yaml, key objective.stages: got \"['vacancies', 'money', 'money', 'preferences', 'matrix', ...\", "
      "expected each of vacancies, money, stability, preferences, matrix, seniority exactly once (listed twice: money; "
      "missing: stability)"]),
    ("unknown stage", lambda m: m["objective"]["stages"].append("speed"),
     ["m.yaml, key objective.stages.6: got 'speed', expected one of vacancies, money, stability, preferences, matrix or seniority"]),
    ("period measure missing", lambda m: m["objective"].update(period_stages=["doubled", "singleton_clashes"]),
     ["m.yaml, key objective.period_stages: got \"['doubled', 'singleton_clashes']\", expected each of doubled, "
      "singleton_clashes, grade_peak_excess, period_changes, max_live_students exactly once (missing: "
      "grade_peak_excess, period_changes, max_live_students)"]),
    ("class sizes neither choice", lambda m: m["objective"].update(class_sizes="small"),
     ["m.yaml, key objective.class_sizes: got 'small', expected one of fewest_sections or even"]),
    ("objective mode (stages are lexicographic)", lambda m: m["objective"].update(mode="weighted"),
     ["m.yaml, key objective.mode: expected no such key (unknown key; known keys here: stages, weights, period_stages, "
      "class_sizes)"]),
    ("a weight nothing reads", lambda m: m["objective"]["weights"].update(vacancy=1),
     ["m.yaml, key objective.weights.vacancy: expected no such key (unknown key; known keys here: section_change, "
      "teacher_change, section_count, load_spread, class_over_mean, forced_double)"]),
    ("section_max not a whole number", lambda m: m["class_size"]["section_max"].update(value=35.5),
     ["m.yaml, key class_size.section_max.value: got '35.5', expected a whole number"]),
    ("term without article", lambda m: m["xtime"]["xtime_hours"].pop("article"),
     ["m.yaml, key xtime.xtime_hours.article: expected this key (missing)"]),
    ("program norm missing", lambda m: m["class_size"]["program_max"]["value"].pop("utk"),
     ["m.yaml, key class_size.program_max.value.utk: expected this key (missing)"]),
    ("levels overlap", lambda m: m["levels"]["grades"].update(middle=[5, 8]),
     ["m.yaml, key levels.grades: got \"{'elementary': [-2, 5], 'middle': [5, 8], 'high': [9, 12]}\", expected "
      "elementary grades below middle grades (levels may not overlap)"]),
    ("level range reversed", lambda m: m["levels"]["grades"].update(high=[12, 9]),
     ["m.yaml, key levels.grades.high: got '[12, 9]', expected a first grade at or below the last grade"]),
    ("grade beyond 12", lambda m: m["class_size"]["multigrade_from_grade"].update(value=13),
     ["m.yaml, key class_size.multigrade_from_grade.value: got '13', expected a number <= 12"]),
    ("caseload cap 0", lambda m: m["special_education"]["caseload_cap"].update(value=0),
     ["m.yaml, key special_education.caseload_cap.value: got '0', expected a number >= 1"]),
]


@pytest.mark.parametrize("edit, expected", [b[1:] for b in BAD_MODELS], ids=[b[0] for b in BAD_MODELS])
def test_bad_model_names_the_key(shipped, edit, expected):
    assert problems_of(edited(shipped, edit)) == expected


def test_several_bad_keys_are_reported_at_once_in_key_order(shipped):
    def edit(m):
        m["courses"]["stipend_per_course"]["value"] = -1
        m["class_size"].pop("section_max")
        m["objective"]["weights"]["section_change"] = -3
    assert problems_of(edited(shipped, edit)) == [
        "m.yaml, key class_size.section_max: expected this key (missing)",
        "m.yaml, key courses.stipend_per_course.value: got '-1', expected a number >= 0",
        "m.yaml, key objective.weights.section_change: got '-3', expected a number >= 0",
    ]


@pytest.mark.parametrize("edit", [
    lambda m: m["workday"]["synchronous_window"]["value"].update(end="08:01"),
    lambda m: m["objective"].update(stages=["money", "vacancies", "stability", "preferences", "matrix", "seniority"]),
    lambda m: m["courses"]["stipend_per_course"].update(value=0),
    lambda m: m["levels"]["grades"].update(middle=[6, 6]),
], ids=["window one minute long", "stages reordered", "stipend zero", "one-grade level"])
def test_near_identical_good_models_load(shipped, edit):
    contract_from_dict(edited(shipped, edit), "m.yaml")


def test_a_scenario_model_changes_the_accessors(shipped):
    m = edited(shipped, lambda m: (m["class_size"]["section_max"].update(value=30),
                                   m["class_size"]["band_mean_max"]["value"].update({"4-12": 24})))
    c = contract_from_dict(m, "proposal.yaml")
    assert (c.section_max, c.band_mean_max["4-12"], c.source) == (30, 24, "proposal.yaml")


def test_duplicate_yaml_key_is_an_error_not_last_one_wins(tmp_path):
    text = DEFAULT_MODEL.read_text(encoding="utf-8").replace(
        "  section_max: {", "  section_max: {value: 40, article: x}\n  section_max: {", 1)
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  section_max: {value: 40, article: x}") + 1
    with pytest.raises(InputError) as exc:
        load_contract(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}, key section_max: expected each key once in its mapping (found on lines {line} and {line + 1})"]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ntitle: [unclosed\nlevels: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_contract(path)
    (msg,) = [str(p) for p in exc.value.problems]
    assert msg.startswith(f"{path}: expected valid YAML (line ")


@pytest.mark.parametrize("text, expected", [
    ("name: 2025-02-30\n", "line 1: '2025-02-30' is not a value YAML can read (day is out of range for month); quote "
                           "it to keep it as text"),
    ("name: x\nstart: 2025-01-01 99:00:00\n", "line 2: '2025-01-01 99:00:00' is not a value YAML can read (hour "
                                              "must be in 0..23); quote it to keep it as text"),
    ("[1, 2]: x\n", "line 1: a key must be a single value, not a list or a mapping"),
    ("{a: 1}: x\n", "line 1: a key must be a single value, not a list or a mapping"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply to read"),
])
def test_yaml_python_cannot_build_is_one_line_naming_the_line(tmp_path, text, expected):
    """An audit: an impossible unquoted date, a list as a key or deep nesting ended in a traceback (exit 1)."""
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_contract(path)
    assert [str(p) for p in exc.value.problems] == [f"{path}: expected valid YAML ({expected})"]


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
"""Nine levels of nine aliases: 9^9 values in nine lines (validating or echoing it took 6 GB and a minute)."""


def test_a_yaml_document_that_expands_past_a_million_values_is_one_line_at_once(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS + "name: x\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_contract(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: expected valid YAML (at most 1,000,000 values once its aliases (*name) are expanded; this "
        "document stands for more)"]
    small = tmp_path / "anchored.yaml"  # an alias or two is plain YAML, read as such
    small.write_text(DEFAULT_MODEL.read_text(encoding="utf-8") + "x_anchor: &n [1, 2]\ny_alias: *n\n",
                     encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_contract(small)
    assert [p.column for p in exc.value.problems] == ["x_anchor", "y_alias"]  # unknown keys, not a YAML problem


@pytest.mark.parametrize("content, expected", [
    (None, "expected a contract model YAML file (file not found)"),
    ("folder", "expected a contract model YAML file (got a folder)"),
    ("- just\n- a list\n", "expected a YAML mapping of contract keys"),
    ("", "expected a YAML mapping of contract keys"),
])
def test_not_a_model_file(tmp_path, content, expected):
    path = tmp_path / "model.yaml"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_contract(path)
    assert [str(p) for p in exc.value.problems] == [f"{path}: {expected}"]


def test_no_contract_number_in_the_foundation_code():
    """Contract numbers live in the model file; the loader, schemas and summary read them from there."""
    mine = [*(SRC / "contract").glob("*.py"), SRC / "report" / "summary.py", *(SRC / "io").glob("*.py"),
            *(SRC / "schemas").glob("*.py"),
            SRC / "cli" / "validate.py"]
    pattern = re.compile(r"\b1_?200\b|\b600\b|\b0?8:00\b|\b11:00\b|\b14:50\b|\b(22|25|24|35)\b")
    for file in mine:
        code = re.sub(r'""".*?"""', "", file.read_text(encoding="utf-8"), flags=re.S)  # docstrings may cite them
        hits = [line for line in code.splitlines() if pattern.search(line.split("#")[0])]
        assert hits == [], f"{file.name}: {hits}"


def test_each_load_is_a_fresh_model_and_sees_file_edits(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(DEFAULT_MODEL.read_text(encoding="utf-8"), encoding="utf-8")
    a, b = load_contract(path), load_contract(path)
    assert a is not b and a == b
    a.levels.grades["middle"] = (0, 0)              # a careless caller cannot change the next caller's model
    assert load_contract(path).level_grades("middle") == (6, 8)
    path.write_text(path.read_text(encoding="utf-8").replace("caseload_cap: {value: 24", "caseload_cap: {value: 20"),
                    encoding="utf-8")
    assert load_contract(path).caseload_cap == 20


# ----------------------------------------------------------------------------------------------
# Strict types (a boolean is not a number) and bounds that keep the solver's integer sums far below 2^62.


STRICT_AND_BOUNDED = [
    ("true as a count", lambda m: m["class_size"]["section_max"].update(value=True),
     ["m.yaml, key class_size.section_max.value: got 'true', expected a whole number"]),
    ("true as money", lambda m: m["courses"]["stipend_per_course"].update(value=True),
     ["m.yaml, key courses.stipend_per_course.value: got 'true', expected a number"]),
    ("a text as a count", lambda m: m["special_education"]["caseload_cap"].update(value="24"),
     ["m.yaml, key special_education.caseload_cap.value: got '24', expected a whole number (this one is text: "
      "written in quotes)"]),
    ("an exponent YAML reads as text", lambda m: m["courses"]["stipend_per_course"].update(value="1e3"),
     ["m.yaml, key courses.stipend_per_course.value: got '1e3', expected a number (YAML reads this exponent form as "
      "text: write it with a dot and a signed exponent, such as 1.0e+30, or in full)"]),
    ("1 as a flag", lambda m: m["periods"]["eld_alone_in_period"].update(value=1),
     ["m.yaml, key periods.eld_alone_in_period.value: got '1', expected true or false"]),
    ("a text as hypothetical", lambda m: m.update(hypothetical="yes"),
     ["m.yaml, key hypothetical: got 'yes', expected true or false"]),
    ("true as a grade", lambda m: m["levels"]["grades"].update(high=[True, 12]),
     ["m.yaml, key levels.grades.high.0: got 'true', expected a whole number"]),
    ("money 1e30", lambda m: m["courses"]["stipend_per_course"].update(value=1e30),
     ["m.yaml, key courses.stipend_per_course.value: got '1e+30', expected a number <= 1,000,000"]),
    ("money inf", lambda m: m["class_size"]["multigrade_cost"].update(value=float("inf")),
     ["m.yaml, key class_size.multigrade_cost.value: got 'inf', expected a number <= 1,000,000"]),
    ("hourly rate", lambda m: m["xtime"]["xtime_hourly_rate"].update(value=10**7),
     ["m.yaml, key xtime.xtime_hourly_rate.value: got '10000000', expected a number <= 1,000,000"]),
    ("hours", lambda m: m["xtime"]["xtime_hours"].update(value=1e6),
     ["m.yaml, key xtime.xtime_hours.value: got '1000000.0', expected a number <= 1,000"]),
    ("weight", lambda m: m["objective"]["weights"].update(section_change=10**12),
     ["m.yaml, key objective.weights.section_change: got '1000000000000', expected a number <= 1,000,000"]),
    ("section_max", lambda m: m["class_size"]["section_max"].update(value=10**6),
     ["m.yaml, key class_size.section_max.value: got '1000000', expected a number <= 10,000"]),
    ("courses per semester", lambda m: m["courses"]["max_courses_per_semester"].update(value=101),
     ["m.yaml, key courses.max_courses_per_semester.value: got '101', expected a number <= 100"]),
    ("consecutive grades", lambda m: m["class_size"]["max_consecutive_grades"].update(value=16),
     ["m.yaml, key class_size.max_consecutive_grades.value: got '16', expected a number <= 15"]),
]


@pytest.mark.parametrize("edit, expected", [b[1:] for b in STRICT_AND_BOUNDED], ids=[b[0] for b in STRICT_AND_BOUNDED])
def test_numbers_are_strict_and_bounded(shipped, edit, expected):
    assert problems_of(edited(shipped, edit)) == expected


def test_values_at_the_bounds_load(shipped):
    def edit(m):
        m["courses"]["stipend_per_course"]["value"] = 1_000_000      # an int is a fine amount of money
        m["class_size"]["multigrade_cost"]["value"] = 999_999.99
        m["xtime"]["xtime_hours"]["value"] = 1_000
        m["objective"]["weights"]["section_change"] = 1_000_000
        m["class_size"]["section_max"]["value"] = 10_000
    c = contract_from_dict(edited(shipped, edit), "m.yaml")
    assert (c.stipend_per_course, c.xtime_hours, c.section_max) == (1_000_000, 1_000, 10_000)
