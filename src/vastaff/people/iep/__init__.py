"""A7.1 / A7.2 — IEP-meeting rotation (Article 7.0 A(1), A(2)), solved after tonight's sections are staffed.

Each IEP meeting goes to exactly one eligible general-education teacher (A7.1); a teacher never holds two
meetings that overlap (same date, intersecting [start, end); touching is fine) (A7.2). Per school, among the
teachers eligible for at least one of its meetings, the objective is lexicographic:

1. A7.1 spread: max − min of meeting counts;
2. A7.2 coverage: meetings that intersect the synchronous window and so need classroom coverage;
3. stability: meetings moved away from last night's teacher (`district.previous.iep_assignments`);
4. seniority tie-break (docs/contract.md, A7.1): the more senior teacher gets fewer meetings.

How it is solved, per group of schools (a school, unless an explicit `eligible_teacher_ids` list names one
teacher for meetings of several schools; such schools share one model):

- **Flow.** Without A7.2 the problem is a transportation problem: meetings -> teachers with every count in a
  window [lo, hi]. Flow feasibility gives the least spread; a min-cost flow with lexicographic integer costs
  (stages 2-4 in one number) picks the best assignment at that spread. This relaxation bounds every stage.
  If its assignment gives no teacher two overlapping meetings, it is optimal (the usual case in a big school:
  fewer meetings than teachers, so nobody holds two).
- **Repair.** Otherwise each clash is undone by the cheapest move or swap that keeps the counts in the window;
  if the repaired assignment costs what the relaxation costs, it is optimal on every stage.
- **CP-SAT** otherwise (or for a group of several schools): one Boolean per eligible pair, A7.2 as at-most-one
  per teacher and maximal set of overlapping meetings, the spread and then the costs, each fixed in turn.
- **Fallbacks.** When the repair fails in the flow's window, it is retried with the window widened (up to
  repair.WIDENINGS times), else a greedy rotation in time order, forced meetings first (A7.2 by construction); that rotation starts CP-SAT and
  is kept unless CP-SAT finds a smaller spread. A run ends without a rotation only if even the greedy one fails.
- **Locks.** The meeting locks of locks.csv (LOCK) narrow eligibility: `require` leaves the meeting to its locked
  teacher, who must be eligible; `forbid` removes the pair. A group whose rotation breaks a lock is rotated again,
  by the same paths, over the pairs the locks leave (so a lock the rotation keeps anyway changes nothing); the spread
  and the figures still count every teacher A7.1 makes eligible. Locks that cannot hold with A7.1/A7.2 raise
  Infeasible naming LOCK, the locks.csv rows and the contract rules.
- **Stop.** A stop of the run (the first Ctrl-C, vastaff.interrupt) ends every CP-SAT search that has a rotation to
  fall back on and skips the next ones: the group keeps its best rotation so far (FEASIBLE).

Determinism: IDs are sorted and coded once; the flow and the repair are deterministic; CP-SAT runs one worker
with a fixed `random_seed`, and an answer it does not prove optimal within the time limit is dropped for the
repaired flow (status FEASIBLE), so the same input, contract and seed give identical frames — except on the
fallback path, where a smaller spread found within the time limit is taken. Time: `time_limit` is split between
the groups as they start (vastaff.cpsat.budget); the first CP-SAT solve of a group may use half of its share.

With a meetings calendar in the data: a teacher in a scheduled meeting (meetings.csv, the audience of its request)
that overlaps an IEP meeting is not eligible for it (A4.3; a meeting this leaves to nobody raises Infeasible naming
A7.1 + A4.3 and the scheduled meetings), and on a ROA Friday of calendar.csv coverage is due only when a meeting meets
that day's short synchronous slot (3.0). `workday` counts the meetings the school set outside the on-site window or
on the PD/PLT slot (warnings, not rules).

Modules, in the order a group goes through them: `eligibility` (meetings, eligible pairs, coverage, weights, groups),
`explain` (what makes the rotation impossible, before solving), `locks` (the meeting locks, and why they cannot
hold), `flow` (the relaxation and its costs), `overlaps` (A7.2), `repair` (repairs and the greedy rotation), `cpsat`
(the model and its two solves), `rotation` (the API).
"""

from vastaff.people.iep.eligibility import meeting_times, rotation_pairs
from vastaff.people.iep.locks import MeetingLocks, meeting_locks
from vastaff.people.iep.rotation import IepResult, Paths, assign_iep_meetings, rotate

__all__ = ["IepResult", "MeetingLocks", "Paths", "assign_iep_meetings", "meeting_locks", "meeting_times", "rotate",
           "rotation_pairs"]
