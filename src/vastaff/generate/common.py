"""Small vectorised helpers shared by the generator's modules."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel

MIN_TEACHERS, MAX_TEACHERS = 20, 20000
ACADEMIC_PERIODS = 6          # P1..P6 per school (an A/B rotation of 3 a day, Article 4.0 B(3))
ADVISORY_PERIOD = "ADV"


@dataclass(frozen=True)
class Streams:
    """One independent random stream per generation stage, all from one seed: a change in one stage
    does not reshuffle the others."""

    schools: np.random.Generator
    staff: np.random.Generator
    load: np.random.Generator
    sites: np.random.Generator
    special_ed: np.random.Generator
    positions: np.random.Generator
    matrix: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int) -> "Streams":
        # spawn(n) begins with the children of spawn(n - 1): a stream added last leaves the others as they were
        children = np.random.default_rng(seed).spawn(7)
        return cls(*children)


@dataclass(frozen=True)
class Context:
    """What every stage reads: the teacher count, the contract model and the random streams."""

    n_teachers: int
    contract: ContractModel
    rng: Streams


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (Hamilton's method; ties to the lower index)."""
    weights = np.asarray(weights, dtype=float)
    exact = total * weights / weights.sum()
    base = np.floor(exact).astype(int)
    short = total - int(base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


def pick_member(groups: pd.DataFrame, group_cols: list[str], member_col: str,
                items: pd.DataFrame, u: np.ndarray) -> np.ndarray:
    """For each row of `items`, one member of its group in `groups`, chosen by the uniform draw `u`.

    Rows of `items` whose group has no member get None.
    """
    members = groups.sort_values(group_cols + [member_col], kind="stable").reset_index(drop=True)
    bounds = members.groupby(group_cols, sort=False).size().rename("_n").reset_index()
    bounds["_start"] = bounds["_n"].cumsum() - bounds["_n"]
    joined = items[group_cols].merge(bounds, on=group_cols, how="left")
    out = np.full(len(items), None, dtype=object)
    has = joined["_n"].notna().to_numpy()
    start = joined["_start"].to_numpy()[has].astype(int)
    n = joined["_n"].to_numpy()[has].astype(int)
    out[has] = members[member_col].to_numpy()[start + np.minimum((u[has] * n).astype(int), n - 1)]
    return out


def rank_within(keys: pd.Series | np.ndarray, order: np.ndarray) -> np.ndarray:
    """0-based rank of each row within its group `keys`, ordered by `order` (ties by position)."""
    frame = pd.DataFrame({"k": np.asarray(keys), "o": order, "i": np.arange(len(order))})
    frame = frame.sort_values(["k", "o", "i"], kind="stable")
    ranks = np.empty(len(frame), dtype=int)
    ranks[frame["i"].to_numpy()] = frame.groupby("k", sort=False).cumcount().to_numpy()
    return ranks


def join_ranked(keys: np.ndarray, values: np.ndarray, ranks: np.ndarray) -> pd.Series:
    """Per key, its values in rank order joined with ';' (the documented list cells); ranks run 0, 1, ... per key.

    Column-wise string concatenation: lists are short, keys are many.
    """
    if len(keys) == 0:
        return pd.Series(dtype=object)
    wide = pd.DataFrame({"k": keys, "r": ranks, "v": values}).pivot(index="k", columns="r", values="v")
    out = wide[0]
    for col in wide.columns[1:]:
        out = out.where(wide[col].isna(), out + ";" + wide[col])
    return out
