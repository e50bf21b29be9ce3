"""Work location and rooms, by seniority (A16, A19, A24, A25, A26): the solver side.

`assign_locations(district, contract, previous) -> LocationResult` places every teacher at a site and
room, or at home. Never imports ortools, and nothing in `vastaff.check` imports this package.
"""

from vastaff.people.location.api import LocationResult, assign_locations

__all__ = ["LocationResult", "assign_locations"]
