"""The contract model file (`models/*.yaml`), typed: every number of the article with its article, none in code."""

from vastaff.contract.model import DEFAULT_MODEL, ContractModel, contract_from_dict, load_contract

__all__ = ["DEFAULT_MODEL", "ContractModel", "contract_from_dict", "load_contract"]
