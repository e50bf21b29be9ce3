"""positions.csv (A10, A10.1, A11): mostly the head count; a few levels cut so a displacement run has work,
and a vacancy one level down at some of those schools so A10.1 moves are possible."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.common import Context

LEVEL_BELOW = {"high": "middle", "middle": "elementary"}
CUT_SHARE = 0.35          # schools whose secondary general staff is cut
CUT_RANGE = (1, 3)        # positions cut
VACANCY_SHARE = 0.6       # of cut schools, those with a vacancy one level down
MIN_CUT_HEADCOUNT = 4


def build_positions(ctx: Context, teachers: pd.DataFrame) -> pd.DataFrame:
    """One row per school, level and department; positions = head count except the cuts and vacancies."""
    rng = ctx.rng.positions
    pos = teachers.groupby(["school_id", "level", "department"], sort=True).size().rename("positions").reset_index()
    cuttable = pos[pos.department.eq("general") & pos.level.isin(list(LEVEL_BELOW))
                   & (pos.positions >= MIN_CUT_HEADCOUNT)]
    # per school, the highest secondary level offered is the one cut
    target = cuttable.sort_values(["school_id", "level"], kind="stable").groupby("school_id").head(1)
    cut = target[rng.random(len(target)) < CUT_SHARE]
    if cut.empty and not target.empty:
        cut = target.head(1)
    amount = np.minimum(rng.integers(CUT_RANGE[0], CUT_RANGE[1] + 1, len(cut)), cut.positions.to_numpy() - 1)
    pos.loc[cut.index, "positions"] -= amount
    with_vacancy = cut[rng.random(len(cut)) < VACANCY_SHARE]
    if with_vacancy.empty and not cut.empty:
        with_vacancy = cut.head(1)
    below = with_vacancy.assign(level=with_vacancy.level.map(LEVEL_BELOW))[["school_id", "level", "department"]]
    hit = pos.reset_index().merge(below, on=["school_id", "level", "department"])["index"].to_numpy()
    pos.loc[hit, "positions"] += rng.integers(1, 3, len(hit))
    return pos
