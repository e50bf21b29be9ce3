"""report/parallel.py: plan.xlsx written and the checker run in forked processes give the same bytes and verdict as
in this one, a process that dies costs nothing but time (its part is then made here), and the "why" prepared before
the verdict is the one made after it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from vastaff import forked
from vastaff.check.runner import MODULES, joined, run_checks
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings
from vastaff.report import parallel
from vastaff.report.context import checked, draft_context, report_context
from vastaff.report.files import files_for_people, people_files
from vastaff.report.parallel import CheckJob, WorkbookJob
from vastaff.report.why import explain_all, prepare
from vastaff.report.why.tables import tables_of
from vastaff.report.workbook import plan_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    contract = load_contract(None)
    district = load_district(SAMPLE, contract)
    nightly = solve_nightly(district, contract, SolveSettings(method="greedy", processes=1))
    plan = load_plan(write_plan(tmp_path_factory.mktemp("plan") / "greedy", nightly.tables, nightly.run))
    draft = draft_context(district, plan, contract)
    return district, plan, contract, draft, checked(draft)


def test_the_draft_has_no_verdict_and_the_checked_context_has_one(parts):
    *_, draft, ctx = parts
    assert draft.check is None and ctx.check is not None
    assert dataclasses.replace(ctx, check=None) == draft


def test_the_forked_workbook_is_byte_for_byte_the_one_written_here(parts):
    *_, draft, ctx = parts
    if forked.cores() < 2:
        pytest.skip("one core: the workbook is written in this process (the next tests cover it)")
    job = WorkbookJob(draft)
    assert job._process is not None and job._process.pid != 0  # it really runs elsewhere
    assert job.result(ctx) == plan_workbook(ctx)
    assert job._process is None  # finished and joined


def test_a_workbook_process_that_dies_is_replaced_by_writing_here(parts):
    *_, draft, ctx = parts
    job = WorkbookJob(draft)
    if job._process is not None:
        job._process.kill()
        job._process.join()
    assert job.result(ctx) == plan_workbook(ctx)


def test_one_core_writes_the_workbook_here(parts, monkeypatch):
    *_, draft, ctx = parts
    monkeypatch.setattr(forked, "cores", lambda: 1)
    job = WorkbookJob(draft)
    assert job._process is None
    assert job.result(ctx) == plan_workbook(ctx)


def test_files_for_people_equal_the_files_made_one_after_the_other(parts):
    district, plan, contract, _, ctx = parts
    files, made = files_for_people(district, plan, contract, None)
    assert made.check == ctx.check
    assert files == people_files(ctx)
    assert list(files) == ["timetable.csv", "vacancies.csv", "plan.xlsx", "report.html"]


def test_the_checkers_process_gives_the_verdict_of_this_one(parts):
    *_, draft, ctx = parts
    job = CheckJob(draft)
    if forked.cores() >= 2:
        assert job._process is not None and job._process.pid != 0
    assert job.result() == ctx.check
    assert job._process is None


def test_a_checker_process_that_dies_is_replaced_by_checking_here(parts):
    *_, draft, ctx = parts
    job = CheckJob(draft)
    if job._process is not None:
        job._process.kill()
        job._process.join()
    assert job.result() == ctx.check


def test_the_why_prepared_before_the_verdict_is_the_why_made_after_it(parts):
    """`prepare` makes every line that needs no verdict from the draft; `explain_all` of the checked context adds the
    IEP and lock lines — the same lines as made from the checked context alone."""
    district, plan, contract, draft, ctx = parts
    fresh = explain_all(report_context(district, plan, contract))
    prepare(draft)
    assert tables_of(draft).ctx is draft
    prepared = explain_all(ctx)
    assert tables_of(ctx).ctx is ctx and "why.lines" in tables_of(ctx).memo
    assert prepared == fresh and any(prepared.values())


def test_the_verdict_checked_in_two_processes_is_the_verdict_of_one_run(parts):
    """The checker's process runs the leading rule modules (`FORKED`), this one the rest (`HERE`): the joined verdict
    is one run's — each violation in module order, every figure — on a plan breaking rules of both parts (a section
    gone: DEMAND; a teacher placed at a site that is not theirs: the location rules)."""
    district, plan, contract, *_ = parts
    teachers = plan.teachers.copy()
    teachers.loc[0, ["work_location", "site_id", "room_id"]] = ["site", "NO-SUCH-SITE", "NO-SUCH-ROOM"]
    broken = dataclasses.replace(plan, sections=plan.sections.iloc[1:].reset_index(drop=True), teachers=teachers)
    whole = checked(draft_context(district, broken, contract)).check
    rules_of = {name: {v.rule for v in run_checks(district, broken, contract, modules=names).violations}
                for name, names in (("forked", parallel.FORKED), ("here", parallel.HERE))}
    assert rules_of["forked"] and rules_of["here"]  # both parts find something
    assert parallel.FORKED + parallel.HERE == MODULES
    assert CheckJob(draft_context(district, broken, contract)).result() == whole
    assert joined(*(run_checks(district, broken, contract, modules=part, names=True)
                    for part in (parallel.FORKED, parallel.HERE))) == whole


def test_the_why_the_verdict_and_the_page_share_one_checker_context_per_plan(parts):
    """report/context.check_context: one CheckContext per plan in this process, so the checker's derived tables are
    computed once for the "why", the verdict's modules run here and the page's charts; another plan gets its own."""
    from vastaff.report.context import check_context

    district, plan, contract, draft, ctx = parts
    shared = check_context(draft)
    assert check_context(ctx) is shared and tables_of(draft).check is shared
    assert shared.names and shared.previous is district.previous
    other = load_plan(plan.path)
    assert check_context(draft_context(district, other, contract)) is not shared


def test_a_verdict_on_the_shared_context_is_the_checkers_own(parts):
    """The modules after the "why" read tables the "why" computed: the same verdict as a checker run of its own."""
    from vastaff.report.context import check_context, verdict

    district, plan, contract, *_ = parts
    fresh = draft_context(district, load_plan(plan.path), contract)  # a plan object no context has seen yet
    prepare(fresh)
    assert check_context(fresh).cache  # the "why" filled it
    assert verdict(fresh) == run_checks(district, fresh.plan, contract, names=True)
