"""A11 (11.0): the priority site a displaced teacher reports to, as docs/contract.md reads it — an open site with
`priority_site = true`; with several, the one in the region of the teacher's school, else the one nearest the
teacher's home region (km between region centres), remaining ties to the lowest site_id.

Written from that reading, apart from the displacement's own choice (displace/report_site.py): an audit moved a
displaced teacher to another of several priority sites and the checker, which accepted any of them, said nothing.
"""

from __future__ import annotations

import math

import pandas as pd

from vastaff.check.core import CheckContext, cached
from vastaff.check.regions import region_distances

TIE_KM = 1e-6
"""Distances this close are a tie (two regions equally far from home, whatever the floating point says)."""


@cached
def open_priority_sites(ctx: CheckContext) -> pd.DataFrame:
    """site_id, region_id of the open sites with priority_site = true, by site_id."""
    sites = ctx.district.sites
    return sites.loc[sites["priority_site"] & (sites["status"] == "open"), ["site_id", "region_id"]].sort_values(
        "site_id")


def reporting_site(ctx: CheckContext, school_id: str, home_region_id: str) -> tuple[str, str]:
    """(site_id, why) for a teacher of `school_id` living in `home_region_id`; why is '' with one priority site."""
    sites = open_priority_sites(ctx)
    if len(sites) == 1:
        return str(sites.site_id.iloc[0]), ""
    region = _school_regions(ctx).get(school_id)
    local = sites[sites.region_id == region]
    if len(local):
        return str(local.site_id.iloc[0]), f"in the school's region {region}" + _lowest(len(local))
    dist = region_distances(ctx)
    km = [float(dist.at[home_region_id, r]) if home_region_id in dist.index and r in dist.columns else math.inf
          for r in sites.region_id]
    nearest = [s for s, k in zip(sites.site_id, km) if k - min(km) <= TIE_KM]
    return str(nearest[0]), f"nearest the home region {home_region_id}, {min(km):.1f} km" + _lowest(len(nearest))


@cached
def _school_regions(ctx: CheckContext) -> dict[str, str]:
    return dict(zip(ctx.district.schools.school_id, ctx.district.schools.region_id))


def _lowest(tied: int) -> str:
    return f"; the lowest site_id of {tied}" if tied > 1 else ""
