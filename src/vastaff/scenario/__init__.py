"""Matrix-process what-if scenarios and proposal costing (`vastaff scenario run|compare`).

A scenario file patches the data (set, scale, add, drop) and/or changes the contract model; each scenario is
solved (and displaced when it changes positions) in its own process, and runs are compared side by side.
See vastaff.scenario.api for the five-line example, and docs/scenarios.md.
"""

from vastaff.scenario.api import *  # noqa: F401,F403
from vastaff.scenario.api import __all__  # noqa: F401
