"""report.html in a real headless Chromium: what a person sees once the page's own script has run.

One page, rendered once for the module: the tiny district (tests/check/conftest.py's `Case`) with a second, empty
school, and people whose names are markup (`<script>alert(1)</script>` and two `onerror` handlers that would mark
the page if they ever ran). Chromium prints the DOM after load (`--dump-dom`) or a screenshot.

Skipped only when no `chromium` is on PATH and VASTAFF_REQUIRE_CHROMIUM is not "1" (CI sets it and installs Debian's
`chromium`, so there a missing browser is a failure).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.check.conftest import CONTRACT, Case
from vastaff.io.plan import load_plan
from vastaff.report.context import report_context
from vastaff.report.html import report_html

CHROMIUM = shutil.which("chromium")
SECONDS = 60
VIRTUAL_MS = 10_000
"""Chromium waits, in virtual time, for the page's script to unpack its data before it dumps or shoots the page."""
SCRIPT_NAME = "<script>alert(1)</script>"
PWN = "<img src=x onerror=\"document.body.dataset.pwned='{}'\">"
"""Markup that, were it ever parsed as HTML, would set data-pwned on the body."""


def _require_chromium() -> None:
    if CHROMIUM is not None:
        return
    if os.environ.get("VASTAFF_REQUIRE_CHROMIUM") == "1":
        pytest.fail("VASTAFF_REQUIRE_CHROMIUM=1 but no `chromium` on PATH")
    pytest.skip("no `chromium` on PATH (CI installs Debian's chromium and sets VASTAFF_REQUIRE_CHROMIUM=1)")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The report of a valid plan for the tiny district with a second school and names that are markup."""
    _require_chromium()
    case = Case(tmp_path_factory.mktemp("chromium"))
    case.tables["schools"].append({"school_id": "VA2", "name": PWN.format("school"), "region_id": "R2",
                                   "levels": "elementary"})
    case.teacher("H2")["name"] = SCRIPT_NAME
    case.teacher("E2")["name"] = PWN.format("teacher")
    ctx = report_context(case.district(), load_plan(case.write_plan()), CONTRACT)
    out = case.tmp / "report.html"
    out.write_text(report_html(ctx, {"H1": ["A6.1: P1 holds two sections"]}), encoding="utf-8")
    return out


def chromium(page: Path, *args: str, address: str = "") -> tuple[str, str]:
    """Chromium's stdout (the DOM with --dump-dom) and its log (console messages, script errors) for the page."""
    profile = page.parent / "profile"
    done = subprocess.run(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         f"--user-data-dir={profile}", f"--virtual-time-budget={VIRTUAL_MS}", *args, page.as_uri() + address],
        capture_output=True, text=True, timeout=SECONDS, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def opened(page: Path) -> tuple[str, str]:
    return chromium(page, "--dump-dom")


def teacher_blocks(dom: str) -> dict[str, str]:
    """Each teacher block in the DOM: teacher ID -> its opening tag and content."""
    return dict(re.findall(r'<article class="teacher" data-teacher-id="([^"]+)"(.*?)</article>', dom, re.S))


def test_the_page_shows_the_status_each_school_and_its_charts(opened):
    dom, log = opened
    assert 'data-ready="1"' in dom and "Uncaught" not in log
    assert "<dt>Status</dt><dd" in dom and ">OPTIMAL</dd>" in dom
    assert "OK: the independent contract check finds no violation." in dom
    assert "VA1 · Virtual Academy 1" in dom
    assert "VA2 · &lt;img src=x onerror=\"document.body.dataset.pwned='school'\"&gt;" in dom
    assert len(re.findall(r'<svg class="chart" role="img" aria-label="[^"]+"', dom)) == 2
    blocks = teacher_blocks(dom)
    assert list(blocks) == ["E1", "E2", "H1", "H2", "R1T"] and not any("hidden" in b[:20] for b in blocks.values())
    assert "5 of 5 teacher(s)" in dom


def test_names_that_are_markup_show_as_text_and_run_nothing(opened):
    dom, log = opened
    blocks = teacher_blocks(dom)
    assert "<h3>&lt;script&gt;alert(1)&lt;/script&gt;<span" in blocks["H2"]
    assert "&lt;img src=x onerror=" in blocks["E2"]
    assert "pwned" not in re.search(r"<body[^>]*>", dom).group(0)
    assert len(re.findall(r"<script\b", dom)) == 2 and "Uncaught" not in log


def test_a_teacher_named_in_the_address_is_shown_alone_with_the_timetable(page):
    dom, log = chromium(page, "--dump-dom", address="#teacher=H1")
    assert 'data-ready="1"' in dom and "Uncaught" not in log
    blocks = teacher_blocks(dom)
    assert list(blocks) == ["H1"] and "hidden" not in blocks["H1"][:20]
    assert "<td>Algebra 1 + Honors Algebra 1 (42)</td>" in blocks["H1"]
    assert "<li>A6.1: P1 holds two sections</li>" in blocks["H1"]
    assert "1 of 5 teacher(s)" in dom


def test_part_of_a_name_in_the_query_finds_the_teacher(page):
    dom, _ = chromium(page, "--dump-dom", address="?teacher=cy%20MA")
    assert list(teacher_blocks(dom)) == ["H1"]


def test_the_screenshot_is_a_picture_of_the_page(page):
    shot = page.parent / "report.png"
    chromium(page, f"--screenshot={shot}", "--window-size=1280,2000")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 30_000     # text, tables and charts, not a blank page
