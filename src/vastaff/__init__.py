"""vastaff — staffing optimizer for the Virtual Academies (VA article of the teachers' contract).

The names below load their module when first used (PEP 562): `import vastaff.cli` then imports what the command line
needs under one pause of the garbage collector (vastaff.imports), not pandas and pydantic here before it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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


def __getattr__(name: str):
    """A name of `__all__` from its module (imported now, once: kept in this module's namespace); `__version__`, the
    installed release, else the repository's pyproject.toml version (`vastaff --version` says the same)."""
    if name == "__version__":
        from vastaff.release import version

        value = version()
    elif name in _HOME:
        value = getattr(importlib.import_module(f"vastaff.{_HOME[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
