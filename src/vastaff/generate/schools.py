"""The district's skeleton: regions, VA schools, their sizes and levels, and their rotation periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.common import ACADEMIC_PERIODS, ADVISORY_PERIOD, Context, largest_remainder

MIN_SCHOOL_TEACHERS = 20
REGIONS = [  # name, centre east/north of downtown in km
    ("North", -8.0, 30.0), ("East", 22.0, 4.0), ("West", -24.0, 6.0),
    ("South", 2.0, -22.0), ("Central", 0.0, 0.0), ("Harbor", -6.0, -42.0),
]
PLACES = [
    "Sylmar", "Boyle Heights", "Westchester", "San Pedro", "Van Nuys", "Eagle Rock", "Watts", "Venice",
    "Highland Park", "Encino", "Wilmington", "Pacoima", "Hollywood", "Koreatown", "Chatsworth",
    "Lincoln Heights", "Palms", "Tujunga", "Echo Park", "Reseda", "Northridge", "El Sereno", "Mar Vista",
    "Harbor City", "Sun Valley",
]
FULL = ("elementary", "middle", "high")
LEVEL_PATTERNS = [FULL, ("elementary", "middle"), ("middle", "high")]
PATTERN_WEIGHTS = [0.6, 0.2, 0.2]
LEVEL_SHARE = {"elementary": 0.40, "middle": 0.25, "high": 0.35}


def school_count(n_teachers: int) -> int:
    """About one school per 30-40 teachers in a small district, levelling off below 20 schools."""
    return max(1, round(n_teachers / (30 + n_teachers / 20)))


def region_count(n_schools: int) -> int:
    """One region more than schools (a region may host only welcome centers), 2 to 6 regions."""
    return int(np.clip(n_schools + 1, 2, len(REGIONS)))


def build_regions(ctx: Context, n_schools: int) -> pd.DataFrame:
    """regions.csv: named regions with centre coordinates, jittered by a couple of km."""
    n = region_count(n_schools)
    rng = ctx.rng.schools
    names, x, y = zip(*REGIONS[:n])
    return pd.DataFrame({
        "region_id": [f"R{i + 1}" for i in range(n)],
        "name": [f"Region {name}" for name in names],
        "x_km": np.round(np.array(x) + rng.uniform(-2, 2, n), 1),
        "y_km": np.round(np.array(y) + rng.uniform(-2, 2, n), 1),
    })


def school_sizes(ctx: Context, n_schools: int) -> np.ndarray:
    """Teachers per school: at least 20 each, the rest split by random weights."""
    weights = ctx.rng.schools.uniform(0.6, 1.4, n_schools)
    return MIN_SCHOOL_TEACHERS + largest_remainder(ctx.n_teachers - MIN_SCHOOL_TEACHERS * n_schools, weights)


def build_schools(ctx: Context, regions: pd.DataFrame) -> pd.DataFrame:
    """schools.csv plus `_teachers` (head count): the first two schools are TK-12, later ones vary."""
    rng = ctx.rng.schools
    n = school_count(ctx.n_teachers)
    sizes = school_sizes(ctx, n)
    patterns = rng.choice(len(LEVEL_PATTERNS), size=n, p=PATTERN_WEIGHTS)
    patterns[:2] = 0
    region_order = rng.permutation(regions.region_id.to_numpy())
    places = rng.permutation(len(PLACES))
    names = [PLACES[places[i % len(PLACES)]] + (f" {i // len(PLACES) + 1}" if i >= len(PLACES) else "")
             for i in range(n)]
    return pd.DataFrame({
        "school_id": [f"VA{i + 1:02d}" for i in range(n)],
        "name": [f"{name} Virtual Academy" for name in names],
        "region_id": region_order[np.arange(n) % len(region_order)],
        "levels": [";".join(LEVEL_PATTERNS[p]) for p in patterns],
        "_teachers": sizes,
    })


def level_headcounts(schools: pd.DataFrame) -> pd.DataFrame:
    """Teachers per school and level, split by LEVEL_SHARE over the levels the school offers."""
    rows = []
    for school_id, levels, size in zip(schools.school_id, schools.levels, schools._teachers):
        offered = levels.split(";")
        counts = largest_remainder(int(size), np.array([LEVEL_SHARE[lv] for lv in offered]))
        rows += [(school_id, lv, int(c)) for lv, c in zip(offered, counts)]
    return pd.DataFrame(rows, columns=["school_id", "level", "n"])


def build_periods(schools: pd.DataFrame) -> pd.DataFrame:
    """periods.csv: per school an advisory period (order 0) and academic periods P1..P6 (order 1..6)."""
    ids = [ADVISORY_PERIOD] + [f"P{i}" for i in range(1, ACADEMIC_PERIODS + 1)]
    kinds = ["advisory"] + ["academic"] * ACADEMIC_PERIODS
    n = len(ids)
    return pd.DataFrame({
        "school_id": np.repeat(schools.school_id.to_numpy(), n),
        "period_id": np.tile(ids, len(schools)),
        "kind": np.tile(kinds, len(schools)),
        "order": np.tile(np.arange(n), len(schools)),
    })
