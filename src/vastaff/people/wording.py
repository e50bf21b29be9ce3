"""How the people parts (IEP meetings, caseloads) write grades, times and counts in their messages."""

from __future__ import annotations

from collections.abc import Iterable

from vastaff.schemas.fields import grade_name


def grades_phrase(grades: Iterable[int]) -> str:
    """'grade 9', 'grades 9–10', 'grades K–2, 5': consecutive grades as ranges."""
    runs: list[list[int]] = []
    for g in sorted({int(g) for g in grades}):
        if runs and g == runs[-1][-1] + 1:
            runs[-1].append(g)
        else:
            runs.append([g])
    text = ", ".join(grade_name(r[0]) if len(r) == 1 else f"{grade_name(r[0])}–{grade_name(r[-1])}" for r in runs)
    return f"grade{'s' if sum(map(len, runs)) > 1 else ''} {text}"


def hhmm(minutes: int) -> str:
    """Minutes after midnight as HH:MM."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def counted(n: int, noun: str) -> str:
    """'1 student', '3 students'."""
    return f"{n} {noun}{'s' if n != 1 else ''}"
