"""A10.1 — Article 10.0(1): a displaced teacher fills a vacancy one or more levels down, same VA and department.

Credential permitting: the teacher holds the credential of some course of that level at that school, and
their grade range meets that level's grades (contract `levels`). Vacancies at a level = positions - retained.

Vacancies go to the most senior eligible displaced teacher first, and every eligible displaced teacher takes
an open vacancy. Within one school and department the teachers are taken in seniority order (across levels);
a teacher is placed when they and every more senior placed teacher can still all be seated (Hall's condition
on the vacancy counts), so a senior teacher is never left out for a junior one and no vacancy a later
teacher needed is spent on a teacher who could have gone elsewhere. The placed teachers then take, in
seniority order, the nearest level down that still leaves a seat for every placed teacher after them.
The order of those moves is the `step` (1, 2, ... within each school and department).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.displace.seniority import LEVEL_ORDER, SENIORITY


def level_bounds(contract: ContractModel) -> tuple[dict[str, int], dict[str, int]]:
    """Lowest and highest grade of each level, from the contract model."""
    lo = {level: contract.level_grades(level)[0] for level in LEVEL_ORDER}
    hi = {level: contract.level_grades(level)[1] for level in LEVEL_ORDER}
    return lo, hi


def credentialed_levels(surplus: pd.DataFrame, courses: pd.DataFrame, contract: ContractModel) -> pd.DataFrame:
    """A10.1 (10.0(1)): (teacher_id, to_level) below the teacher's level that they may teach, with one credential.

    Columns: teacher_id, to_level, credential (the first, alphabetically, that qualifies), cred_ok, grades_ok.
    Every lower level offering a course at the school appears; `cred_ok`/`grades_ok` say which test failed.
    """
    lo, hi = level_bounds(contract)
    teacher = surplus[["teacher_id", "school_id", "level", "grade_min", "grade_max"]]
    lower = teacher.merge(courses[["school_id", "level"]].drop_duplicates().rename(columns={"level": "to_level"}),
                          on="school_id")
    lower = lower[lower["to_level"].map(LEVEL_ORDER) < lower["level"].map(LEVEL_ORDER)]
    held = (surplus[["teacher_id", "school_id", "credentials"]].explode("credentials")
            .dropna(subset=["credentials"]).rename(columns={"credentials": "credential"}))
    offered = courses[["school_id", "level", "credential"]].drop_duplicates().rename(columns={"level": "to_level"})
    creds = (held.merge(offered, on=["school_id", "credential"])
             .sort_values(["teacher_id", "to_level", "credential"], kind="stable")
             .drop_duplicates(["teacher_id", "to_level"])[["teacher_id", "to_level", "credential"]])
    out = lower.merge(creds, on=["teacher_id", "to_level"], how="left")
    out["cred_ok"] = out["credential"].notna()
    out["grades_ok"] = (out["grade_min"] <= out["to_level"].map(hi)) & (out["grade_max"] >= out["to_level"].map(lo))
    return out[["teacher_id", "to_level", "credential", "cred_ok", "grades_ok"]].reset_index(drop=True)


def placeable(counts: Counter, seats: dict[str, int]) -> bool:
    """Hall's condition: every set of levels has at least as many seats as teachers who fit only there."""
    levels = list(seats)
    for size in range(1, len(levels) + 1):
        for subset in combinations(levels, size):
            inside = set(subset)
            need = sum(n for kind, n in counts.items() if kind <= inside)
            if need > sum(seats[level] for level in subset):
                return False
    return True


def assign_vacancies(candidates: pd.DataFrame, vacancies: dict[tuple[str, str], dict[str, int]],
                     ties_reversed: bool = False) -> pd.DataFrame:
    """A10.1 (10.0(1)): who moves to which level, in which step.

    `candidates`: teacher_id, school_id, department, level, seniority_date, seniority_tiebreak, eligible
    (frozenset of lower levels with a vacancy the teacher is credentialed for). `vacancies`:
    (school_id, department) -> {level: open positions}. Returns teacher_id, to_level, step. `ties_reversed`: full
    seniority ties taken in the other order (whether a tie decides anything).
    """
    keys = ["school_id", "department", *SENIORITY, "teacher_id"]
    ordered = candidates.sort_values(keys, ascending=[True] * 4 + [not ties_reversed], kind="stable")
    moves = []
    for (school, department), group in ordered.groupby(["school_id", "department"], sort=False):
        seats = dict(vacancies.get((school, department), {}))
        placed = _seat_most_senior(group, seats)
        moves += _nearest_levels(placed, seats)
    return pd.DataFrame(moves, columns=["teacher_id", "to_level", "step"])


def _seat_most_senior(group: pd.DataFrame, seats: dict[str, int]) -> list[tuple[str, frozenset]]:
    """Most senior first: a teacher is placed if they and every teacher placed before can still all be seated."""
    counts: Counter = Counter()
    placed = []
    for teacher_id, eligible in zip(group["teacher_id"], group["eligible"]):
        counts[eligible] += 1
        if placeable(counts, seats):
            placed.append((teacher_id, eligible))
        else:
            counts[eligible] -= 1
    return placed


def _nearest_levels(placed: list[tuple[str, frozenset]], seats: dict[str, int]) -> list[tuple[str, str, int]]:
    """Most senior first, each placed teacher takes the nearest level down that leaves a seat for the rest."""
    remaining = Counter(eligible for _, eligible in placed)
    moves = []
    for step, (teacher_id, eligible) in enumerate(placed, start=1):
        remaining[eligible] -= 1
        for level in sorted(eligible, key=LEVEL_ORDER.get, reverse=True):
            if seats[level] == 0:
                continue
            seats[level] -= 1
            if placeable(remaining, seats):
                moves.append((teacher_id, level, step))
                break
            seats[level] += 1
    return moves
