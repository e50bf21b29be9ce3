"""Explanation lines as one table: teacher_id, topic, rules, message, rows — built column-wise for every teacher.

A line becomes a `vastaff.rules.Finding` (one teacher) or the text `A6.1 (6.0 A(1)): message` (every teacher, for
report.html); topics fix the order in which a teacher's lines are read.
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import pandas as pd

from vastaff.rules import RULES

TOPICS = ("sections", "periods", "courses", "class_size", "credential", "no_sections", "location", "iep", "caseload",
          "costs", "locks", "matrix")
"""The order of a teacher's lines: what they teach and what bounds it, then where they work, then the rest."""
COLUMNS = ["teacher_id", "topic", "rules", "message", "rows"]
SHOWN = 5
"""At most this many IDs are named in one list of a message; the rest are counted."""


def lines(topic: str, teacher_id, rules, message, rows: Iterable | None = None) -> pd.DataFrame:
    """A frame of lines of one topic. `rules`: one rule ID for every line, or one per line (an ID or a tuple of IDs);
    `rows`: per line a tuple of (file, key) rows (see `row_refs`)."""
    tid = np.asarray(teacher_id, dtype=object)
    if isinstance(rules, str):
        rules = [(rules,)] * len(tid)
    else:
        rules = [(r,) if isinstance(r, str) else tuple(r) for r in rules]
    rows = [()] * len(tid) if rows is None else list(rows)
    return pd.DataFrame({"teacher_id": tid, "topic": TOPICS.index(topic), "rules": rules,
                         "message": np.asarray(message, dtype=object), "rows": rows}, columns=COLUMNS)


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The frames one after the other (empty ones left out: they carry no dtype worth keeping)."""
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty()


def row_refs(*columns: tuple[str, Iterable]) -> list[tuple[tuple[str, str], ...]]:
    """Per line, one row (file, key) per column: `row_refs(("sections.csv", ids), ("courses.csv", cids))`. Plain
    pairs, not RowRefs: `Finding` makes RowRefs of them, and only for the teacher explained."""
    files = [f for f, _ in columns]
    return [tuple(zip(files, keys)) for keys in cols(*(k for _, k in columns))]


def id_list(items: Iterable, limit: int = SHOWN, show: Callable[[object], str] = str) -> str:
    """'A, B, C' or 'A, B, C, D, E and 7 more' — only the items shown are formatted (by `show`)."""
    items = list(items)
    head = ", ".join(show(i) for i in items[:limit])
    return head if len(items) <= limit else f"{head} and {len(items) - limit} more"


def cols(*columns: Iterable) -> Iterable[tuple]:
    """zip over columns, a Series read as a list first (iterating a pandas string array costs a call per cell)."""
    return zip(*(c.tolist() if isinstance(c, (pd.Series, pd.Index)) else c for c in columns))


def grouped(keys: Iterable, values: Iterable) -> dict:
    """key -> its values in order (a plain loop: far cheaper than a pandas groupby with a Python function)."""
    out: dict = {}
    for k, v in cols(keys, values):
        out.setdefault(k, []).append(v)
    return out


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 section', '3 sections' ('2 vacancies' with `many`)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def semesters(terms: Iterable[int]) -> str:
    """'semester 1' or 'semesters 1 and 2'."""
    terms = sorted(set(int(t) for t in terms))
    return ("semester " if len(terms) == 1 else "semesters ") + " and ".join(map(str, terms))


def by_semesters(frame: pd.DataFrame, body: str) -> pd.DataFrame:
    """One row per teacher and text of `body`, the semesters it holds in merged: 'semesters 1 and 2: ...'."""
    if frame.empty:
        return frame.assign(message=pd.Series(dtype=object))
    g = frame.groupby(["teacher_id", body], sort=False)
    merged = g.term.agg(["min", "max"]).reset_index()
    rest = g.head(1).drop(columns=["term"])
    out = rest.merge(merged, on=["teacher_id", body])
    when = np.where(out["min"] == out["max"], "semester " + out["min"].astype(str),
                    "semesters " + out["min"].astype(str) + " and " + out["max"].astype(str))
    return out.assign(message=when + ": " + out[body])


def line_texts(frame: pd.DataFrame) -> list[str]:
    """Each line as people read it: 'A6.1 + A6.2 (6.0 A(1); 6.0 A(2)): message'."""
    rules = frame.rules.tolist()
    heads = {r: f"{' + '.join(r)} ({'; '.join(dict.fromkeys(RULES[x].article for x in r))})" for r in set(rules)}
    return [f"{heads[r]}: {m}" for r, m in zip(rules, frame.message.tolist())]
