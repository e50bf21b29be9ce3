"""Rule IDs and articles of the work-location rules (SPEC.md rule table), in one place.

These are labels of the contract text, not contract numbers: the numbers of these rules are data
(rooms, capacities, site statuses, region coordinates), none lives in the contract model.
"""

from __future__ import annotations

ARTICLES: dict[str, str] = {
    "A16": "16.0",  # RA work from home; `home` choosers stay home
    "A19": "19.0",  # rooms: one teacher per classroom, shared rooms with partitions, shortfalls
    "A24": "24.0",  # requests fill space in seniority order, incumbents never bumped
    "A25": "25.0",  # temporarily closed sites
    "A26": "26.0",  # closed sites: same region, else region nearest home
}

RA_HOME_ALLOWED = ("granted", "pending")
"""ra_status values under which working from home is allowed whatever else holds (A16)."""

OPEN, TEMPORARILY_CLOSED, CLOSED = "open", "temporarily_closed", "closed"
SITE, HOME, EITHER = "site", "home", "either"
