"""A26 (26.0) and the places by distance: km between regions and the region A26 gives a closed site's teacher.

One reading for every check that asks it (docs/contract.md, A26): a closed site's teacher placed at a site they did not
request (a requested one is their A25 choice) works in the region of that site while it has a free place, else in the
region with a free place nearest their home region (ties allow every tied region). check/closures.py reports a plan
that breaks it; check/site_locks.py leaves the sites outside that region out of the sites a teacher may be given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.check.core import CheckContext, cached

EPS_KM = 1e-9


@cached
def region_distances(ctx: CheckContext) -> pd.DataFrame:
    """Euclidean km between region centres (x_km, y_km), regions on both axes."""
    r = ctx.district.regions.set_index("region_id")
    xy = r[["x_km", "y_km"]].to_numpy(dtype=float)
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return pd.DataFrame(d, index=r.index, columns=r.index)


def nearest_km(dist: pd.DataFrame, homes: pd.Series, regions: set) -> pd.Series:
    """Per teacher: distance from home region to the nearest region of `regions` (inf when none)."""
    cols = [r for r in dist.columns if r in regions]
    if not cols:
        return pd.Series(np.inf, index=homes.index)
    best = dist[cols].min(axis=1)
    return homes.map(best).astype(float).fillna(np.inf)


def km_between(dist: pd.DataFrame, frm: pd.Series, to: pd.Series) -> pd.Series:
    stacked = dist.stack()
    keys = pd.MultiIndex.from_arrays([frm.astype(object), to.astype(object)])
    return pd.Series(stacked.reindex(keys).to_numpy(dtype=float), index=frm.index)


def outside_a26(dist: pd.DataFrame, home: pd.Series, closed_region: pd.Series, to_region: pd.Series,
                free: set) -> pd.Series:
    """A26 per row: a closed site's teacher (`home`: their home region; `closed_region`: the closed site's) placed in
    `to_region`, at a site they did not request, is outside the region A26 gives them — another region while the
    closed site's region has a free place (`free`: regions with one, after the plan), or one farther from home than the
    nearest region with a free place. A region at an unknown distance is not called farther."""
    other = (to_region.astype(object) != closed_region.astype(object)).to_numpy(dtype=bool)
    own_free = closed_region.isin(free).to_numpy(dtype=bool)
    farther = (nearest_km(dist, home, free) < km_between(dist, home, to_region) - EPS_KM).to_numpy(dtype=bool)
    return pd.Series(other & (own_free | farther), index=to_region.index, dtype=bool)
