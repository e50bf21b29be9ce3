"""Seniority displacement simulation (`vastaff displace`): A10 retention, A10.1 moves down, A11 reporting site.

    from vastaff.displace import displace, run_record
    result = displace(district, contract, cuts=["VA1:high:2"])
    result.frame        # displacement.csv
    result.cut_lines    # least senior retained teacher per school, level and department
    run_record(result, district, contract)   # run.json's DisplacementRun (io.plan.write_plan writes it)
"""

from vastaff.displace.api import DisplacementResult, displace, run_record
from vastaff.displace.cuts import Cut, parse_cut
from vastaff.schemas.run import DisplacementRun

__all__ = ["Cut", "DisplacementResult", "DisplacementRun", "displace", "parse_cut", "run_record"]
