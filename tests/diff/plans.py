"""Two small hand-made plans, Monday and Tuesday, and the changes between them computed by hand.

Tuesday renumbers every section (A-0x -> B-1x). Against Monday:
- T1 keeps ALG1 in P2 and GEO in P4 (renumbered: no change) and gains a second ALG1 section in P5: `courses` only;
  the stipend for it is T1's `cost` change ($0 -> $1,200).
- T2 keeps BIO and CHEM, CHEM moves P3 -> P6: `periods`; T2 moves from S1/R2 to S2/R5: `site`, `room`; T2 gains
  IEP meeting M2 (which T3 loses): `iep` for both.
- T3 (homeroom, works at home) changes nothing but the IEP meeting.
- T4 (resource specialist, no sections) carries ST1, ST2, ST3 then ST1, ST3, ST10: `caseload`.
- T5 is only in Monday's plan, T6 only in Tuesday's (ENG moves from T5 to T6): blank on the side they are missing.
- The vacancy (ALG1 in P5 without a teacher) is nobody's change.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vastaff.io.plan import write_plan

SECTION_COLUMNS = ["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id", "enrollment"]


def _sections(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([(sid, "VA1", c, s, p, t, 20) for sid, c, s, p, t in rows], columns=SECTION_COLUMNS)


def _teachers(rows: list[tuple]) -> pd.DataFrame:
    """(teacher, work_location, site, room, stipend_cost) -> teachers.csv rows (other figures 0)."""
    return pd.DataFrame([{"teacher_id": t, "courses_s1": 0, "courses_s2": 0, "stipend_courses": 0,
                          "stipend_cost": stipend, "multigrade_sections": 0, "multigrade_cost": 0.0,
                          "xtime_hours": 0.0, "xtime_cost": 0.0, "work_location": where, "site_id": site,
                          "room_id": room} for t, where, site, room, stipend in rows])


def monday() -> dict[str, pd.DataFrame]:
    return {
        "sections": _sections([
            ("A-01", "ALG1", "1", "P2", "T1"), ("A-02", "GEO", "1", "P4", "T1"),
            ("A-03", "BIO", "year", "P1", "T2"), ("A-04", "CHEM", "2", "P3", "T2"),
            ("A-05", "HR", "year", "homeroom", "T3"), ("A-06", "ENG", "1", "P1", "T5"),
            ("A-07", "ALG1", "1", "P5", None),
        ]),
        "teachers": _teachers([("T1", "site", "S1", "R1", 0.0), ("T2", "site", "S1", "R2", 0.0),
                               ("T3", "home", None, None, 0.0), ("T4", "site", "S2", "R9", 0.0),
                               ("T5", "site", "S1", "R3", 0.0)]),
        "iep_assignments": pd.DataFrame({"meeting_id": ["M1", "M2", "M3"], "teacher_id": ["T3", "T3", "T2"],
                                         "needs_coverage": [False, True, False]}),
        "caseloads": pd.DataFrame({"student_id": ["ST1", "ST2", "ST3"], "teacher_id": ["T4"] * 3}),
    }


def tuesday() -> dict[str, pd.DataFrame]:
    return {
        "sections": _sections([
            ("B-10", "ALG1", "1", "P2", "T1"), ("B-11", "GEO", "1", "P4", "T1"), ("B-12", "ALG1", "1", "P5", "T1"),
            ("B-13", "BIO", "year", "P1", "T2"), ("B-14", "CHEM", "2", "P6", "T2"),
            ("B-15", "HR", "year", "homeroom", "T3"), ("B-16", "ENG", "1", "P1", "T6"),
        ]),
        "teachers": _teachers([("T1", "site", "S1", "R1", 1200.0), ("T2", "site", "S2", "R5", 0.0),
                               ("T3", "home", None, None, 0.0), ("T4", "site", "S2", "R9", 0.0),
                               ("T6", "home", None, None, 0.0)]),
        "iep_assignments": pd.DataFrame({"meeting_id": ["M1", "M2", "M3"], "teacher_id": ["T3", "T2", "T2"],
                                         "needs_coverage": [False, True, False]}),
        "caseloads": pd.DataFrame({"student_id": ["ST1", "ST3", "ST10"], "teacher_id": ["T4"] * 3}),
    }


EXPECTED = [  # teacher_id, what, before, after — by hand, from the story above
    ["T1", "courses", "ALG1 x1; GEO x1", "ALG1 x2; GEO x1"],
    ["T2", "periods", "BIO year P1; CHEM S2 P3", "BIO year P1; CHEM S2 P6"],
    ["T2", "site", "S1", "S2"],
    ["T2", "room", "R2", "R5"],
    ["T2", "iep", "M3", "M2; M3"],
    ["T3", "iep", "M1; M2", "M1"],
    ["T4", "caseload", "ST1; ST2; ST3", "ST1; ST3; ST10"],
    ["T5", "courses", "ENG x1", ""],
    ["T5", "site", "S1", ""],
    ["T5", "room", "R3", ""],
    ["T6", "courses", "", "ENG x1"],
    ["T6", "site", "", "home"],
]
NO_COST = "0.00 (stipend 0.00, multigrade 0.00, xtime 0.00)"
COST_ROWS = {  # `cost`, for vastaff diff: T1's stipend (T5, gone, and T6, new, cost nothing: no money moved)
    "T1": ["T1", "cost", NO_COST, "1200.00 (stipend 1200.00, multigrade 0.00, xtime 0.00)"],
}


def with_costs() -> list[list[str]]:
    """EXPECTED with the cost rows, each after its teacher's other rows (cost is last in WHAT_ORDER)."""
    out = []
    for i, row in enumerate(EXPECTED):
        out.append(row)
        last = i + 1 == len(EXPECTED) or EXPECTED[i + 1][0] != row[0]
        if last and row[0] in COST_ROWS:
            out.append(COST_ROWS[row[0]])
    return out


def write(folder: Path, tables: dict[str, pd.DataFrame], run: dict | None = None) -> Path:
    return write_plan(folder, tables, run or {"status": "OPTIMAL"})
