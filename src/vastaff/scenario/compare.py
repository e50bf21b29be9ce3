"""Side by side: the figures of several runs, their changes against a base run, and who changes, teacher by teacher.

`compare_runs(folders, base=None)` reads run folders (`RUNS/<name>/`, or a `RUNS/` folder holding them); the
base is the run named `base`, else the one named `baseline`, else the first. The per-teacher list says who changes
courses (sections per course), periods, site, room, IEP meetings or caseload — the rows of changes.csv, from the
same code (vastaff.diff) — and who gains or loses a stipend course, a position (A10/A10.1/A11), or their place in
the scenario's data. Positions are compared only for a run that simulated the displacement; a base that simulated
none reads as everyone keeping their position (the nightly plan displaces nobody). A run that found no plan
(INFEASIBLE) reads `infeasible` for every figure (figures.NO_PLAN), never the cost its run.json may hold.

Run names, IDs and statuses are free text: the CSV files are for people, so text that a spreadsheet would run
as a formula is neutralised, and the terminal table shows rich markup literally (vastaff.text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from vastaff.diff import PLAN_KINDS, teacher_changes
from vastaff.diff.teachers import text as cell_text
from vastaff.errors import InputError, InputProblem
from vastaff.io.plan import load_plan
from vastaff.schemas.district import Plan
from vastaff.scenario.figures import FIGURES, FORMATS, LABELS, NO_PLAN, format_value, number, plan_figures
from vastaff.text import for_terminal, frame_for_spreadsheet

DIFF_COLUMNS = ["scenario", "base", "teacher_id", "school_id", "what", "before", "after", "summary"]
WHAT_ORDER = ["roster", "position", *PLAN_KINDS[:2], "stipend_courses", *PLAN_KINDS[2:]]
CHANGED = "teachers_changed"


@dataclass
class RunData:
    """One run folder: its label, run.json, plan tables (None when the run failed) and figures."""

    label: str
    folder: Path
    run: dict
    plan: Plan | None
    figures: dict
    roster: pd.DataFrame  # teacher_id, school_id of the run's input (empty when unknown)

    @property
    def ok(self) -> bool:
        return self.plan is not None and self.run.get("status") in ("OPTIMAL", "FEASIBLE")


@dataclass
class Comparison:
    """Figures per run (rows: FIGURES keys, columns: run labels, base first), changes against the base, and
    the per-teacher differences."""

    base: str
    names: list[str]
    figures: pd.DataFrame
    deltas: pd.DataFrame
    teacher_diff: pd.DataFrame
    runs: list[RunData]
    _png: bytes | None = field(default=None, repr=False, compare=False)

    def table(self) -> pd.DataFrame:
        """The comparison as one frame: figure, label, each run's value, then each run's change vs the base."""
        t = self.figures.copy()
        for name in self.deltas.columns:
            t[f"{name} vs {self.base}"] = self.deltas[name]
        t.insert(0, "label", [LABELS.get(k, k).strip() for k in t.index])
        return t.rename_axis("figure").reset_index()

    def to_csv(self, path: str | Path) -> Path:
        """The side-by-side table as CSV for a spreadsheet (formulas neutralised)."""
        return _write_for_spreadsheet(self.table(), path)

    def diff_to_csv(self, path: str | Path) -> Path:
        """The per-teacher differences as CSV for a spreadsheet (formulas neutralised)."""
        return _write_for_spreadsheet(self.teacher_diff, path)

    def plot_costs(self, path: str | Path | None = None, ax=None):
        """Stacked bars of the cost parts per run (or "no cost in any run"); written to `path` (PNG, Agg, no pyplot
        state) or drawn on `ax` (or a new pyplot figure). Returns the Axes."""
        from vastaff.scenario.charts import plot_costs

        return plot_costs(self, path, ax)

    def plot_effects(self, path: str | Path | None = None):
        """Small multiples of the effects that are not money (charts.EFFECTS: one panel per figure, a bar per run,
        the base highlighted); written to `path` (PNG) if given. Returns the matplotlib Figure."""
        from vastaff.scenario.charts import plot_effects

        return plot_effects(self, path)

    def plot(self, path: str | Path | None = None):
        """The cost chart above the effects' small multiples, in one Figure, written to `path` (PNG) if given.
        Returns the matplotlib Figure."""
        from vastaff.scenario.charts import plot_comparison

        return plot_comparison(self, path)

    def chart_png(self) -> bytes:
        """`plot()` as PNG bytes (`scenario compare --png`, and the chart of the HTML page), drawn once."""
        if self._png is None:
            from vastaff.scenario.charts import png_bytes

            self._png = png_bytes(self.plot())
        return self._png

    def to_html(self, path: str | Path | None = None) -> str:
        """The comparison as one self-contained HTML page (figure table, charts, per-teacher summary); written to
        `path` if given. Returns the page."""
        from vastaff.scenario.html import comparison_html

        page = comparison_html(self)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def rich_table(self):
        """The terminal table: a row per figure, a column per run; changes against the base in brackets."""
        from rich import box
        from rich.table import Table

        table = Table(title=f"Scenarios side by side (changes against {for_terminal(self.base)} in brackets)",
                      title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
        table.add_column("figure", no_wrap=True)
        for name in self.names:
            table.add_column(for_terminal(name) + (" (base)" if name == self.base else ""), justify="right")
        for key in self.figures.index:
            cells = []
            for name in self.names:
                text = for_terminal(format_value(key, self.figures.at[key, name]))
                d = self.deltas.at[key, name] if name in self.deltas.columns else None
                if number(d) and FORMATS.get(key, "int") != "text":
                    text += f" [dim]({format_value(key, d, sign=True)})[/dim]"
                cells.append(text)
            table.add_row(LABELS.get(key, key), *cells)
        return table


def _write_for_spreadsheet(frame: pd.DataFrame, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame_for_spreadsheet(frame).to_csv(path, index=False, lineterminator="\n")
    return path


def compare_runs(folders, base: str | None = None) -> Comparison:
    """Compare run folders (each `RUNS/<name>/`, or a `RUNS/` folder of them) against the base run."""
    runs = [load_run(f) for f in expand_folders(folders)]
    _label_uniquely(runs)
    names = [r.label for r in runs]
    base_name = _base_name(names, base)
    ordered = [base_name] + [n for n in names if n != base_name]
    by_name = {r.label: r for r in runs}
    diff = teacher_diff(by_name[base_name], [by_name[n] for n in ordered[1:]])
    figures = pd.DataFrame({n: pd.Series(by_name[n].figures, dtype=object) for n in ordered})
    figures = figures.reindex([k for k, _, _ in FIGURES])
    changed = diff.groupby("scenario")["teacher_id"].nunique() if len(diff) else pd.Series(dtype=int)
    known = by_name[base_name].ok  # against a base with no plan, who changed cannot be known: `-`, not 0
    figures.loc[CHANGED] = [_changed(by_name[n], known, 0 if n == base_name else int(changed.get(n, 0)))
                            for n in ordered]
    deltas = pd.DataFrame({n: [_delta(k, figures.at[k, n], figures.at[k, base_name]) for k in figures.index]
                           for n in ordered[1:]}, index=figures.index, dtype=object)
    return Comparison(base_name, ordered, figures, deltas, diff, [by_name[n] for n in ordered])


def _changed(run: RunData, known: bool, count: int):
    """A run's teachers affected: `count`; NO_PLAN for an INFEASIBLE run; None (`-`) when it cannot be known (`known`
    False: the base has no plan; or the run has none: invalid input, an error)."""
    if run.figures.get(CHANGED) == NO_PLAN:
        return NO_PLAN
    return count if known and run.ok else None


def expand_folders(folders) -> list[Path]:
    """Run folders as given; a folder without run.json stands for its subfolders that have one."""
    if isinstance(folders, (str, Path)):
        folders = [folders]
    out, problems = [], []
    for f in map(Path, folders):
        if (f / "run.json").is_file():
            out.append(f)
        elif f.is_dir() and (subs := sorted(p.parent for p in f.glob("*/run.json"))):
            out.extend(subs)
        else:
            problems.append(InputProblem(str(f), expected="a run folder with run.json (from vastaff scenario run or "
                                                        "vastaff solve), or a folder of them"))
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError([InputProblem("compare", expected="at least one run folder")])
    return out


def load_run(folder: Path) -> RunData:
    """A run folder: run.json, its plan (if the run succeeded), its figures and its roster."""
    try:
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([InputProblem(str(folder / "run.json"), expected=f"valid JSON ({exc})")]) from None
    if not isinstance(run, dict):
        raise InputError([InputProblem(str(folder / "run.json"), expected="a JSON object")])
    label = (run.get("scenario") or {}).get("name") or folder.name
    plan = None
    if run.get("status") in ("OPTIMAL", "FEASIBLE") and (folder / "teachers.csv").is_file():
        plan = load_plan(folder)
    # the figures the run stored (measured on its own data) win; what they lack (a run made before a figure
    # existed, or by `vastaff solve`) is read from its tables and run.json alone
    stored = run.get("figures") if isinstance(run.get("figures"), dict) else {}
    figures = (plan_figures(plan) if plan is not None else {"status": run.get("status")}) | stored
    if run.get("status") == "INFEASIBLE":  # no plan, no figure of one: its run.json's costs are not its price
        figures = {key: NO_PLAN for key, _, _ in FIGURES} | {"status": run["status"]}
    return RunData(label, folder, run, plan, {k: figures.get(k) for k, _, _ in FIGURES}, _roster(folder))


def _roster(folder: Path) -> pd.DataFrame:
    file = folder / "input" / "teachers.csv"
    if not file.is_file():
        return pd.DataFrame(columns=["teacher_id", "school_id"])
    t = pd.read_csv(file, dtype=str, keep_default_na=False)
    t.columns = [c.strip().lower() for c in t.columns]
    return t[["teacher_id", "school_id"]] if {"teacher_id", "school_id"} <= set(t.columns) else \
        pd.DataFrame(columns=["teacher_id", "school_id"])


def _label_uniquely(runs: list[RunData]) -> None:
    seen: dict[str, int] = {}
    for r in runs:
        seen[r.label] = seen.get(r.label, 0) + 1
        if seen[r.label] > 1:
            r.label = f"{r.label}#{seen[r.label]}"


def _base_name(names: list[str], base: str | None) -> str:
    if base is not None:
        if base not in names:
            raise InputError([InputProblem("--base", value=base, expected=f"one of the runs: {', '.join(names)}")])
        return base
    return "baseline" if "baseline" in names else names[0]


def _delta(key: str, value, base):
    if FORMATS.get(key) == "text" or number(value, None) is None or number(base, None) is None:
        return None
    d = number(value) - number(base)
    return round(d, 2) if FORMATS.get(key) in ("money", "float") else int(round(d))


# ---------------------------------------------------------------------------------------------------------
# Per-teacher differences


def teacher_diff(base: RunData, others: list[RunData]) -> pd.DataFrame:
    """Every change of every teacher in each run against the base: roster, position, changes.csv's kinds
    (vastaff.diff.teacher_changes: courses, periods, site, room, IEP meetings, caseload), stipend courses."""
    parts = [_one_diff(base, other) for other in others if base.ok and other.ok]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=DIFF_COLUMNS)
    return pd.concat(parts, ignore_index=True)[DIFF_COLUMNS]


def _one_diff(base: RunData, other: RunData) -> pd.DataFrame:
    b, o = base.plan, other.plan
    b_ids, o_ids = set(b.teachers["teacher_id"]), set(o.teachers["teacher_id"])
    changes = teacher_changes(b, o)
    rows = pd.concat([
        _roster_rows(b_ids, o_ids),
        changes[changes["teacher_id"].isin(b_ids & o_ids)],
        _value_rows(b.teachers, o.teachers, "stipend_courses", "stipend_courses", b_ids & o_ids),
        _position_rows(_positions(b, b_ids), _positions(o, o_ids), b_ids & o_ids) if o.displacement is not None
        else None,
    ], ignore_index=True)
    if rows.empty:
        return pd.DataFrame(columns=DIFF_COLUMNS)
    schools = pd.concat([other.roster, base.roster]).drop_duplicates("teacher_id").set_index("teacher_id")["school_id"]
    rows["school_id"] = rows["teacher_id"].map(schools).astype(object).fillna("")
    rows["scenario"], rows["base"] = other.label, base.label
    rows["_what"] = rows["what"].map(WHAT_ORDER.index)
    rows = rows.sort_values(["teacher_id", "_what", "before", "after"], kind="stable").drop(columns="_what")
    return rows.reset_index(drop=True)


def _frame(teacher_ids, what: str, before, after, summary) -> pd.DataFrame:
    return pd.DataFrame({"teacher_id": list(teacher_ids), "what": what, "before": list(before),
                         "after": list(after), "summary": list(summary)})


def _roster_rows(b_ids: set, o_ids: set) -> pd.DataFrame:
    gone, new = sorted(b_ids - o_ids), sorted(o_ids - b_ids)
    return pd.concat([
        _frame(gone, "roster", ["in data"] * len(gone), [""] * len(gone), ["not in this scenario's data"] * len(gone)),
        _frame(new, "roster", [""] * len(new), ["in data"] * len(new), ["added by this scenario"] * len(new)),
    ], ignore_index=True)


def _value_rows(bt: pd.DataFrame, ot: pd.DataFrame, column: str, what: str, common: set) -> pd.DataFrame:
    """Teachers whose value in `column` of teachers.csv differs (blank = blank)."""
    m = bt[["teacher_id", column]].merge(ot[["teacher_id", column]], on="teacher_id", suffixes=("_b", "_o"))
    m = m[m["teacher_id"].isin(common)]
    before, after = m[f"{column}_b"].map(cell_text).astype(object), m[f"{column}_o"].map(cell_text).astype(object)
    changed = before != after
    before, after, ids = before[changed], after[changed], m.loc[changed, "teacher_id"]
    summary = what.replace("_", " ") + " " + before.replace("", "-") + " -> " + after.replace("", "-")
    return _frame(ids, what, before, after, summary)


def _positions(p: Plan, ids: set) -> pd.Series:
    """Each teacher's position: retained, moved_level to X, displaced (reports to S); retained without displacement."""
    pos = pd.Series("retained", index=sorted(ids), dtype=object)
    d = p.displacement
    if d is None or d.empty:
        return pos
    text = d["outcome"].astype(str)
    text = text.where(d["outcome"] != "moved_level", "moved_level to " + d["to_level"].fillna("").astype(str))
    text = text.where(d["outcome"] != "displaced", "displaced, reports to " + d["site_id"].fillna("-").astype(str))
    found = pd.Series(text.to_numpy(), index=d["teacher_id"].to_numpy())
    found = found[found.index.isin(pos.index)]
    pos.loc[found.index] = found
    return pos


def _position_rows(bp: pd.Series, op: pd.Series, common: set) -> pd.DataFrame:
    ids = sorted(common & set(bp.index) & set(op.index))
    before, after = bp.reindex(ids), op.reindex(ids)
    changed = before != after
    ids = [i for i, c in zip(ids, changed) if c]
    before, after = before[changed], after[changed]
    return _frame(ids, "position", before, after, "position " + before + " -> " + after)
