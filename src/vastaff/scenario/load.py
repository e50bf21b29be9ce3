"""`load_scenario(path)`: read and validate a scenario file, resolve its paths and build its contract model.

Everything that can be known without running is checked here, and every problem is reported at once
(`vastaff scenario run` exits 2): YAML, keys, patch kinds, tables, columns, where-values and the values `set` and
`add` write, the base data folder, the model file and its overrides. What depends on the data (a patch selecting no
row, patched rows that name what is not there, an infeasible plan) fails that scenario's run only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


from vastaff.contract.yamlfile import parse_yaml
from pydantic import ValidationError

from vastaff.contract import DEFAULT_MODEL, ContractModel, contract_from_dict
from vastaff.errors import InputError, InputProblem
from vastaff.io.tables import ROW, TableSource
from vastaff.scenario.overrides import overridden_model
from vastaff.scenario.patches import cell_text, read_table_file
from vastaff.scenario.schema import (
    AddPatch, DropPatch, ScalePatch, Scenario, SetPatch, column_parser, resolve, schema_columns,
    validate_scenario,
)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its resolved paths and its (possibly overridden) contract model."""

    scenario: Scenario
    file: Path | None
    data: Path
    model: Path
    contract: ContractModel
    contract_raw: dict
    previous: Path | None = None
    tables: dict[str, Path] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def label(self) -> str:
        return str(self.file) if self.file else f"scenario {self.name}"

    def plain(self) -> dict:
        """Plain data for a worker (pydantic generic models do not pickle). Paths are absolute: a worker in another
        process or on another machine of the cluster (a shared filesystem) reads the very same files."""
        return {"scenario": self.scenario.model_dump(mode="json"), "file": _absolute(self.file),
                "data": _absolute(self.data), "model": _absolute(self.model), "contract": self.contract_raw,
                "previous": _absolute(self.previous),
                "tables": {name: _absolute(path) for name, path in self.tables.items()}}

    @classmethod
    def from_plain(cls, d: dict) -> "LoadedScenario":
        scenario = Scenario.model_validate(d["scenario"])
        contract = contract_from_dict(d["contract"], str(d["model"]))
        return cls(scenario, Path(d["file"]) if d["file"] else None, Path(d["data"]), Path(d["model"]),
                   contract, d["contract"], Path(d["previous"]) if d.get("previous") else None,
                   {name: Path(path) for name, path in d.get("tables", {}).items()})


def _absolute(path: Path | None) -> str | None:
    return os.path.abspath(path) if path is not None else None


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read a scenario file; InputError naming the file and key of every problem."""
    path = Path(path)
    raw = read_yaml(path, "a scenario YAML file")
    return scenario_from_dict(raw, base_dir=path.parent, label=str(path), file=path)


def load_scenarios(paths) -> list[LoadedScenario]:
    """Read every scenario file; InputError with the problems of all of them at once — and each name that two files
    give, said even when one of those files is invalid (it was said only on the next run, once both loaded)."""
    loaded, problems, named = [], [], []
    for path in map(Path, paths):
        try:
            sc = load_scenario(path)
        except InputError as exc:
            problems += exc.problems
            named += [(str(path), name) for name in [_written_name(path, exc.problems)] if name is not None]
            continue
        loaded.append(sc)
        named.append((sc.label, sc.name))
    problems += name_problems(named)
    if problems:
        raise InputError(problems)
    return loaded


def _written_name(path: Path, problems: list[InputProblem]) -> str | None:
    """The name an invalid scenario file gives, unless the name itself is one of its problems (or it has none)."""
    if any(p.column == "name" for p in problems):
        return None
    try:
        raw = read_yaml(path, "a scenario YAML file")
    except InputError:
        return None
    return raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else None


def name_problems(named: list[tuple[str, str]]) -> list[InputProblem]:
    """One problem per scenario (label, name) whose name an earlier one of the run has, naming that one's file: two
    scenarios of one name would write one run folder."""
    seen: dict[str, str] = {}
    problems = []
    for label, name in named:
        if name in seen:
            problems.append(InputProblem(label, column="name", noun="key", value=name,
                                         expected=f"a name no other scenario of this run has (also in {seen[name]})"))
        seen.setdefault(name, label)
    return problems


def read_yaml(path: Path, what: str) -> object:
    """The parsed YAML document of `path` (`what` it should be, for a missing file); InputError, one line, when the
    file is missing, not UTF-8, not YAML, or repeats a key."""
    label = str(path)
    if not path.is_file():
        raise InputError([InputProblem(label, expected=f"{what} (file not found)")])
    try:
        return parse_yaml(path.read_text(encoding="utf-8"), label)
    except UnicodeDecodeError:
        raise InputError([InputProblem(label, expected="a UTF-8 text file")]) from None


def scenario_from_dict(raw: object, base_dir: str | Path | None = None, label: str | None = None,
                       file: Path | None = None) -> LoadedScenario:
    """A scenario given as a dict (e.g. built in a notebook); relative paths resolve against `base_dir`."""
    base_dir = Path(base_dir) if base_dir is not None else Path.cwd()
    label = label or f"scenario {raw.get('name', '?') if isinstance(raw, dict) else '?'}"
    try:
        scenario = validate_scenario(raw, label)
    except InputError as exc:  # the files it names are said in the same run: every problem at once
        if not isinstance(raw, dict):
            raise
        said = {p.column for p in exc.problems}
        spelled = {key: raw.get(key) for key in PATH_KEYS if key not in said and isinstance(raw.get(key), str)}
        tables = raw.get("tables") if "tables" not in said and isinstance(raw.get("tables"), dict) else {}
        tables = {name: path for name, path in tables.items() if isinstance(path, str) and f"tables.{name}" not in said}
        more = _path_problems(label, base_dir, spelled, tables)[0] + _failed_patches_columns(raw, base_dir, label, said)
        raise InputError(exc.problems + more + _override_problems(raw, base_dir, label, said)) from None
    data = resolve(base_dir, scenario.data)
    model = resolve(base_dir, scenario.model) if scenario.model else DEFAULT_MODEL
    previous = resolve(base_dir, scenario.previous) if scenario.previous else None
    spelled = {"data": scenario.data, "model": scenario.model, "previous": scenario.previous}
    problems, tables = _path_problems(label, base_dir, spelled, scenario.tables)
    if not problems:  # the patches' columns need the base data's headers and the scenario's own files
        headers, layout = own_headers(tables)
        problems += layout + column_problems(scenario, data, label, headers)
    contract, contract_raw = None, None
    if model.is_file():  # the overrides are checked whatever else is wrong: every problem in one run
        try:
            contract, contract_raw = overridden_model(model, scenario.model_overrides, scenario.name, label)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return LoadedScenario(scenario, file, data, model, contract, contract_raw, previous, tables)


def _override_problems(raw: dict, base_dir: Path, label: str, said: set) -> list[InputProblem]:
    """The problems of a scenario's model_overrides when the rest of its file is not valid (said: the keys already
    named), against its model if that is there."""
    overrides, written = raw.get("model_overrides"), raw.get("model")
    if not isinstance(overrides, dict) or "model_overrides" in said or any(str(k).startswith("model_overrides.")
                                                                           for k in said):
        return []
    model = resolve(base_dir, written) if isinstance(written, str) else DEFAULT_MODEL
    if not model.is_file():
        return []
    try:
        overridden_model(model, overrides, str(raw.get("name", "scenario")), label)
    except InputError as exc:
        return exc.problems
    return []


PATH_KEYS = ("data", "model", "previous")
"""The keys of a scenario file that name a file or folder (besides `tables`), relative to the file's folder."""
PATH_EXPECTED = {"data": "a base data folder or .xlsx workbook", "model": "a contract model YAML file",
                 "previous": "a plan folder"}
PATH_THERE = {"data": lambda p: p.is_dir() or (p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm")),
              "model": Path.is_file, "previous": Path.exists}
"""Whether what a path key names is there, as that key needs it."""


def _path_problems(label: str, base_dir: Path, spelled: dict[str, str | None], tables: dict[str, str]
                   ) -> tuple[list[InputProblem], dict[str, Path]]:
    """A problem for each file or folder the scenario names that is not there (`spelled`: data, model, previous as
    written, None when not given), and its own tables resolved."""
    problems = []
    for key, written in spelled.items():
        if written is None:
            continue
        path = resolve(base_dir, written)
        if not PATH_THERE[key](path):
            problems.append(InputProblem(label, column=key, noun="key", value=written, expected=(
                f"{PATH_EXPECTED[key]}, relative to the scenario file's folder ({_missing(path)})")))
    resolved = {name: resolve(base_dir, written) for name, written in tables.items()}
    problems += [InputProblem(label, column=f"tables.{name}", noun="key", value=tables[name],
                              expected=f"a CSV file, relative to the scenario file's folder ({_missing(path)})")
                 for name, path in resolved.items() if not path.is_file()]
    return problems, resolved


def _missing(path: Path) -> str:
    """Why a path named in a scenario is not what it should be: not there at all, or there as the other kind (an audit
    read "not found" for a folder given as a table)."""
    kind = "a folder" if path.is_dir() else "a file" if path.exists() else None
    return f"{'got ' + kind + ':' if kind else 'not found:'} {os.path.abspath(path)}"


def own_headers(tables: dict[str, Path]) -> tuple[dict[str, list[str]], list[InputProblem]]:
    """The columns of each table the scenario brings itself, and every problem of those files' layout."""
    headers, problems = {}, []
    for name, file in tables.items():
        frame, layout = read_table_file(name, file)
        headers[name] = [c for c in frame.columns if c != ROW]
        problems += layout
    return headers, problems


def column_problems(scenario: Scenario, data: Path, label: str,
                    own: dict[str, list[str]] | None = None) -> list[InputProblem]:
    """Every column a patch names must be a column of its table (a documented one, or one the base file has — or the
    scenario's own file, `own`: table -> columns), and every where-value must be a value that column can hold."""
    return _columns_of(dict(enumerate(scenario.patches)), data, label, own or {})


KINDS_OF = {"set": SetPatch, "scale": ScalePatch, "add": AddPatch, "drop": DropPatch}
NAMING = ("kind", "table", "where", "set", "column", "rows")
"""A patch's keys that name its table's columns (or say which table): checked by `column_problems` only when valid."""


def _failed_patches_columns(raw: dict, base_dir: Path, label: str, said: set) -> list[InputProblem]:
    """`column_problems` of the patches that failed their schema on other keys only (a negative factor), in the same
    run: a scenario fuzz needed three runs for one patch's three problems. Not for a table the scenario gives its own
    file for (its header is read only once the scenario is valid)."""
    data, patches, own = raw.get("data"), raw.get("patches"), raw.get("tables")
    if "data" in said or not isinstance(data, str) or not isinstance(patches, list):
        return []
    taken = {c.split(".")[1] for c in said if c and c.startswith("patches.") and c.count(".") >= 2
             and c.split(".")[2] in NAMING}
    kept = {i: KINDS_OF[p["kind"]].model_construct(**p) for i, p in enumerate(patches)
            if isinstance(p, dict) and str(i) not in taken and p.get("kind") in KINDS_OF
            and isinstance(p.get("table"), str) and p["table"] not in (own if isinstance(own, dict) else {})}
    try:
        return _columns_of(kept, resolve(base_dir, data), label, {}) if kept else []
    except Exception:  # noqa: BLE001 — more lines, best effort: the file's own problems are said whatever happens here
        return []


def _columns_of(patches: dict, data: Path, label: str, own: dict[str, list[str]]) -> list[InputProblem]:
    """`column_problems` of the patches given by their index in the file."""
    headers = _base_headers(data, {p.table for p in patches.values()} - set(own)) | own
    problems = []
    for i, patch in patches.items():
        known = schema_columns(patch.table) + [c for c in headers.get(patch.table, []) if c not in schema_columns(patch.table)]
        for key, column, values in _named(patch):
            if column not in known:
                problems.append(InputProblem(label, column=f"patches.{i}.{key}", noun="key", value=column,
                                             expected=f"a column of {patch.table}.csv: {', '.join(known)}"))
            problems += _value_problems(label, f"patches.{i}.{key}.{column}", patch.table, column, values)
    return problems


def _named(patch) -> list[tuple[str, str, list]]:
    """(key, column, values) of every column a patch names and the values it compares or writes there: a where-value
    must be one its column can hold, and so must a value `set` or `add` writes, as the text it writes (a bad
    `stipend_consent: maybe` was found only when the scenario ran). A scaled column has no value of its own."""
    named = [("where", c, v if isinstance(v, list) else [v]) for c, v in getattr(patch, "where", {}).items()]
    if isinstance(patch, SetPatch):
        named += [("set", c, [cell_text(v)]) for c, v in patch.set.items()]
    elif isinstance(patch, ScalePatch):
        named += [("column", patch.column, [])]
    elif isinstance(patch, AddPatch):
        named += [(f"rows.{r}", c, [cell_text(v)]) for r, row in enumerate(patch.rows) for c, v in row.items()]
    return named


def _value_problems(label: str, key: str, table: str, column: str, values: list) -> list[InputProblem]:
    """One problem per value its schema column cannot hold (a blank is the data's question: some columns allow it)."""
    parse = column_parser(table, column)
    if parse is None:
        return []
    out = []
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        try:
            parse(v)
        except ValidationError as exc:
            why = exc.errors()[0]["msg"].removeprefix("Value error, ").removeprefix("expected ")
            out.append(InputProblem(label, column=key, noun="key", value=str(v), expected=why))
    return out


def _base_headers(data: Path, tables: set[str]) -> dict[str, list[str]]:
    source = TableSource.open(data)
    try:
        return {t: [c for c in source.read(t).columns if c != "_row"] for t in sorted(tables) if source.has(t)}
    finally:
        source.close()


