"""A7.2 overlaps: meetings on the same day whose [start, end) intersect (touching meetings do not overlap)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def overlap_cliques(meetings: pd.DataFrame, key: str = "meeting_id") -> list[list]:
    """A7.2: maximal cliques of overlapping meetings (same day, intersecting [start, end)), two or more each."""
    cliques: list[list] = []
    for _, day in meetings.groupby("day", sort=True):
        # At equal times ends come first: touching meetings do not overlap.
        events = sorted([(e, 0, m) for m, e in zip(day[key], day.end_min)]
                        + [(s, 1, m) for m, s in zip(day[key], day.start_min)])
        active: list = []
        grew = False
        for _, is_start, m in events:
            if is_start:
                active.append(m)
                grew = True
                continue
            if grew and len(active) > 1:
                cliques.append(sorted(active))
            grew = False
            active.remove(m)
    return cliques


def overlap_chains(meetings: pd.DataFrame, key: str = "meeting_id") -> list[list]:
    """A7.2: per day, runs of meetings linked by overlaps (each chain can be checked on its own)."""
    chains: list[list] = []
    for _, day in meetings.sort_values(["day", "start_min", key], kind="stable").groupby("day", sort=True):
        current: list = []
        reach = -1
        for m, s, e in zip(day[key], day.start_min, day.end_min):
            if current and s >= reach:
                chains.append(current)
                current = []
            current.append(m)
            reach = max(reach, e) if len(current) > 1 else e
        chains.append(current)
    return [sorted(c) for c in chains if len(c) > 1]


def clashing_pairs(meetings: pd.DataFrame, pairs: pd.DataFrame, held: np.ndarray) -> np.ndarray:
    """A7.2: held pairs whose teacher already holds an earlier meeting that overlaps (indices into pairs), by teacher,
    day, start and meeting. Over plain rows: the rotation and its repair ask once per group and per repair, and the
    pandas version was a third of the rotation of a 1,000-teacher district."""
    h = pairs.loc[held, ["m", "t"]]
    times = dict(zip(meetings["m"].tolist(), zip(meetings["day"].tolist(), meetings["start_min"].tolist(),
                                                 meetings["end_min"].tolist())))
    days: dict[tuple, list[tuple]] = {}
    for label, m, t in zip(h.index.tolist(), h["m"].tolist(), h["t"].tolist()):
        day, start, end = times[m]
        days.setdefault((t, day), []).append((start, m, end, label))
    late = []
    for key in sorted(days):
        reach = None  # the latest end of the teacher's meetings that day so far
        for start, _, end, label in sorted(days[key]):
            if reach is not None and start < reach:
                late.append(label)
            reach = end if reach is None else max(reach, end)
    return np.array(late, dtype=np.int64)
