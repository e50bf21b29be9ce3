"""Build one school's CP-SAT model: variables, then each rule family in order, then the objective stages."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.class_size import add_band_means, add_section_caps, multigrade_terms
from vastaff.cpsat.courses import add_course_limit, link_teaches
from vastaff.cpsat.demand import add_demand, vacancy_terms
from vastaff.cpsat.fairness import class_size_terms, forced_double_terms, load_spread_terms
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.homerooms import add_one_homeroom
from vastaff.cpsat.iep_cover import exact_meeting_terms, iep_cover_terms
from vastaff.cpsat.locks import add_locks
from vastaff.cpsat.matrix import add_level_moves, add_no_blocking_pairs, matrix_terms
from vastaff.cpsat.periods import add_period_capacity
from vastaff.cpsat.stability import continuity_terms, seniority_terms, stability_terms
from vastaff.cpsat.variables import SectionVars, create_vars
from vastaff.cpsat.xtime import xtime_terms
from vastaff.sections.problem import SchoolProblem


@dataclass
class SchoolModel:
    model: cp_model.CpModel
    vars: SectionVars
    stages: dict[str, list]   # stage name -> linear terms to minimise, in the model file's order
    groups: Groups
    lock_conflicts: list = field(default_factory=list)  # locks no model can hold (LOCK + CRED), as Findings
    a91: cp_model.IntVar | None = None  # with defer_a91: the literal A9.1's blocking-pair constraints depend on


def build_school_model(p: SchoolProblem, contract: ContractModel, *, strict: bool = False,
                       diagnose: bool = False, defer_a91: bool = False) -> SchoolModel:
    """The model of one school. `defer_a91`: A9.1's blocking-pair constraints hold only once the literal `a91` is
    set (by `cpsat.solver`, before the matrix stage); otherwise they hold from the start."""
    model = cp_model.CpModel()
    groups = Groups(model, diagnose)
    v = create_vars(model, p, contract, diagnose)
    add_demand(model, p, v, contract, groups, strict)                  # DEMAND, CRED
    add_one_homeroom(model, p, v, groups)                              # elementary homerooms
    add_period_capacity(model, p, v, contract, groups)                 # A6.1, A6.2
    link_teaches(model, v)
    stipends = add_course_limit(model, p, v, contract, groups)         # A6.3
    add_section_caps(model, p, v, groups)                              # A8.1 section_max, A8.2
    add_band_means(model, p, v, contract, groups)                      # A8.1 means
    lock_conflicts = add_locks(model, p, v, contract, groups)          # LOCK: courses, homerooms
    add_level_moves(model, p, v, contract, groups)                     # 9.0(1): into would-be vacancies
    a91 = model.new_bool_var("A9.1 blocking pairs") if defer_a91 and not diagnose else None
    add_no_blocking_pairs(model, p, v, groups, a91)                    # A9.1 elementary: no blocking pair
    stages = {}
    if not diagnose:
        terms = {
            "vacancies": (vacancy_terms(v) + iep_cover_terms(model, p, v)   # A7.1/A7.2 coupling first; DEMAND
                          + exact_meeting_terms(model, p, v)),
            "money": stipends + multigrade_terms(p, v, contract) + xtime_terms(model, p, v, contract),  # A6.3, A8.5, A12
            "stability": stability_terms(model, p, v, contract),
            "continuity": continuity_terms(model, p, v),
            "preferences": (class_size_terms(model, p, v, contract) + load_spread_terms(model, p, v, contract)
                            + forced_double_terms(model, p, v, contract)),
            "seniority": seniority_terms(model, p, v),
            "matrix": matrix_terms(model, p, v),                            # A9.1: choices by seniority
        }
        stages = {name: terms[name] for name in stage_order(contract, bool(terms["matrix"]))}
    return SchoolModel(model, v, stages, groups, lock_conflicts, a91)


def stage_order(contract: ContractModel, matrix: bool) -> list[str]:
    """The model file's stages, in its order, with `continuity` (stability's tie-break) right after `stability`; A9.1's
    `matrix` stage only when some teacher of the school ranked courses (an empty stage would cost a solve and decide
    nothing)."""
    order = [name for name in contract.objective.stages if name != "matrix" or matrix]
    return [name for stage in order for name in ((stage, "continuity") if stage == "stability" else (stage,))]
