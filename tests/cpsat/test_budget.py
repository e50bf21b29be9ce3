"""Time budgets (vastaff.cpsat.budget): a run's deadline shared by its parts as they start, and one part's time
split between its stages."""

import math
import time

import pytest

from vastaff.cpsat.budget import Budget, TimeShare


def test_time_share_gives_a_school_its_part_of_the_time_left():
    now = time.time()
    share = TimeShare(now + 100, processes=2, total=10)
    # size 4 with 6 still queued on 2 processes: 100 * 4 / (4 + 6 / 2)
    assert share.part_deadline(4) - now == pytest.approx(100 * 4 / 7, abs=0.5)
    # the last school gets everything that is left
    assert share.part_deadline(6) - now == pytest.approx(100, abs=0.5)
    late = TimeShare(now - 5, processes=2, total=3)
    assert late.part_deadline(3) == pytest.approx(time.time(), abs=0.5)  # past the deadline: nothing left


def test_equal_parts_on_one_process_share_what_is_left_evenly():
    now = time.time()
    share = TimeShare(now + 90, total=3)
    assert share.part_deadline() - now == pytest.approx(30, abs=0.5)  # 90 s for 3 groups
    assert share.part_deadline() - now == pytest.approx(45, abs=0.5)  # the first left its time: 90 s for 2
    assert share.part_deadline() - now == pytest.approx(90, abs=0.5)  # the last gets all that is left


def test_a_part_gets_at_least_its_minimum_even_past_the_deadline():
    now = time.time()
    late = TimeShare(now - 5, total=2)
    assert late.part_deadline(at_least=1.0) - now == pytest.approx(1.0, abs=0.5)


def test_every_stage_but_the_last_gets_its_share_of_what_is_left():
    budget = Budget(time.time() + 30, work=9.0)
    first = budget.stage(last=False)
    assert first.work == pytest.approx(6.0) and first.wall == pytest.approx(20, abs=0.5)
    budget.spend(3.0)
    assert budget.stage(last=False).work == pytest.approx(4.0)
    assert budget.stage(last=True).work == pytest.approx(6.0)
    budget.spend(100.0)
    assert budget.stage(last=True).work == 0.0


def test_a_wall_only_budget_halves_for_the_first_of_two_solves():
    budget = Budget(time.time() + 10, stage_share=1 / 2)
    first = budget.stage(last=False)
    assert math.isinf(first.work) and first.wall == pytest.approx(5, abs=0.5)
    assert Budget(time.time() - 1).wall_left() == 0.0
