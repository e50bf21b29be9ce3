"""vastaff — staffing optimizer for the Virtual Academies (VA article of the teachers' contract).

The names below load their module when first used (PEP 562): `import vastaff.cli` then imports what the command line
needs under one pause of the garbage collector (vastaff.imports), not pandas and pydantic here before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vastaff.imports import names_of_modules

_HOME = {
    "ContractModel": "contract", "load_contract": "contract", "District": "schemas.district",
    "Plan": "schemas.district", "InputError": "errors", "InputProblem": "errors", "load_district": "io.district",
    "load_plan": "io.plan", "write_plan": "io.plan",
}
__all__ = [
    "ContractModel", "District", "InputError", "InputProblem", "Plan",
    "load_contract", "load_district", "load_plan", "write_plan",
]

if TYPE_CHECKING:
    from vastaff.contract import ContractModel, load_contract
    from vastaff.errors import InputError, InputProblem
    from vastaff.io.district import load_district
    from vastaff.io.plan import load_plan, write_plan
    from vastaff.schemas.district import District, Plan


def _version() -> str:
    """`__version__`: the installed release, else the repository's pyproject.toml version (`vastaff --version` says
    the same)."""
    from vastaff.release import version

    return version()


__getattr__ = names_of_modules(__name__, _HOME, globals(), {"__version__": _version})
