"""The scenario file (`scenarios/*.yaml`): a base data folder, a contract model, data patches, solve settings.

Paths in a scenario file are relative to the folder of the scenario file (so `data: ../data/sample` works from
any working directory); a scenario built from a dict resolves them against `base_dir` (default: the working
directory). Unknown keys, bad patch kinds, unknown tables and columns, where-values a column cannot hold and a
missing base folder are errors naming the file and the key (`patches.1.table`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, TypeAdapter, ValidationError

from vastaff.contract.yamlfile import key_problem, short
from vastaff.errors import InputError, InputProblem
from vastaff.schemas.fields import TIME_LIMIT_RANGE
from vastaff.schemas.inputs import INPUT_TABLES

TableName = Literal[tuple(INPUT_TABLES)]  # type: ignore[valid-type]


def _date_as_text(value: Any) -> Any:
    """An unquoted YAML date (`seniority_date: 2000-01-01`, which YAML reads as a date) as the text it was written
    as: cells are set and compared as the CSV's text, and the column's own parser then checks it."""
    return value.isoformat() if isinstance(value, date) else value


Cell = Annotated[Union[bool, int, float, str, None], BeforeValidator(_date_as_text)]
WhereValue = Union[Cell, list[Cell]]
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
NAME_EXPECTED = "a name of letters, digits, '.', '_' or '-', starting with a letter or digit (it names the run folder)"
KINDS = ("set", "scale", "add", "drop")
MAX_FACTOR = 1_000
"""Bound of a scale factor (a patched value must still pass its column's bound; the loader checks it)."""
MAX_TIME_LIMIT = TIME_LIMIT_RANGE[1]
"""Bound of solve.time_limit: one day, in seconds."""
MAX_SEED = 2**31 - 1
"""CP-SAT's random_seed is a 32-bit integer."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Selecting(_Strict):
    table: TableName = Field(description="input table the patch edits (schools, teachers, demand, ...)")
    where: dict[str, WhereValue] = Field(
        default_factory=dict,
        description="rows whose cells equal every given value (a list: any of them; a ';'-list column: contains); "
                    "omitted: every row")
    allow_empty: StrictBool = Field(default=False, description="a patch that selects no row is an error unless true")
    note: str | None = Field(default=None, description="why (shown in run.json)")


class SetPatch(_Selecting):
    """Set cells of the selected rows: `set: {status: temporarily_closed}`."""

    kind: Literal["set"]
    set: dict[str, Cell] = Field(min_length=1, description="column -> new value")


class ScalePatch(_Selecting):
    """Multiply a numeric column of the selected rows, rounded to whole numbers (`students` x 1.9)."""

    kind: Literal["scale"]
    column: str = Field(description="numeric column to scale, e.g. students or positions")
    factor: float = Field(ge=0, le=MAX_FACTOR, description="multiplier, e.g. 1.9")
    rounding: Literal["nearest", "up", "down"] = Field(default="nearest",
                                                       description="to whole numbers; nearest rounds halves up")


class AddPatch(_Strict):
    """Append rows: `rows: [{school_id: VA01, course_id: ..., grade: 9, students: 30}]`."""

    kind: Literal["add"]
    table: TableName
    rows: list[dict[str, Cell]] = Field(min_length=1, description="new rows; a column left out is blank")
    note: str | None = None


class DropPatch(_Selecting):
    """Remove the selected rows."""

    kind: Literal["drop"]


Patch = Annotated[Union[SetPatch, ScalePatch, AddPatch, DropPatch], Field(discriminator="kind")]


class SolveBlock(_Strict):
    time_limit: float | None = Field(default=None, gt=0, le=MAX_TIME_LIMIT,
                                     description="seconds for the whole district (CLI --time-limit wins; default as "
                                                 "`vastaff solve`: 30 s + 1 s per 50 teachers, at most 540 s)")
    seed: int = Field(default=0, ge=0, le=MAX_SEED, description="CP-SAT random seed")
    method: Literal["cpsat", "greedy"] = Field(default="cpsat", description="optimizer or the clerk's greedy fill")
    strict: StrictBool = Field(default=False, description="vacancies make the plan INFEASIBLE (can everything be staffed?)")


class Scenario(_Strict):
    """One what-if: the base data with patches, under a contract model (or overrides of its values)."""

    name: str = Field(pattern=NAME_PATTERN, description="folder name of the run (RUNS/<name>/)")
    description: str = Field(min_length=1, description="what is asked, for the negotiator")
    data: str = Field(min_length=1, description="base data folder (or .xlsx), relative to the scenario file")
    model: str | None = Field(default=None, description="contract model YAML; default models/va-2025-2027.yaml")
    model_overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="contract values to change, by key name (stipend_per_course) or dotted path "
                    "(courses.stipend_per_course.value)")
    previous: str | None = Field(default=None,
                                 description="last night's plan folder (A12, stability), relative to the scenario file; "
                                             "default: the base data's previous/ folder, if any")
    displace: StrictBool | None = Field(default=None,
                                  description="also run the displacement; default: when a patch edits positions")
    solve: SolveBlock = Field(default_factory=SolveBlock)
    tables: dict[TableName, str] = Field(
        default_factory=dict,
        description="tables the scenario brings itself: table -> CSV file relative to the scenario file (`matrix: "
                    "matrix-spring/matrix.csv`); each replaces the base data's table (or adds it), before the patches")
    patches: list[Patch] = Field(default_factory=list, description="data patches, applied in order")

    def displaces(self) -> bool:
        """A10: run the displacement when asked, or by default when a patch edits positions.csv."""
        if self.displace is not None:
            return self.displace
        return any(p.table == "positions" for p in self.patches)


# ---------------------------------------------------------------------------------------------------------
# Errors naming the file and the key


def scenario_problems(label: str, exc: ValidationError) -> list[InputProblem]:
    """One InputProblem per pydantic error, naming the dotted key (`patches.0.kind`) of the scenario file; a where
    value none of whose forms fits is one problem, not one per form pydantic tried (with its inner type names)."""
    problems, said = [], set()
    for err in exc.errors():
        loc = err["loc"]
        tried = next((i for i, part in enumerate(loc) if isinstance(part, str) and "[" in part and part != "[key]"),
                     None)  # the first form pydantic tried (`list[...]`, `function-before[...]`), if any
        if tried is None:
            problems.append(_problem(label, err))
            continue
        key = ".".join(_clean_loc(loc[:tried]))
        if key not in said:
            said.add(key)
            problems.append(InputProblem(label, column=key, noun="key", value=short(_input_at(exc, loc[:tried])),
                                         expected=WHERE_VALUE))
    return problems


WHERE_VALUE = "a cell value (text, a number, true or false, a date), or a list of them"


def _input_at(exc: ValidationError, loc: tuple) -> object:
    """The value the scenario file holds at `loc`: what the scalar form tried there was given (a list form's errors
    carry one element)."""
    return next((err.get("input") for err in exc.errors() if tuple(err["loc"][:len(loc)]) == tuple(loc)
                 and not str(err["loc"][len(loc)]).startswith("list[")), None)


def _problem(label: str, err: dict) -> InputProblem:
    loc = _clean_loc(err["loc"])
    key = ".".join(loc) or None
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "union_tag_invalid":
        return InputProblem(label, column=f"{key}.kind" if key else "kind", noun="key", value=str(ctx.get("tag")),
                            expected=f"a patch kind: one of {', '.join(KINDS)}")
    if kind == "union_tag_not_found":
        return InputProblem(label, column=f"{key}.kind" if key else "kind", noun="key",
                            expected=f"a patch kind (missing): one of {', '.join(KINDS)}")
    return key_problem(label, loc, err, known_keys, lambda: expected_text(kind, ctx, err))


def _clean_loc(loc: tuple) -> list[str]:
    """Drop the discriminator tag pydantic inserts after a patch index (patches.0.set.table -> patches.0.table) and
    the `[key]` it appends to a bad mapping key (tables.teacher.[key] -> tables.teacher)."""
    parts = [str(p) for p in loc]
    out = []
    for i, p in enumerate(parts):
        if (i >= 2 and parts[i - 2] == "patches" and p in KINDS and parts[i - 1].isdigit()) or p == "[key]":
            continue
        out.append(p)
    return out


def known_keys(loc: list[str]) -> list[str]:
    """The keys allowed at `loc` (for unknown-key messages)."""
    if not loc:
        return list(Scenario.model_fields)
    if loc[0] == "solve" and len(loc) == 1:
        return list(SolveBlock.model_fields)
    if loc[0] == "patches" and len(loc) == 2:
        return ["kind", "table", "where", "set", "column", "factor", "rounding", "rows", "allow_empty", "note"]
    return []


def expected_text(kind: str, ctx: dict, err: dict) -> str:
    """What a value that fails pydantic's check `kind` must be, in words."""
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        loc = [str(p) for p in err["loc"]]
        if loc[-1:] == ["table"] or loc[:1] == ["tables"]:
            return f"an input table: one of {', '.join(INPUT_TABLES)}"
        return f"one of {expected}"
    if kind == "string_pattern_mismatch":
        return NAME_EXPECTED
    if kind in _BOUND_OPS:
        bound = next(iter(ctx.values()))
        return f"a number {_BOUND_OPS[kind]} {int(bound) if float(bound).is_integer() else bound:,}"
    simple = {"float_parsing": "a number", "float_type": "a number", "int_parsing": "a whole number",
              "int_type": "a whole number", "int_from_float": "a whole number", "bool_parsing": "true or false",
              "bool_type": "true or false", "string_type": "a text", "string_too_short": "a non-empty text",
              "dict_type": "a mapping of keys", "model_type": "a mapping of keys", "list_type": "a list",
              "too_short": "a non-empty list or mapping", "model_attributes_type": "a mapping of keys"}
    return simple.get(kind, err["msg"])


_BOUND_OPS = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}


def validate_scenario(raw: object, label: str) -> Scenario:
    """The scenario of a parsed YAML document; InputError naming every bad key."""
    if not isinstance(raw, dict):
        raise InputError([InputProblem(label, expected="a YAML mapping of scenario keys (name, description, data, ...)")])
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise InputError(scenario_problems(label, exc)) from None


def column_parser(table: str, column: str):
    """The cell parser of a schema column (None for an extra column: compared as text)."""
    info = INPUT_TABLES[table][0].model_fields.get(column)
    if info is None:
        return None
    adapter = TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)
    return adapter.validate_python


def schema_columns(table: str) -> list[str]:
    return list(INPUT_TABLES[table][0].model_fields)


def resolve(base_dir: Path, spelled: str) -> Path:
    """A path of a scenario file: absolute as written, else relative to the scenario file's folder."""
    p = Path(spelled).expanduser()
    return p if p.is_absolute() else (base_dir / p)
