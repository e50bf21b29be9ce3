"""Vocabulary of the work-location rules (A16, A19, A24, A25, A26): site statuses, work-location choices, RA states.

Their IDs and articles live in the one registry, `vastaff.rules`. These are labels of the data, not contract
numbers: the numbers of these rules are data too (rooms, capacities, site statuses, region coordinates).
"""

from __future__ import annotations

RA_HOME_ALLOWED = ("granted", "pending")
"""ra_status values under which working from home is allowed whatever else holds (A16)."""

OPEN, TEMPORARILY_CLOSED, CLOSED = "open", "temporarily_closed", "closed"
SITE, HOME, EITHER = "site", "home", "either"
