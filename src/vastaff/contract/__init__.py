"""The contract model file (`models/*.yaml`), typed: every number of the article with its article, none in code.

The model files are package data (`vastaff/models/`, so an installed wheel has them); the repository's top-level
`models/` is a link to `src/vastaff/models/`, the one copy people edit.
"""

from vastaff.contract.model import DEFAULT_MODEL, ContractModel, contract_from_dict, load_contract

__all__ = ["DEFAULT_MODEL", "ContractModel", "contract_from_dict", "load_contract"]
