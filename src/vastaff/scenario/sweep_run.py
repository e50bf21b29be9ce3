"""Run a sweep (vastaff.scenario.sweep) and compare its scenarios: a row per scenario, a cost curve per swept term.

`run_sweep` runs the sweep's scenarios as `vastaff scenario run` does (the local pool, or a Dask cluster), each into
RUNS/<name>/; `compare_sweep` lines them up as `vastaff scenario compare` does; `write_sweep_files` writes, beside
the run folders, FILES: sweep.csv (tidy: a row per scenario, a column per term, then its status and every figure),
compare.csv, compare.png and compare.html (as `scenario compare` writes them, the page with the cost curves) and
cost-curves.png (a panel per swept term: x its values, y the total cost, a line per combination of the other terms;
a missing point is a scenario that failed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from vastaff.io.outpath import atomic_file, check_file_path
from vastaff.scenario.charts import DPI, literal, png_bytes
from vastaff.scenario.compare import Comparison, compare_runs
from vastaff.scenario.figures import FIGURES, format_value, number
from vastaff.scenario.runner import RunOutcome, run_scenarios
from vastaff.scenario.schema import Cell
from vastaff.scenario.sweep import Sweep, shown
from vastaff.text import for_terminal, frame_for_spreadsheet

FILES = ("sweep.csv", "compare.csv", "compare.png", "compare.html", "cost-curves.png")
"""What a sweep writes into RUNS beside the run folders (each replaced whole by the next sweep into RUNS)."""
SUMMARY = ["status", "cost_total", "vacancies", "check_violations", "teachers_changed"]
"""The figures of the terminal's table (sweep.csv and compare.csv have them all)."""


@dataclass
class SweepResult:
    """A sweep's outcomes (in the sweep's order), their comparison (None when no run folder could be written) and
    the table of sweep.csv."""

    sweep: Sweep
    outcomes: list[RunOutcome]
    comparison: Comparison | None
    table: pd.DataFrame

    def cost_curves(self, path: str | Path | None = None):
        """The cost curves (a matplotlib Figure, a panel per term), written to `path` (PNG) if given."""
        fig = plot_cost_curves(self.sweep, self.table)
        if path is not None:
            fig.savefig(path, dpi=DPI, format="png")
        return fig

    def rich_table(self):
        """The terminal table: a row per scenario, its terms and SUMMARY's figures."""
        from rich import box
        from rich.table import Table

        base = self.comparison.base if self.comparison is not None else "-"
        table = Table(title=f"Sweep {for_terminal(self.sweep.name)} (teachers affected against {for_terminal(base)})",
                      title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
        for column in ["scenario", *self.sweep.terms, *SUMMARY]:
            table.add_column(for_terminal(column), justify="left" if column == "scenario" else "right")
        for row in self.table.to_dict("records"):
            cells = [row["scenario"]] + [shown(row[t]) if _known(row[t]) else "-" for t in self.sweep.terms]
            cells += [format_value(key, row.get(key) if _known(row.get(key)) else None) for key in SUMMARY]
            table.add_row(*map(for_terminal, cells))
        return table


def run_sweep(sweep: Sweep, out: str | Path, processes: int | None = None, time_limit: float | None = None,
              cluster: str | None = None, on_done: Callable[[RunOutcome], None] | None = None, force: bool = False,
              base: str | None = None) -> SweepResult:
    """Run the sweep's scenarios into `out/<name>/` (vastaff.scenario.runner.run_scenarios: same arguments), then
    compare them (`base`: the run compared against, default the first scenario). Files are written by
    `write_sweep_files`; they are checked here first (OutputError refused=True when one is a folder)."""
    out = Path(out)
    for name in FILES:
        check_file_path(out / name, inputs=[("sweep file", sweep.file)])
    outcomes = run_scenarios(sweep.scenarios, out, processes=processes, time_limit=time_limit, on_done=on_done,
                             force=force, cluster=cluster)
    return compare_sweep(sweep, outcomes, base)


def compare_sweep(sweep: Sweep, outcomes: list[RunOutcome], base: str | None = None) -> SweepResult:
    """The comparison of the runs written (base: `base`, else the first scenario) and the table of sweep.csv."""
    written = [o.folder for o in outcomes if o.written]
    cmp = compare_runs(written, base=base or next(o.name for o in outcomes if o.written)) if written else None
    return SweepResult(sweep, outcomes, cmp, sweep_table(sweep, outcomes, cmp))


def sweep_table(sweep: Sweep, outcomes: list[RunOutcome], cmp: Comparison | None) -> pd.DataFrame:
    """A row per scenario: its name, each term's value (blank when an explicit combination leaves it out), then
    every figure of the comparison (a figure named as a term is left out: the term's column holds it)."""
    keys = [key for key, _, _ in FIGURES if key not in sweep.terms]
    rows = []
    for point, outcome in zip(sweep.points, outcomes):
        row = {"scenario": point.name} | {t: point.terms.get(t) for t in sweep.terms}
        figures = cmp.figures[point.name] if cmp is not None and outcome.written else {}
        row |= {key: figures.get(key) for key in keys}
        row["status"] = row.get("status") or outcome.status.value
        rows.append(row)
    return pd.DataFrame(rows, columns=["scenario", *sweep.terms, *keys])


def write_sweep_files(result: SweepResult, out: str | Path) -> list[Path]:
    """FILES in `out`, each whole (atomic); the comparison's files only when some run was written. The paths."""
    out = Path(out)
    writers: list[tuple[str, Callable[[Path], object]]] = [
        ("sweep.csv", lambda p: frame_for_spreadsheet(result.table).to_csv(p, index=False, lineterminator="\n")),
        ("cost-curves.png", result.cost_curves)]
    cmp = result.comparison
    if cmp is not None:
        curves = png_bytes(result.cost_curves())
        writers += [("compare.csv", cmp.to_csv), ("compare.png", lambda p: p.write_bytes(cmp.chart_png())),
                    ("compare.html", lambda p: _write_html(result, curves, p))]
    written = []
    for name, write in sorted(writers, key=lambda w: FILES.index(w[0])):
        with atomic_file(out / name) as tmp:
            write(tmp)
        written.append(out / name)
    return written


def _write_html(result: SweepResult, curves: bytes, path: Path) -> None:
    from vastaff.scenario.html import comparison_html

    title = f"Sweep {result.sweep.name}: {result.sweep.description} (base: {result.comparison.base})"
    path.write_text(comparison_html(result.comparison, curves=curves, curves_alt=_curves_alt(result), title=title),
                    encoding="utf-8")


def _curves_alt(result: SweepResult) -> str:
    return "Total cost against " + ", ".join(result.sweep.terms) + ", one line per combination of the other terms"


# ---------------------------------------------------------------------------------------------------------
# cost curves


def plot_cost_curves(sweep: Sweep, table: pd.DataFrame):
    """A panel per swept term (a bare matplotlib Figure, Agg): x the term's values, y the total cost, a line per
    combination of the other terms' values; a failed scenario is a gap in its line."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3.8 * len(sweep.terms)), layout="constrained")
    for ax, term in zip(fig.subplots(len(sweep.terms), 1, squeeze=False)[:, 0], sweep.terms):
        draw_curve(ax, sweep, table, term)
    return fig


def draw_curve(ax, sweep: Sweep, table: pd.DataFrame, term: str) -> None:
    """One term's panel: its values along x (to scale when all are numbers), a line per combination of the others."""
    values = sweep.values[term]
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    xs = values if numeric else list(range(len(values)))
    others = [t for t in sweep.terms if t != term]
    for combo, costs in curve_lines(table, term, others).items():
        ys = [costs.get(_key(v), math.nan) for v in values]
        ax.plot(xs, ys, marker="o", label=literal(", ".join(shown(v) for v in combo) or "total cost"))
    ax.set_title(literal(f"Total cost by {term}"), fontsize=10)
    ax.set_xlabel(literal(term))
    ax.set_ylabel("total cost (US dollars)")
    ax.set_xticks(xs, [literal(shown(v)) for v in values])
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}")
    ax.set_ylim(bottom=0, top=None if ax.get_ylim()[1] > 0 else 100)  # from $0: a raise reads at its true size
    ax.grid(alpha=0.3)
    if others:
        ax.legend(fontsize=8, title=literal(", ".join(others)), title_fontsize=8)


def curve_lines(table: pd.DataFrame, term: str, others: list[str]) -> dict[tuple, dict]:
    """Per combination of the `others` (in the table's order): the total cost at each value of `term` (NaN for a
    failed scenario). Rows that leave `term` out (an explicit combination) are on no line of it."""
    lines: dict[tuple, dict] = {}
    for row in table.to_dict("records"):
        if not _known(row[term]):
            continue
        combo = tuple(row[t] if _known(row[t]) else None for t in others)
        lines.setdefault(combo, {})[_key(row[term])] = number(row.get("cost_total"), math.nan)
    return lines


def _key(value: Cell) -> tuple:
    """A value as a dictionary key that keeps 1 and True apart."""
    return isinstance(value, bool), value


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
