"""The sweep file (`scenarios/sweeps/*.yaml`): a grid of contract terms and data patches, expanded into scenarios.

    name: sample-stipend-caseload
    description: What a stipend raise costs, with and without a lower caseload cap
    base: ../three-course-cap.yaml          # a scenario file (its data, model, overrides, patches, solve) or a data folder
    labels: {stipend_per_course: stipend, caseload_cap: caseload}   # optional: how a term reads in scenario names
    patches:                                # optional: named data patches; `$value` is where the swept value goes
      grade9: {kind: scale, table: demand, where: {grade: 9}, column: students, factor: $value}
    vary:                                   # the cartesian product, the first term varying slowest
      stipend_per_course: [1200, 1500, 2000]
      caseload_cap: [22, 24]
    # or, instead of vary, an explicit list:  scenarios: [{stipend_per_course: 1200, caseload_cap: 22}, ...]

A term is a named patch of `patches`, else a contract term as `model_overrides` spells it (a model key name or a
dotted path). Each combination is one scenario named `<label>-<value>_<label>-<value>` (`stipend-1200_caseload-22`;
an explicit combination may carry its own `name`), built as the base scenario with the grid's `model` and `solve`,
the terms' overrides added to its model_overrides and the terms' patches after its patches. Paths are relative to the
grid file's folder. Everything is checked before anything runs; every problem is one line naming the grid file and
its key (`vary.caseload_cap`), exit 2.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vastaff.contract import DEFAULT_MODEL
from vastaff.contract.yamlfile import key_problem
from vastaff.errors import InputError, InputProblem
from vastaff.scenario.load import LoadedScenario, load_scenario, read_yaml, scenario_from_dict
from vastaff.scenario.overrides import override_path
from vastaff.scenario.schema import NAME_EXPECTED, NAME_PATTERN, Cell, SolveBlock, expected_text, resolve

PLACEHOLDER = "$value"
"""In a named patch, the value that the swept value replaces (a whole value: `factor: $value`)."""
MAX_SCENARIOS = 500
"""A grid larger than this is a mistake more often than a plan (24 scenarios of the sample take minutes)."""
NAME = "name"
"""The key of an explicit combination that names its scenario (so no term can be called `name`)."""


class Grid(BaseModel):
    """A sweep file as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN, description="the sweep's name (its comparison's title)")
    description: str = Field(min_length=1, description="what is asked, for the negotiator")
    base: str = Field(min_length=1, description="a scenario file (.yaml), or a base data folder (or .xlsx)")
    model: str | None = Field(default=None, description="contract model YAML instead of the base's")
    solve: SolveBlock | None = Field(default=None, description="solve settings over the base's")
    labels: dict[str, Annotated[str, Field(pattern=NAME_PATTERN)]] = Field(default_factory=dict)
    patches: dict[Annotated[str, Field(pattern=NAME_PATTERN)], dict[str, Any]] = Field(default_factory=dict)
    vary: Annotated[dict[str, Annotated[list[Cell], Field(min_length=1)]], Field(min_length=1)] | None = None
    scenarios: Annotated[list[Annotated[dict[str, Cell], Field(min_length=1)]], Field(min_length=1)] | None = None


@dataclass(frozen=True)
class Point:
    """One scenario of the sweep: its name, the value of each term it sets (in the sweep's term order)."""

    name: str
    terms: dict[str, Cell]
    scenario: LoadedScenario


@dataclass(frozen=True)
class Sweep:
    """A checked sweep: its terms in order, each term's values in order, and its scenarios."""

    name: str
    description: str
    file: Path
    terms: list[str]
    values: dict[str, list[Cell]]
    points: list[Point]

    @property
    def scenarios(self) -> list[LoadedScenario]:
        return [p.scenario for p in self.points]


def load_sweep(path: str | Path) -> Sweep:
    """Read, check and expand a sweep file; InputError with every problem (file and key), nothing run."""
    path = Path(path)
    label = str(path)
    grid = validate_grid(read_yaml(path, "a sweep YAML file"), label)
    combos, problems = _combinations(grid, label)
    terms = _unique(t for combo in combos for t in combo if t != NAME)
    names = [combo.get(NAME) or scenario_name(grid, combo, terms) for combo in combos]
    problems += _name_problems(grid, names, [NAME not in combo for combo in combos], label)
    try:
        base_doc, model_file = _base(grid, path.parent, label)
    except InputError as exc:  # the terms are still checked against the model they would set, if it is known
        known = _model_without_base(grid, path.parent)
        raise InputError(problems + exc.problems + _term_problems(grid, terms, known, label)) from None
    problems += _term_problems(grid, terms, model_file, label)
    try:
        points = _points(grid, combos, names, terms, base_doc, path)
    except InputError as exc:  # said with the others: a name clash must not hide a value out of bounds
        said = {p.column for p in problems} | {"name"}  # the names: _combinations and _name_problems said them
        raise InputError(problems + [p for p in exc.problems if p.column not in said] or exc.problems) from None
    if problems:
        raise InputError(problems)
    return Sweep(grid.name, grid.description, path, terms,
                 {t: list(_unique(c[t] for c in combos if t in c)) for t in terms}, points)


def validate_grid(raw: object, label: str) -> Grid:
    if not isinstance(raw, dict):
        raise InputError([InputProblem(label, expected="a YAML mapping of sweep keys (name, description, base, vary, "
                                                       "...)")])
    try:
        return Grid.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_problem(label, err) for err in exc.errors()]) from None


def _problem(label: str, err: dict) -> InputProblem:
    loc = [str(p) for p in err["loc"] if p != "[key]"]
    return key_problem(label, loc, err, _known_keys,
                       lambda: expected_text(err["type"], err.get("ctx") or {}, err))


def _known_keys(loc: list[str]) -> list[str]:
    if not loc:
        return list(Grid.model_fields)
    return list(SolveBlock.model_fields) if loc == ["solve"] else []


def _base(grid: Grid, folder: Path, label: str) -> tuple[dict, Path]:
    """The base scenario as a document whose paths are relative to the grid's folder, and its contract model file."""
    base = resolve(folder, grid.base)
    model = resolve(folder, grid.model) if grid.model else None
    problems = []
    if model is not None and not model.is_file():
        problems.append(InputProblem(label, column="model", noun="key", value=grid.model,
                                     expected=f"a contract model YAML file, relative to the sweep file's folder "
                                              f"(not found: {os.path.abspath(model)})"))
    if base.is_file() and base.suffix.lower() in (".yaml", ".yml"):
        try:
            doc, base_model = _scenario_doc(load_scenario(base), folder)
        except InputError as exc:
            raise InputError(problems + exc.problems) from None
    elif base.is_dir() or (base.is_file() and base.suffix.lower() in (".xlsx", ".xlsm")):
        doc, base_model = {"data": _relative(base, folder)}, DEFAULT_MODEL
    else:
        problems.append(InputProblem(label, column="base", noun="key", value=grid.base,
                                     expected=f"a scenario YAML file, or a base data folder or .xlsx workbook, "
                                              f"relative to the sweep file's folder (not found: "
                                              f"{os.path.abspath(base)})"))
    if problems:
        raise InputError(problems)
    if model is not None:
        doc["model"], base_model = _relative(model, folder), model
    if grid.solve is not None:
        doc["solve"] = doc.get("solve", {}) | grid.solve.model_dump(include=grid.solve.model_fields_set)
    return doc, base_model


def _model_without_base(grid: Grid, folder: Path) -> Path | None:
    """The model a sweep's terms set when its base could not be read: the grid's own model if it is there, the
    default model when neither the grid nor a scenario base names one, else unknown (None)."""
    if grid.model:
        model = resolve(folder, grid.model)
        return model if model.is_file() else None
    return None if resolve(folder, grid.base).suffix.lower() in (".yaml", ".yml") else DEFAULT_MODEL


def _scenario_doc(sc: LoadedScenario, folder: Path) -> tuple[dict, Path]:
    """A loaded scenario as written, its paths made relative to `folder` (the grid's)."""
    doc = sc.scenario.model_dump(mode="json", exclude_defaults=True)
    doc["data"] = _relative(sc.data, folder)
    if sc.scenario.model:
        doc["model"] = _relative(sc.model, folder)
    if sc.previous is not None:
        doc["previous"] = _relative(sc.previous, folder)
    if sc.tables:
        doc["tables"] = {name: _relative(p, folder) for name, p in sc.tables.items()}
    return doc, sc.model


def _relative(path: Path, folder: Path) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(folder))


def _combinations(grid: Grid, label: str) -> tuple[list[dict[str, Cell]], list[InputProblem]]:
    """The combinations of term values: vary's cartesian product (first term slowest), or the explicit list."""
    if (grid.vary is None) == (grid.scenarios is None):
        return [], [InputProblem(label, column="vary", noun="key", expected="either vary (a mapping of term -> list "
                                 "of values: the cartesian product) or scenarios (a list of combinations), not both "
                                 "and not neither")]
    where = "vary" if grid.vary is not None else "scenarios"
    count = math.prod(len(values) for values in grid.vary.values()) if grid.vary is not None else len(grid.scenarios)
    if count > MAX_SCENARIOS:  # counted before any combination is made: a product of 20^10 never fits in memory
        return [], [InputProblem(label, column=where, noun="key", value=f"{count:,} scenarios",
                                 expected=f"at most {MAX_SCENARIOS} scenarios")]
    if grid.vary is not None:
        combos = [dict(zip(grid.vary, values)) for values in itertools.product(*grid.vary.values())]
        problems = [InputProblem(label, column=f"vary.{NAME}", noun="key",
                                 expected="a term (name is reserved: it names a combination of scenarios)")] \
            if NAME in grid.vary else []
    else:
        combos, problems = [dict(c) for c in grid.scenarios], []
        for i, combo in enumerate(combos):
            name = combo.get(NAME)
            if name is not None and not (isinstance(name, str) and re.fullmatch(NAME_PATTERN, name)):
                problems.append(InputProblem(label, column=f"scenarios.{i}.{NAME}", noun="key", value=str(name),
                                             expected=NAME_EXPECTED))
    return combos, problems


def _term_problems(grid: Grid, terms: list[str], model_file: Path | None, label: str) -> list[InputProblem]:
    """Each term names a patch of `patches` or a contract term of the model (not checked when the model is unknown:
    None); each patch holds $value and is swept; each label is a term's."""
    raw = yaml.safe_load(model_file.read_text(encoding="utf-8")) if model_file is not None else None
    where = "vary" if grid.vary is not None else "scenarios"
    problems = []
    for term in terms:
        if term in grid.patches or raw is None:
            continue
        try:
            override_path(raw, term)
        except KeyError as exc:
            problems.append(InputProblem(label, column=_term_key(grid, term), noun="key",
                                         expected=f"a patch named under patches, or {exc.args[0]}"))
    for name, patch in grid.patches.items():
        if not _holds_placeholder(patch):
            problems.append(InputProblem(label, column=f"patches.{name}", noun="key",
                                         expected=f"a patch with {PLACEHOLDER} where the swept value goes "
                                                  f"(e.g. factor: {PLACEHOLDER})"))
        if name not in terms:
            problems.append(InputProblem(label, column=f"patches.{name}", noun="key",
                                         expected=f"a patch that a term of {where} sweeps (unused)"))
    problems += [InputProblem(label, column=f"labels.{term}", noun="key",
                              expected=f"a term of {where}: {', '.join(terms)}") for term in grid.labels
                 if term not in terms]
    return problems


def _term_key(grid: Grid, term: str) -> str:
    """Where the grid file sets `term`: vary.<term>, or the first combination that does (scenarios.<i>.<term>)."""
    if grid.vary is not None:
        return f"vary.{term}"
    return next(f"scenarios.{i}.{term}" for i, combo in enumerate(grid.scenarios) if term in combo)


def _holds_placeholder(node: object) -> bool:
    if isinstance(node, dict):
        return any(_holds_placeholder(v) for v in node.values())
    if isinstance(node, list):
        return any(_holds_placeholder(v) for v in node)
    return node == PLACEHOLDER


def _with_value(node: object, value: Cell) -> object:
    """The patch with every `$value` replaced by `value`."""
    if isinstance(node, dict):
        return {k: _with_value(v, value) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_value(v, value) for v in node]
    return value if node == PLACEHOLDER else node


def _points(grid: Grid, combos: list[dict], names: list[str], terms: list[str], base_doc: dict,
            path: Path) -> list[Point]:
    """Each combination as a loaded scenario; the problems of all of them at once, as keys of the grid file."""
    label = str(path)
    problems: list[InputProblem] = []
    points = []
    for i, (name, combo) in enumerate(zip(names, combos)):
        values = {t: combo[t] for t in terms if t in combo}
        try:
            sc = scenario_from_dict(_scenario(grid, base_doc, name, values), base_dir=path.parent, label=label,
                                    file=path)
        except InputError as exc:
            problems += [_as_grid_key(p, grid, values, len(base_doc.get("patches", [])), i) for p in exc.problems]
            continue
        points.append(Point(name, values, sc))
    if problems:
        raise InputError(list(dict.fromkeys(problems)))
    return points


def _scenario(grid: Grid, base_doc: dict, name: str, values: dict[str, Cell]) -> dict:
    """The scenario document of one combination."""
    doc = dict(base_doc)
    doc["name"] = name
    doc["description"] = f"{grid.description} ({', '.join(f'{t}={shown(v)}' for t, v in values.items())})"
    overrides = {t: v for t, v in values.items() if t not in grid.patches}
    doc["model_overrides"] = base_doc.get("model_overrides", {}) | overrides
    patches = [_with_value(grid.patches[t], v) for t, v in values.items() if t in grid.patches]
    doc["patches"] = list(base_doc.get("patches", [])) + patches
    return doc


def _as_grid_key(problem: InputProblem, grid: Grid, values: dict, base_patches: int, i: int) -> InputProblem:
    """A problem of a generated scenario, located in the grid file: an override is the term of vary (or of the
    i-th combination), a swept patch is its entry of patches."""
    where = "vary" if grid.vary is not None else f"scenarios.{i}"
    column = problem.column or ""
    for term in values:
        if column == f"model_overrides.{term}" or column.startswith(f"model_overrides.{term}."):
            column = f"{where}.{term}" + column[len(f"model_overrides.{term}"):]
            break
    match = re.match(r"patches\.(\d+)(.*)", column)
    if match and int(match.group(1)) >= base_patches:
        swept = [t for t in values if t in grid.patches]
        column = f"patches.{swept[int(match.group(1)) - base_patches]}{match.group(2)}"
    return InputProblem(problem.file, problem.row, column or None, problem.value, problem.expected, problem.noun)


def scenario_name(grid: Grid, combo: dict[str, Cell], terms: list[str]) -> str:
    """`<label>-<value>` per term of the combination, joined by `_` (`stipend-1200_caseload-22`)."""
    return "_".join(f"{_name_part(grid.labels.get(t, t))}-{_name_part(shown(combo[t]))}" for t in terms if t in combo)


def _name_part(text: str) -> str:
    """`text` as part of a folder name; a negative number keeps its sign as 'minus' (-1 and 1 are two names)."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", re.sub(r"^-(?=\d)", "minus", text)).strip("-.") or "blank"


def shown(value: Cell) -> str:
    """A value as a name and a description show it: true/false, none, 1200, 1.5."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _name_problems(grid: Grid, names: list[str], generated: list[bool], label: str) -> list[InputProblem]:
    """Two scenarios of one name, and a generated name that cannot name a folder (an explicit one is checked with
    its combination)."""
    where = "vary" if grid.vary is not None else "scenarios"
    twice = [n for n in _unique(names) if names.count(n) > 1]
    bad = [n for n, made in zip(names, generated) if made and not re.fullmatch(NAME_PATTERN, n)]
    problems = [InputProblem(label, column=where, noun="key", value=n,
                             expected="values that give each scenario its own name (two scenarios are called this; "
                                      "give the terms distinct values or labels)") for n in twice]
    return problems + [InputProblem(label, column=where, noun="key", value=n, expected="a scenario name of letters, "
                                    "digits, '.', '_' or '-' (set labels for the terms)") for n in bad]


def _unique(items) -> list:
    return list(dict.fromkeys(items))
