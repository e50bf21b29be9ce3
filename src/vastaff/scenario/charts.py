"""The comparison's charts: what each run costs, and what it does that is not money, side by side.

`plot_comparison` (the `--png` of `vastaff scenario compare`, also embedded in its HTML page) draws the cost chart
above small multiples of the effects: one panel per figure of EFFECTS that some run knows, a bar per run, the base
run's bar dark and first, every bar labelled with its value and its change against the base. A figure no run
knows (no matrix.csv anywhere, no displacement simulated) has no panel. When no run costs anything the cost chart
says so in words instead of drawing empty bars.

Files are drawn on a bare matplotlib Figure (Agg canvas, no pyplot state), so a comparison can be drawn in a worker
or a server; only `plot_costs` without a path or axes falls back to pyplot, for a notebook. Run names are free text
(a hand-made run.json): matplotlib would read `$...$` in them as mathematics, so every label is drawn literally.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from vastaff.scenario.figures import format_value, number

if TYPE_CHECKING:
    from vastaff.scenario.compare import Comparison

COST_PARTS = [("cost_stipend", "stipends (A6.3)"), ("cost_multigrade", "multi-grade (A8.5)"), ("cost_xtime", "X-time (A12)")]
EFFECTS: list[tuple[str, str]] = [
    ("vacancies", "vacancies (DEMAND)"),
    ("room_shortfall", "room shortfall (A19)"),
    ("at_home", "teachers at home"),
    ("doubled_periods", "doubled periods (A6.1)"),
    ("displaced", "displaced (A11)"),
    ("iep_spread", "IEP spread, worst school (A7.1)"),
    ("caseload_max", "largest caseload (A7.3)"),
    ("matrix_first_choice", "first choice granted (A9.1)"),
    ("matrix_none_granted", "no choice granted (A9.1)"),
    ("matrix_senior_without", "most senior without a choice\n(seniority #, 1 = most senior)"),
]
"""The effects charted (figure key, panel title), in reading order."""
NO_COST = "no cost in any run"
BASE_COLOR, RUN_COLOR = "#1f4e79", "#9dbbd9"
PANEL_COLUMNS = 5
DPI = 110


def plot_costs(cmp: Comparison, path: str | Path | None = None, ax=None):
    """The cost chart alone, on `ax`, or in a file at `path`, or on a new pyplot figure (a notebook). Returns the Axes."""
    if ax is None and path is not None:
        ax = _figure(_cost_size(cmp), layout="constrained").subplots()
    elif ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=_cost_size(cmp), layout="constrained")[1]
    draw_costs(cmp, ax)
    if path is not None:
        _save(ax.figure, path)
    return ax


def plot_effects(cmp: Comparison, path: str | Path | None = None):
    """The effects' small multiples alone (a Figure, saved to `path` if given); a figure of no panel says so."""
    return _plot(cmp, path, cost=False)


def plot_comparison(cmp: Comparison, path: str | Path | None = None):
    """The cost chart above the effects' small multiples, in one Figure (saved to `path` if given)."""
    return _plot(cmp, path, cost=True)


def _plot(cmp: Comparison, path: str | Path | None, cost: bool):
    """One Figure laid out by hand in inches (a layout engine costs seconds for a dozen panels): the cost chart on
    top when `cost` (its run names below it, rotated), then the effects' panels in rows of PANEL_COLUMNS, run names
    in a left margin."""
    keys = effect_keys(cmp)
    columns = min(PANEL_COLUMNS, max(len(keys), 1))
    names_w = 0.35 + 0.065 * max(len(run_label(cmp, n)) for n in cmp.names)
    panel_w, panel_h, gap = 2.1, 0.45 + 0.24 * len(cmp.names), 0.45
    cost_h = 4.6 if cost else 0.0
    width = max(names_w + columns * (panel_w + 0.25) + 0.2, _cost_size(cmp)[0] if cost else 0.0)
    height = cost_h + 0.5 + math.ceil(len(keys) / columns) * (panel_h + gap) + (0.0 if keys else 0.6)
    fig = _figure((width, height))

    def axes(left: float, bottom: float, w: float, h: float):
        return fig.add_axes((left / width, bottom / height, w / width, h / height))

    if cost:
        draw_costs(cmp, axes(0.8, height - cost_h + 1.6, width - 1.0, cost_h - 1.9))
    top = height - cost_h - 0.5
    caption = literal(f"Effects per scenario (base: {cmp.base}, dark)") if keys else \
        "no effect figure is known for these runs"
    fig.text(0.5, (top + (0.25 if keys else -0.2)) / height, caption, ha="center", fontsize=11 if keys else 10)
    titles = dict(EFFECTS)
    for i, key in enumerate(keys):
        row, col = divmod(i, columns)
        ax = axes(names_w + col * (panel_w + 0.25), top - (row + 1) * (panel_h + gap) + 0.1, panel_w, panel_h)
        _panel(cmp, ax, key, titles[key], names=col == 0)
    if path is not None:
        _save(fig, path)
    return fig


def draw_costs(cmp: Comparison, ax) -> None:
    """Stacked bars of the cost parts per run with the total above each; NO_COST in words when every total is $0."""
    names = cmp.names
    ax.set_title(literal(f"Cost per scenario (base: {cmp.base})"))
    if not any(number(cmp.figures.at["cost_total", n]) for n in names):
        ax.text(0.5, 0.5, NO_COST, ha="center", va="center", fontsize=13, color="#555555", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    x = range(len(names))
    bottom = [0.0] * len(names)
    for key, label in COST_PARTS:
        values = [number(cmp.figures.at[key, n]) for n in names]
        ax.bar(x, values, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values)]
    for i, n in enumerate(names):
        ax.annotate(literal(format_value("cost_total", cmp.figures.at["cost_total", n])), (i, bottom[i]),
                    ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(x), [run_label(cmp, n) for n in names], rotation=30, ha="right")
    ax.set_ylabel("US dollars")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_ylim(0, max(100.0, max(bottom) * 1.18))


def effect_keys(cmp: Comparison) -> list[str]:
    """The EFFECTS some run knows (a value that is not None), in EFFECTS order."""
    return [key for key, _ in EFFECTS if key in cmp.figures.index
            and any(number(cmp.figures.at[key, n], None) is not None for n in cmp.names)]


def _panel(cmp: Comparison, ax, key: str, title: str, names: bool) -> None:
    """One effect: a horizontal bar per run (base on top, dark), each labelled `value (change vs base)`; run names
    only when `names` (the left column)."""
    runs = cmp.names
    values = [number(cmp.figures.at[key, n], None) for n in runs]
    y = list(range(len(runs)))
    ax.barh(y, [v or 0.0 for v in values], color=[BASE_COLOR if n == cmp.base else RUN_COLOR for n in runs])
    for i, (name, v) in enumerate(zip(runs, values)):
        ax.text(v or 0.0, i, " " + literal(_bar_label(cmp, key, name, cmp.figures.at[key, name])), va="center",
                fontsize=7)
    ax.set_yticks(y, [run_label(cmp, n) for n in runs] if names else [], fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(runs) - 0.5, -0.5)  # the base on top
    ax.set_xlim(0, max([v for v in values if v is not None] + [0]) * 1.6 or 1.0)
    ax.set_xticks([])
    ax.set_title(title, fontsize=8)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)


def _bar_label(cmp: Comparison, key: str, name: str, value) -> str:
    """`13 (+4)` against the base; the value alone for the base or no change; a dash when unknown (`infeasible` for
    a run that found no plan)."""
    text = format_value(key, value)
    change = cmp.deltas.at[key, name] if name in cmp.deltas.columns else None
    return text + (f" ({format_value(key, change, sign=True)})" if number(change) else "")


def run_label(cmp: Comparison, name: str) -> str:
    return literal(name + (" (base)" if name == cmp.base else ""))


def literal(text: str) -> str:
    """Text matplotlib draws as written (a `$` would otherwise start mathematics)."""
    return str(text).replace("$", r"\$")


def _cost_size(cmp: Comparison) -> tuple[float, float]:
    return max(6.0, 1.1 * len(cmp.names) + 2), 4.2


def _figure(size: tuple[float, float], layout: str | None = None):
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout=layout)


def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=DPI, format="png")
    return buffer.getvalue()


def _save(fig, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png")
