"""report.html as text: what each part of the page says for hand-made plans of the tiny district.

Plans come from tests/check/conftest.py's `Case` (tiny district: one school VA1, teachers E1, E2 homerooms; H1
Algebra 1 + Honors Algebra 1 doubled in P1; H2 English 9 in P1 (year) and ELD 1 in P2; R1T a resource specialist
without sections). Each test changes one thing and reads the rendered page; the real browser is
test_report_chromium.py.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests.check.conftest import CONTRACT, Case
from vastaff.io.plan import load_plan
from vastaff.report import charts
from vastaff.report.context import ReportContext, report_context
from vastaff.report.html import report_html

XSS_NAME = "<script>alert(1)</script>"
XSS_TITLE = '<img src=x onerror="alert(2)">'
XSS_SCHOOL = "<b>Bold & \"quoted\" 'school'</b>"


class _Rows(HTMLParser):
    """Every table row as (its class, the text of its cells); every element's attributes by tag."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.tags: dict[str, list[dict]] = {}
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.setdefault(tag, []).append(dict(attrs))
        if tag == "tr":
            self.rows.append((dict(attrs).get("class", ""), []))
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parsed(page: str) -> _Rows:
    p = _Rows()
    p.feed(page)
    return p


def rows(page: str, css_class: str) -> list[list[str]]:
    """The cells of the table rows whose class list holds `css_class`."""
    return [cells for cls, cells in parsed(page).rows if css_class in cls.split()]


def headline(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", page))


def blob(page: str) -> dict:
    """The timetable JSON the page's script unpacks (gzip + base64)."""
    text = re.search(r'<script type="application/octet-stream" id="timetable-data" data-encoding="gzip\+base64">'
                     r"([A-Za-z0-9+/=]*)</script>", page).group(1)
    return json.loads(gzip.decompress(base64.b64decode(text)))


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case(tmp_path)


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> ReportContext:
    """The context of the tiny district's valid plan, shared by the tests that only read it."""
    case = Case(tmp_path_factory.mktemp("valid"))
    return report_context(case.district(), load_plan(case.write_plan()), CONTRACT)


def page_of(case: Case, edit=None, why=None, **changes) -> str:
    ctx = report_context(case.district(), load_plan(case.write_plan(edit)), CONTRACT)
    return report_html(replace(ctx, **changes), why)


# ---- headline and verdict ----------------------------------------------------------------------------------

def test_a_hand_made_plan_shows_a_dash_for_what_its_run_json_does_not_say(valid):
    page = report_html(valid)
    h = headline(page)
    assert h["Status"] == "OPTIMAL" and h["Total cost"] == "$0.00"
    assert h["Cost breakdown"] == "stipend $0.00, multi-grade $0.00, X-time $0.00"
    assert [h[k] for k in ("Gap", "Wall time", "Method", "Contract model", "Input hash (SHA-256)")] == ["–"] * 5
    assert h["Contract check"] == "OK" and h["Vacancies"] == "0" and h["Checked against"] == CONTRACT.name


def test_a_plan_without_run_json_or_with_odd_values_renders(case):
    plan = case.write_plan()
    (plan / "run.json").unlink()
    ctx = report_context(case.district(), load_plan(plan), CONTRACT)
    h = headline(report_html(ctx))
    assert h["Status"] == "–" and h["Total cost"] == "–"
    assert h["Cost breakdown"] == "stipend –, multi-grade –, X-time –"
    odd = {"status": "FEASIBLE", "costs": "n/a", "gap": 0.01234, "wall_seconds": 12345.6}
    h = headline(report_html(replace(ctx, plan=replace(ctx.plan, run=odd))))
    assert (h["Status"], h["Total cost"], h["Gap"], h["Wall time"]) == ("FEASIBLE", "–", "0.01234", "12,346 s")


def test_a_valid_plan_is_ok_and_its_figures_sit_within_their_limits(valid):
    page = report_html(valid)
    assert "OK: the independent contract check finds no violation." in page
    assert 'data-school-id="VA1"' in page and "VA1 · Virtual Academy 1" in page
    figures = {cells[1]: (cells[0], cells[2], cells[3], cells[4]) for cells in rows(page, "figure")}
    assert figures["Mean class, band K-3, semester 1 (2 sections)"] == ("A8.1", "20.00", "≤ 22", "within")
    assert figures["Mean class, band 4-12, semester 1 (4 sections)"] == ("A8.1", "19.25", "≤ 25", "within")
    assert figures["Most courses per teacher in a semester"] == ("A6.3", "2", "≤ 8", "within")
    # H1's two Algebra sections share P1: one doubled period where a timetable could have none
    assert figures["Doubled periods"] == ("A6.1", "1", "floor 0", "above floor")
    assert rows(page, "over") == []


def test_the_rules_a_plan_has_no_files_for_are_named_not_checked(valid):
    """The tiny plan has sections, grades and teachers only: the page says what the check could not look at."""
    page = report_html(valid)
    assert re.findall(r'<p class="note not-checked">(.*?)</p>', page) == [
        "Not checked: A7.1, A7.2 — the plan has no iep_assignments.csv.",
        "Not checked: A7.3 — the plan has no caseloads.csv."]


def test_a_band_mean_over_its_limit_is_a_violation_and_marked_over(case):
    """English 9 (the only 4-12 section of semester 2) with 30 students: mean 30 > 25 (A8.1)."""
    case.demand("EN-9", 9, 30)
    case.section("S-EN").update(grades={9: 30})
    page = page_of(case)
    assert "NOT OK: 1 violation(s)." in page
    [violation] = rows(page, "violation")
    assert violation[:2] == ["A8.1", "8.0"] and "band 4-12" in violation[2]
    [over] = rows(page, "over")
    assert over[:4] == ["A8.1", "Mean class, band 4-12, semester 2 (1 sections)", "30.00", "≤ 25"]
    assert over[4] == "▲ over limit"
    assert "1 figure(s) over a limit" in page
    assert 'class="limit over"' in page     # the chart's limit line too


def _nine_courses(case: Case) -> Case:
    """H1 teaches nine distinct semester-1 math courses over six academic periods (stipend_consent true): A6.3's
    limit of 8 passed with the teacher's consent and a $1,200 stipend (tests/check/test_sections_courses.py)."""
    case.tables["periods"] += [{"school_id": "VA1", "period_id": f"P{i}", "kind": "academic", "order": i}
                               for i in (4, 5, 6)]
    for i in range(1, 8):
        case.add_course(f"MA-C{i}", "math", "math", semester="1")
        case.demand(f"MA-C{i}", 9, 10)
        case.sections.append(case.sec(f"S-C{i}", f"MA-C{i}", "1", f"P{2 + (i - 1) // 2}", "H1", {9: 10}))
    return case


def test_courses_over_the_limit_with_consent_are_paid_not_over(case):
    page = page_of(_nine_courses(case))
    assert "OK: the independent contract check finds no violation." in page
    [paid] = rows(page, "paid")
    assert paid == ["A6.3", "Most courses per teacher in a semester", "9", "≤ 8",
                    "over limit, paid · 1 teacher(s) over the limit with their consent, paid a stipend"]
    assert rows(page, "over") == [] and "figure(s) over a limit" not in page


def test_courses_over_the_limit_without_consent_are_over(case):
    _nine_courses(case).teacher("H1")["stipend_consent"] = "false"
    page = page_of(case)
    assert "NOT OK: 1 violation(s)." in page
    [over] = rows(page, "over")
    assert over == ["A6.3", "Most courses per teacher in a semester", "9", "≤ 8",
                    "▲ over limit · 1 without stipend_consent"]
    assert "1 figure(s) over a limit" in page


def test_a_site_chooser_left_at_home_is_marked_on_the_site(case):
    """E1 chose to work on site (A19) and is sent home while S1 has free places: one violation (A19), not also A24's
    (H2 moved into S1 by request, but S1 kept room for E1)."""
    def send_e1_home(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "E1", ["work_location", "site_id", "room_id"]] = ["home", None, None]

    page = page_of(case, send_e1_home)
    [violation] = rows(page, "violation")
    assert violation[0] == "A19" and violation[2].startswith("teacher E1 (Ada Elem) chose to work on site but works "
                                                             "from home")  # the page names teachers (check --names)
    assert rows(page, "over") == [["S1 · North Welcome Center", "R1", "open", "3", "1", "2", "1 ▲ left at home"]]
    assert "site choosers at home: <strong>1</strong>" in page
    assert "Site choosers at home (by current site)" in page and "counts them at the site they asked for" in page


def test_site_choosers_without_a_current_site_are_a_named_row(case):
    """E1 has no current site, chose to work on site and is sent home: the row says who they are, not just "(none)"."""
    case.teacher("E1")["current_site_id"] = ""

    def send_e1_home(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "E1", ["work_location", "site_id", "room_id"]] = ["home", None, None]

    over = rows(page_of(case, send_e1_home), "over")
    assert over == [["(none) · no current site (site choosers who had none)", "", "", "0", "0", "0",
                     "1 ▲ left at home"]]


# ---- costs, vacancies, changes ------------------------------------------------------------------------------

def test_a_plan_without_cost_says_so_instead_of_drawing_empty_bars(valid):
    page = report_html(valid)
    assert "No stipend, multi-grade or X-time cost." in page
    assert 'aria-label="Cost by kind"' not in page


def test_a_multi_grade_section_draws_its_cost(case):
    """Algebra 1 with grades 9 and 10 is a multi-grade section for a semester (A8.5)."""
    case.demand("MA-ALG1", 10, 5)
    case.section("S-ALG").update(grades={9: 25, 10: 5})
    page = page_of(case)
    amount = f"${CONTRACT.multigrade_cost:,.2f}"
    assert "No stipend, multi-grade or X-time cost." not in page
    assert 'aria-label="Cost by kind"' in page
    assert f"Multi-grade (A8.5): {amount}" in page
    assert "0 stipend courses, 1 multi-grade section, 0 teachers with X-time." in page


def test_a_vacancy_shows_its_course_grades_students_and_reason(case):
    case.section("S-HALG").update(teacher_id=None)
    page = page_of(case)
    assert rows(page, "vacancy") == [["S-HALG", "VA1", "Honors Algebra 1 (MA-HALG1)", "9", "12",
                                      "no teacher holds the credential", ""]]
    assert headline(page)["Vacancies"] == "1"


def test_the_headline_counts_sections_students_and_names_teachers_without_sections(valid, case):
    """A reviewer found no section count in the report and teachers without sections only card by card."""
    h = headline(report_html(valid))
    assert (h["Sections"], h["Classroom teachers"]) == ("6 (0 vacant), 117 students seated with a teacher",
                                                        "4 of 4 teach")
    case.section("S-EN").update(teacher_id=None)
    case.section("S-ELD").update(teacher_id=None)
    h = headline(page_of(case))
    assert h["Sections"] == "6 (2 vacant with 35 students), 82 students seated with a teacher"  # not 117 seated
    assert h["Classroom teachers"] == "3 of 4 teach; none: H2 (Di English)"


def test_who_works_somewhere_other_than_their_current_site_is_listed(valid, case):
    """A reviewer found no list of who moved: H1 and H2 swap sites by their requests; E1 sent home joins them."""
    assert rows(report_html(valid), "move") == [["H1 · Cy Math", "S1", "S2", "either", "yes"],
                                                ["H2 · Di English", "S2", "S1", "site", "yes"]]

    def send_e1_home(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "E1", ["work_location", "site_id", "room_id"]] = ["home", None, None]

    assert rows(page_of(case, send_e1_home), "move")[0] == ["E1 · Ada Elem", "S1", "home", "site", ""]


def test_changes_none_empty_and_listed(valid):
    assert "No previous plan was given, so there is nothing to compare." in report_html(valid)
    no_change = pd.DataFrame(columns=["teacher_id", "what", "before", "after"])
    assert "No change since the previous plan." in report_html(replace(valid, changes=no_change))
    one = pd.DataFrame([{"teacher_id": "H1", "what": "courses", "before": "MA-ALG1", "after": "EN-9"}])
    assert rows(report_html(replace(valid, changes=one)), "change") == [
        ["Cy Math (H1)", "courses", "", "MA-ALG1", "EN-9"]]  # changes.csv as read: no line of its own
    gone = pd.DataFrame([{"teacher_id": "H9", "what": "site", "before": "S1", "after": "", "summary": "S1 -> -"}])
    assert rows(report_html(replace(valid, changes=gone)), "change") == [
        ["not in teachers.csv tonight (H9)", "site", "S1 -> -", "S1", ""]]  # a teacher who left: the name was blank


# ---- timetables ---------------------------------------------------------------------------------------------

def test_every_teacher_has_a_timetable_grid_and_why_lines(valid):
    page = report_html(valid, why={"H1": ["A6.1: every period is full"], "NOBODY": ["ignored"]})
    data = blob(page)
    teachers = {t[0]: t for t in data["teachers"]}
    assert list(teachers) == ["E1", "E2", "H1", "H2", "R1T"]
    assert teachers["H1"][1:5] == ["Cy Math", "VA1", "high", "site S2 (South Welcome Center), room S2-101"]
    assert teachers["H1"][5] == [["P1", "Algebra 1 + Honors Algebra 1 (42)", ""], ["P2", "", ""], ["P3", "", ""]]
    assert teachers["H2"][5] == [["P1", "English 9 (25)", "English 9 (25)"], ["P2", "ELD 1 (10)", ""],
                                 ["P3", "", ""]]
    assert teachers["E1"][5] == [["homeroom", "Grade 1 Homeroom (20)", "Grade 1 Homeroom (20)"]]
    assert teachers["E2"][4] == "home" and teachers["R1T"][5] == []
    assert data["why"] == {"H1": ["A6.1: every period is full"]}
    assert data["schools"] == {"VA1": "Virtual Academy 1"}
    assert '<input id="teacher-filter"' in page and 'id="teacher-list"' in page


def test_the_same_course_twice_in_a_doubled_period_is_written_once_with_its_count(case):
    case.demand("MA-ALG1", 9, 42)
    case.section("S-HALG").update(course_id="MA-ALG1")
    teachers = {t[0]: t for t in blob(page_of(case))["teachers"]}
    assert teachers["H1"][5][0] == ["P1", "Algebra 1 ×2 (42)", ""]


# ---- escaping and self-containment --------------------------------------------------------------------------

def test_names_titles_and_messages_are_shown_as_text_never_as_markup(case):
    case.teacher("H1")["name"] = XSS_NAME
    next(c for c in case.tables["courses"] if c["course_id"] == "MA-ALG1")["title"] = XSS_TITLE
    case.tables["schools"][0]["name"] = XSS_SCHOOL
    case.section("S-ALG").update(teacher_id=None)
    one = pd.DataFrame([{"teacher_id": "H1", "what": "courses", "before": XSS_TITLE, "after": ""}])
    page = page_of(case, why={"H1": [XSS_NAME]}, changes=one)
    for raw in (XSS_NAME, XSS_TITLE, XSS_SCHOOL, "<b>", "<img"):
        assert raw not in page
    assert page.count("<script") == 2     # the JSON blob and the filter, nothing else
    escaped = "&lt;b&gt;Bold &amp; &#34;quoted&#34; &#39;school&#39;&lt;/b&gt;"
    assert f"VA1 · {escaped}" in page                          # the school's heading
    assert f'aria-label="VA1 {escaped}: students per section' in page   # and its charts
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; (MA-ALG1)" in page   # the vacancy's course
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (H1)" in page   # the change's teacher
    assert rows(page, "change")[0][0] == f"{XSS_NAME} (H1)"      # which a browser reads back as plain text
    data = blob(page)                                       # the script gets the raw text and sets textContent
    teachers = {t[0]: t for t in data["teachers"]}
    assert teachers["H1"][1] == XSS_NAME and data["why"]["H1"] == [XSS_NAME]


def test_the_page_needs_nothing_from_the_network(valid):
    page = report_html(valid)
    assert "<link" not in page and " src=" not in page and "@import" not in page
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg")
    assert "@media print" in page


def test_every_chart_is_an_svg_with_a_title_and_a_label(valid):
    page = report_html(valid)
    svgs = parsed(page).tags["svg"]
    assert len(svgs) == 2 and all(s["class"] == "chart" and s["role"] == "img" and s["aria-label"] for s in svgs)
    for label in (s["aria-label"] for s in svgs):
        assert f"<title>{label}</title>" in page


# ---- the charts alone ---------------------------------------------------------------------------------------

def test_class_size_chart_draws_a_bar_per_size_and_marks_a_mean_over_its_limit():
    row_ok = charts.SizeRow("band K-3, sem. 1", {20: 2, 21: 1}, 20.33, 22)
    row_over = charts.SizeRow("band 4-12, sem. 1", {30: 3}, 30.0, 25)
    svg = str(charts.class_size_chart("VA1 <sizes>", [row_ok, row_over]))
    assert svg.count('class="bar"') == 3
    assert svg.count('class="limit"') == 1 and svg.count('class="limit over"') == 1
    assert "mean 20.3" in svg and "limit 22" in svg
    assert "3 sections of 30 students" in svg and "1 section of 21 students" in svg
    assert "<title>VA1 &lt;sizes&gt;</title>" in svg and "<sizes>" not in svg


def test_histogram_has_a_bar_for_every_value_up_to_the_largest():
    svg = str(charts.histogram_chart("loads", {0: 1, 1: 1, 3: 4}, "section", "teacher"))
    assert svg.count('class="bar"') == 4     # 0, 1, 2, 3
    assert "4 teachers with 3 sections" in svg and "1 teacher with 1 section<" in svg
    assert "1 teacher with 0 sections" in svg and "0 teachers with 2 sections" in svg


def test_iep_meetings_the_school_set_outside_the_day_are_a_warning_figure(valid):
    """4.0 A: the checker's workday figure (check/workday.py) is shown per school as a warning, never as over."""
    from vastaff.check.workday import WORKDAY_FIGURE

    figures = {**valid.check.figures, WORKDAY_FIGURE: [{"school_id": "VA1", "iep_meetings": 7,
                                                        "outside_onsite_window": 2, "on_pd_plt_slot": 1}]}
    page = report_html(replace(valid, check=replace(valid.check, figures=figures)))
    shown = {cells[1]: (cells[0], cells[2], cells[3], cells[4]) for cells in rows(page, "figure")}
    name = "IEP meetings the school set outside the on-site window / on the PD/PLT slot (7 meetings)"
    assert shown[name] == ("4.0 A", "2 / 1", "a warning, not a violation", "within")
    assert name not in report_html(valid)


def test_singleton_clashes_are_listed_below_the_school_figures(valid, case):
    """Hand-counted: in semester 1, P1 holds the only sections of Algebra 1, Honors Algebra 1 and English 9 that hold
    grade 9 (3 pairs, the figure's count); ELD 1 meets alone in P2 and English 9 alone in semester 2. Control: ELD 1
    moved into P1 makes it 4 courses, 6 pairs."""
    page = report_html(valid)
    assert rows(page, "clash") == [["1", "P1", "9", "Algebra 1 (S-ALG), English 9 (S-EN), Honors Algebra 1 (S-HALG)",
                                    "3"]]
    shown = {cells[1]: cells[2] for cells in rows(page, "figure")}
    assert shown["Singleton clashes"] == "3"
    case.section("S-ELD").update(period_id="P1")
    assert [cells[3:] for cells in rows(page_of(case), "clash")] == [
        ["Algebra 1 (S-ALG), ELD 1 (S-ELD), English 9 (S-EN), Honors Algebra 1 (S-HALG)", "6"]]


def test_matrix_choices_granted_are_a_figure_per_school_and_level(valid):
    """A9.1: the checker's matrix figure (first choice, within the top 3, none granted) per school and level; a plan
    without matrix.csv shows none."""
    figures = {**valid.check.figures, "matrix": [
        {"school_id": "VA1", "level": "high", "teachers_with_choices": 4, "first_choice": 2, "within_top3": 3,
         "none_granted": 1}]}
    page = report_html(replace(valid, check=replace(valid.check, figures=figures)))
    shown = {cells[1]: (cells[0], cells[2], cells[3]) for cells in rows(page, "figure")}
    name = "Matrix choices granted, high (4 teachers who listed choices)"
    assert shown[name] == ("A9.1", "2 first / 3 top 3 / 1 none", "by seniority")
    assert "Matrix choices granted" not in report_html(valid)


def test_teachers_who_may_request_preparation_time_are_in_the_headline(valid):
    """A9.2 (9.0(2)): run.json's prep_time block, when the run had --first-day; nothing without it."""
    block = {"first_day": "2026-08-20", "as_of": "2026-08-18", "notice_days": 5, "days_before": 2,
             "within_notice": True, "previous_plan": True, "teachers": ["H1", "H2"]}
    page = report_html(replace(valid, plan=replace(valid.plan, run={"prep_time": block})))
    assert headline(page)["Preparation time (A9.2)"] == (
        "2 teacher(s) whose sections changed may request it, notified 2 day(s) before the first day 2026-08-20 "
        "(notice: 5 days): H1, H2")
    assert "Preparation time (A9.2)" not in headline(report_html(valid))
