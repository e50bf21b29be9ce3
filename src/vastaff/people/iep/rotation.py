"""The A7.1/A7.2 rotation of a district: its groups of schools, each by the first path that proves itself.

Per group: the flow optimum when it has no overlap (OPTIMAL); else its repair, OPTIMAL when it costs what the flow
costs; else CP-SAT, started from the repair, the widened repair or the greedy rotation (the first that exists) and
keeping it unless CP-SAT finds a smaller spread. A group of several schools goes to CP-SAT directly.
With meeting locks (LOCK, locks.py), a group whose rotation breaks one is rotated again over the pairs they leave.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.cpsat.budget import Budget, TimeShare
from vastaff.people.iep.cpsat import cpsat_rotation
from vastaff.people.iep.eligibility import meeting_times, rotation_pairs, school_group_codes
from vastaff.people.iep.explain import raise_if_unholdable
from vastaff.people.iep.flow import costed_pairs, flow_rotation
from vastaff.people.iep.locks import MeetingLocks, meeting_locks
from vastaff.people.iep.overlaps import clashing_pairs
from vastaff.people.iep.repair import greedy_rotation, repaired_rotation, widened_repair
from vastaff.rules import Infeasible
from vastaff.schemas.district import District

ASSIGNMENT_COLUMNS = ["meeting_id", "teacher_id", "needs_coverage"]
CPSAT_MAX_PAIRS = 20_000
"""Above this many eligible pairs a repaired flow rotation is final: CP-SAT would spend its time in presolve."""
MIN_CPSAT_SECONDS = 1.0
"""A group gets at least this much wall time, even past the time limit."""
CPSAT_STAGE_SHARE = 1 / 2
"""The first CP-SAT solve (the spread) may use half of the group's time; the second (the costs) what is left."""


@dataclass(frozen=True)
class IepResult:
    """The A7.1/A7.2 rotation: one row per meeting (sorted by meeting_id), figures per school, solver status."""

    assignments: pd.DataFrame  # meeting_id, teacher_id, needs_coverage (bool)
    figures: dict              # {school_id: {meetings, eligible_teachers, min, max, spread, needing_coverage}}
    status: str                # OPTIMAL (proven on every stage) or FEASIBLE (not proven within the time limit)


@dataclass(frozen=True)
class Paths:
    """The paths a group's rotation may take: every one by default. Switching one off is for tests: CP-SAT alone is
    cross-checked against the flow, and the fallbacks that only big districts reach are exercised on small ones."""

    flow: bool = True     # the flow relaxation first (else CP-SAT alone, as for a group of several schools)
    repair: bool = True   # the flow's clashes repaired in its own window (else that repair counts as failed)
    widened: bool = True  # ... in a widened window
    greedy: bool = True   # the greedy rotation
    cpsat: bool = True    # CP-SAT searches (else it finds nothing, as when its time runs out)


def assign_iep_meetings(
    district: District,
    contract: ContractModel,
    sections: pd.DataFrame,
    section_grades: pd.DataFrame,
    *,
    seed: int = 0,
    time_limit: float = 10.0,
    paths: Paths = Paths(),
) -> IepResult:
    """A7.1 + A7.2: give every IEP meeting to one eligible teacher, spread evenly, without overlaps.

    `sections` / `section_grades` are tonight's plan tables (documented columns; a blank teacher_id is a vacancy).
    `time_limit` (wall seconds) bounds the CP-SAT fallback, shared by the schools that need it; the flow and
    repair paths do not depend on it. `seed` is CP-SAT's random_seed.
    The meeting locks of `district.locks` hold (LOCK, see locks.py).
    Raises Infeasible (rules A7.1 / A7.2, with LOCK when the locks are why) when some meeting cannot be held.
    """
    meetings = meeting_times(district.iep_meetings)
    if meetings.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(ASSIGNMENT_COLUMNS, ("str", "str", "bool"))})
        return IepResult(empty, {}, "OPTIMAL")
    pairs = rotation_pairs(district, contract, meetings, sections, section_grades)
    locks = meeting_locks(district, meetings, pairs)
    return rotate(meetings, pairs, seed=seed, time_limit=time_limit, paths=paths, locks=locks)


def rotate(meetings: pd.DataFrame, pairs: pd.DataFrame, *, seed: int = 0, time_limit: float = 10.0,
           paths: Paths = Paths(), locks: MeetingLocks | None = None) -> IepResult:
    """A7.1 + A7.2 over `meeting_times` and their eligible pairs with `covered`, `weight` and `previous`
    (`rotation_pairs`): the groups in order, each with an even share of the time left; `locks` (`meeting_locks` of
    these meetings and pairs) hold. Groups and figures are those of the contract's eligibility, locks or not."""
    raise_if_unholdable(meetings, pairs)
    if locks is not None:
        locks.raise_if_unholdable(meetings, pairs)
    group_of = school_group_codes(meetings, pairs)
    meeting_rows = pd.Series(group_of[meetings.s.to_numpy()]).groupby(group_of[meetings.s.to_numpy()]).indices
    pair_rows = pd.Series(group_of[pairs.s.to_numpy()]).groupby(group_of[pairs.s.to_numpy()]).indices
    share = TimeShare(time.time() + time_limit, total=len(meeting_rows))
    held, status = [], "OPTIMAL"
    for g in sorted(meeting_rows):
        budget = Budget(share.part_deadline(at_least=MIN_CPSAT_SECONDS), stage_share=CPSAT_STAGE_SHARE)
        group_meetings, group_pairs = meetings.iloc[meeting_rows[g]], pairs.iloc[pair_rows[g]]
        if locks is None:
            chosen, group_status = _rotate_group(group_meetings, group_pairs, seed, budget, paths)
        else:
            chosen, group_status = _rotate_locked_group(group_meetings, group_pairs, locks, pair_rows[g], seed,
                                                        budget, paths)
        held.append(chosen)
        status = status if group_status == "OPTIMAL" else "FEASIBLE"
    chosen = pd.concat(held).sort_values("m", kind="stable")
    assignments = pd.DataFrame({"meeting_id": chosen.meeting_id.astype(str).to_numpy(),
                                "teacher_id": chosen.teacher_id.astype(str).to_numpy(),
                                "needs_coverage": chosen.covered.to_numpy(dtype=bool)})
    return IepResult(assignments, rotation_figures(meetings, pairs, chosen), status)


def _rotate_locked_group(meetings: pd.DataFrame, pairs: pd.DataFrame, locks: MeetingLocks, rows, seed: int,
                         budget: Budget, paths: Paths) -> tuple[pd.DataFrame, str]:
    """LOCK: the group's rotation without the locks when it keeps them (a lock kept anyway changes nothing), else
    the rotation of the pairs the locks leave (`rows`: the group's rows of the district's pairs).

    The second rotation may use as long as the first took (at least MIN_CPSAT_SECONDS) past the group's deadline.
    """
    started = time.time()
    chosen, status = _rotate_group(meetings, pairs, seed, budget, paths)
    if locks.kept_by(chosen):
        return chosen, status
    now = time.time()
    again = Budget(max(budget.deadline, now + max(now - started, MIN_CPSAT_SECONDS)), stage_share=CPSAT_STAGE_SHARE)
    try:
        return _rotate_group(meetings, locks.restricted(pairs, rows), seed, again, paths)
    except Infeasible as error:
        raise locks.blamed(error) from None


def _rotate_group(meetings: pd.DataFrame, pairs: pd.DataFrame, seed: int, budget: Budget,
                  paths: Paths) -> tuple[pd.DataFrame, str]:
    """Rotate one group's meetings: the flow optimum, else the repaired flow, else CP-SAT.

    OPTIMAL when proven: the flow's optimum has no overlap, or its repair costs no more than the relaxation,
    or CP-SAT proves it. A CP-SAT answer not proven optimal is dropped for the repaired flow when there is one,
    so that the result never depends on how fast the machine was.
    """
    pairs = costed_pairs(pairs)
    if not paths.flow or meetings.s.nunique() > 1:
        return cpsat_rotation(meetings, pairs, seed, budget, 0, None, search=paths.cpsat)
    flow = flow_rotation(pairs)
    if flow.held is not None and not clashing_pairs(meetings, pairs, flow.held).size:
        return pairs[flow.held], "OPTIMAL"
    start = repaired_rotation(meetings, pairs, flow) if paths.repair else None
    if start is not None and int(pairs.cost.to_numpy()[start].sum()) == flow.cost:
        return pairs[start], "OPTIMAL"  # the relaxation's bound is met on every stage
    if start is not None and len(pairs) > CPSAT_MAX_PAIRS:
        return pairs[start], "FEASIBLE"  # the spread is proven least; the tie-break stages are not
    if start is None and paths.widened:  # a valid rotation to start CP-SAT from and to fall back on
        start = widened_repair(meetings, pairs, flow)
    if start is None and paths.greedy:
        start = greedy_rotation(meetings, pairs)
    return cpsat_rotation(meetings, pairs, seed, budget, flow.spread, start, search=paths.cpsat)


def rotation_figures(meetings: pd.DataFrame, pairs: pd.DataFrame, held: pd.DataFrame) -> dict:
    """Per school: meetings, eligible teachers, min/max/spread of meeting counts, meetings needing coverage."""
    eligible = pairs[["s", "t"]].drop_duplicates()
    counts = eligible.merge(held.groupby(["s", "t"]).size().rename("n").reset_index(), on=["s", "t"], how="left")
    counts["n"] = counts.n.fillna(0).astype("int64")
    per_school = counts.groupby("s").n.agg(["size", "min", "max"])
    covered = held.groupby("s").covered.sum()
    n_meetings = meetings.groupby("s").size()
    schools = sorted(meetings.school_id.unique())
    return {
        schools[s]: {"meetings": int(n_meetings[s]), "eligible_teachers": int(r["size"]), "min": int(r["min"]),
                     "max": int(r["max"]), "spread": int(r["max"] - r["min"]), "needing_coverage": int(covered[s])}
        for s, r in per_school.iterrows()
    }
