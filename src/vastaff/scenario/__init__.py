"""Matrix-process what-if scenarios and proposal costing (`vastaff scenario run|compare|sweep`).

A scenario file patches the data (set, scale, add, drop) and/or changes the contract model; each scenario is
solved (and displaced when it changes positions) as a job of vastaff.executor (a local process, or a Dask cluster's
worker), and runs are compared side by side; a sweep expands a grid of terms into scenarios (scenario/sweep.py).
See vastaff.scenario.api for the five-line example, and docs/scenarios.md.
"""

from vastaff.scenario.api import *  # noqa: F401,F403
from vastaff.scenario.api import __all__  # noqa: F401
