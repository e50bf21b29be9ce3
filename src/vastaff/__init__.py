"""vastaff — staffing optimizer for the Virtual Academies (VA article of the teachers' contract)."""

from vastaff.contract import ContractModel, load_contract
from vastaff.schemas.district import District, Plan
from vastaff.errors import InputError, InputProblem
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan
from vastaff.release import version as _version

__all__ = [
    "ContractModel", "District", "InputError", "InputProblem", "Plan",
    "load_contract", "load_district", "load_plan", "write_plan",
]
__version__ = _version()
"""The installed release, else the repository's pyproject.toml version (`vastaff --version` says the same)."""
