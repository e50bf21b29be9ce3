"""The comparison as one self-contained HTML page (`vastaff scenario compare --html FILE.html`).

Top to bottom: the runs (status, contract model, what each asks), the figure table (a row per figure, a column per
run, the change against the base in brackets), the chart of `--png` embedded as a base64 PNG, a sweep's cost curves
(`vastaff scenario sweep`; embedded the same way), and who changes,
teacher by teacher (counts per run and kind of change, then the first LIST_LIMIT changes). Nothing is fetched when
the page opens. The page is written only when asked for (`--html FILE`), never beside `--png` by default: the
command writes the files it is given and nothing else, so it can never replace a page of the same name.

Run names, descriptions, IDs and statuses are free text read from run folders: the page is a Jinja2 template
(`scenario/templates/`) with autoescape on, so each shows literally (a run named `<b>x</b>` is that text, not bold).
"""

from __future__ import annotations

import base64
import functools
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from vastaff.scenario.figures import FORMATS, LABELS, format_value, number

if TYPE_CHECKING:
    from vastaff.scenario.compare import Comparison, RunData

LIST_LIMIT = 300
"""Per-teacher changes listed on the page; `--diff FILE.csv` holds them all."""


def comparison_html(cmp: Comparison, curves: bytes | None = None, curves_alt: str = "", title: str | None = None) -> str:
    """The whole page for the comparison; with `curves` (a PNG: a sweep's cost curves, `curves_alt` its text) a
    section of them after the charts."""
    return _environment().get_template("compare.html").render(
        title=title or f"Scenarios side by side (base: {cmp.base})", base=cmp.base,
        runs=[run_view(cmp, r) for r in cmp.runs], rows=figure_rows(cmp), chart_png=chart_png(cmp),
        chart_alt=_chart_alt(cmp), changes=change_view(cmp),
        curves_png=base64.b64encode(curves).decode("ascii") if curves else "", curves_alt=curves_alt)


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("vastaff.scenario", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def run_view(cmp: Comparison, r: RunData) -> dict:
    """One run's line: name, status, contract model (and whether it is hypothetical), description, folder."""
    scenario = r.run.get("scenario") if isinstance(r.run.get("scenario"), dict) else {}
    return {"name": r.label, "is_base": r.label == cmp.base, "status": _text(r.run.get("status")),
            "model": _text(scenario.get("contract_model") or r.run.get("contract_model")),
            "hypothetical": bool(scenario.get("hypothetical")), "description": _text(scenario.get("description")),
            "folder": str(r.folder)}


def figure_rows(cmp: Comparison) -> list[dict]:
    """A row per figure: its label (`sub` for the indented parts of a figure above) and a cell per run."""
    rows = []
    for key in cmp.figures.index:
        label = LABELS.get(key, key)
        cells = []
        for name in cmp.names:
            change = cmp.deltas.at[key, name] if name in cmp.deltas.columns else None
            shown = FORMATS.get(key, "int") != "text" and number(change, None) is not None
            cells.append({"value": format_value(key, cmp.figures.at[key, name]), "base": name == cmp.base,
                          "change": format_value(key, change, sign=True) if shown else "",
                          "moved": bool(number(change))})
        rows.append({"label": label.strip(), "sub": label.startswith(" "), "cells": cells})
    return rows


def chart_png(cmp: Comparison) -> str:
    """The `--png` chart (costs above the effects) as base64 PNG."""
    return base64.b64encode(cmp.chart_png()).decode("ascii")


def _chart_alt(cmp: Comparison) -> str:
    totals = ", ".join(f"{n} {format_value('cost_total', cmp.figures.at['cost_total', n])}" for n in cmp.names)
    return f"Cost per scenario ({totals}) and, below, one panel per effect with a bar per scenario"


def change_view(cmp: Comparison) -> dict:
    """Per run: teachers affected and changes per kind; then the first LIST_LIMIT changes."""
    d = cmp.teacher_diff
    if d.empty:
        return {"counts": [], "kinds": [], "rows": [], "more": 0, "unknown": unknown_base(cmp)}
    kinds = [k for k in d["what"].drop_duplicates()]
    counts = []
    for scenario, part in d.groupby("scenario", sort=False):
        per_kind = part.groupby("what")["teacher_id"].size()
        counts.append({"scenario": scenario, "teachers": part["teacher_id"].nunique(),
                       "per_kind": [int(per_kind.get(k, 0)) for k in kinds]})
    rows = d.head(LIST_LIMIT)[["scenario", "teacher_id", "school_id", "summary"]].astype(str).to_dict("records")
    return {"counts": counts, "kinds": kinds, "rows": rows, "more": max(0, len(d) - LIST_LIMIT), "unknown": None}


def unknown_base(cmp: Comparison) -> str | None:
    """Why no teacher can be compared with the base — it made no plan — or None when it did."""
    base = cmp.runs[0]
    return None if base.ok else (f"Who changes cannot be known: the base run {cmp.base} made no plan "
                                 f"({base.run.get('status', 'no status')}).")


def _text(v: object) -> str:
    return "" if v is None else str(v)
