"""A10 — Article 10.0: each school, level and department keeps its most senior teachers up to `positions`."""

from __future__ import annotations

import pandas as pd

from vastaff.displace.seniority import GROUP


def retain(ranked: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """A10 (10.0): `retained` is true for the `positions` most senior teachers of each school, level, department."""
    out = ranked.merge(groups[GROUP + ["positions"]], on=GROUP, how="left", validate="many_to_one")
    return out.assign(retained=out["seniority_rank"] <= out["positions"]).drop(columns="positions")


def cut_lines(ranked: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """A10 (10.0): per school, level and department, retained count, vacancies and the least senior retained teacher.

    `vacancies` = positions - retained, where positions exceed the teachers retained (only possible where
    positions.csv lists more positions than the head count).
    """
    kept = ranked[ranked["retained"]]
    last = kept.loc[kept.groupby(GROUP)["seniority_rank"].idxmax(), GROUP + ["teacher_id", "seniority_rank"] + [
        "seniority_date", "seniority_tiebreak"]]
    last = last.rename(columns={"teacher_id": "cut_line_teacher_id", "seniority_rank": "cut_line_rank",
                                "seniority_date": "cut_line_seniority_date",
                                "seniority_tiebreak": "cut_line_tiebreak"})
    counts = kept.groupby(GROUP).size().rename("retained").reset_index()
    out = groups.merge(counts, on=GROUP, how="left").merge(last, on=GROUP, how="left")
    out["retained"] = out["retained"].fillna(0).astype("int64")
    out["surplus"] = out["teachers"] - out["retained"]
    out["vacancies"] = (out["positions"] - out["retained"]).clip(lower=0)
    return out
