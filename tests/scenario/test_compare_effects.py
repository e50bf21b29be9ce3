"""`scenario compare` shows what is not money too: the effects' small multiples under the cost chart, the HTML page,
and the matrix figures (A9.1), on runs made by hand from the tiny district (no solve).

The two hand-made runs share the tiny district's plan (tests/check/conftest.py: E1 and E2 hold grade-1 homerooms,
H1 teaches MA-ALG1 and MA-HALG1, H2 EN-9 and ELD-1) and differ in this spring's choices (matrix.csv). District
seniority: H1 #1 (2001), E1 #2 (2005), H2 #3 (2010), E2 #4 (2012), R1T #5 (2015).

- spring: E1 ranks grade 2, then grade 1 (granted its 2nd); E2 grade 1 (1st); H1 MA-ALG1 (1st); H2 MA-HALG1 (none).
  4 choosers, 2 first choices, 1 without: H2, seniority #3.
- autumn: E1 ranks grade 2, then grade 1 (2nd); E2 grade 2 (none); H1 EN-9 (none); H2 EN-9 (1st).
  4 choosers, 1 first choice, 2 without, the most senior H1, seniority #1.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.check.conftest import CONTRACT, Case
from vastaff.cli import app
from vastaff.io.plan import load_plan
from vastaff.scenario import compare_runs, plan_figures
from vastaff.scenario.charts import EFFECTS, NO_COST, effect_keys, plot_comparison, plot_costs
from vastaff.scenario.figures import LABELS

BLANK = {"grade": "", "course_id": "", "level": ""}
MATRIX_KEYS = ["matrix_teachers", "matrix_first_choice", "matrix_none_granted", "matrix_senior_without"]
SPRING = [("E1", 1, {"grade": "2"}), ("E1", 2, {"grade": "1"}), ("E2", 1, {"grade": "1"}),
          ("H1", 1, {"course_id": "MA-ALG1"}), ("H2", 1, {"course_id": "MA-HALG1"})]
AUTUMN = [("E1", 1, {"grade": "2"}), ("E1", 2, {"grade": "1"}), ("E2", 1, {"grade": "2"}),
          ("H1", 1, {"course_id": "EN-9"}), ("H2", 1, {"course_id": "EN-9"})]
BLOCKS = {
    # run.json `matrix` as nightly writes it: per school and level of record
    "spring": {"VA1": {"elementary": {"teachers_with_choices": 2, "first_choice": 1, "within_top3": 2, "none_granted": 0},
                       "high": {"teachers_with_choices": 2, "first_choice": 1, "within_top3": 1, "none_granted": 1}}},
    "autumn": {"VA1": {"elementary": {"teachers_with_choices": 2, "first_choice": 0, "within_top3": 1, "none_granted": 1},
                       "high": {"teachers_with_choices": 2, "first_choice": 1, "within_top3": 1, "none_granted": 1}}},
}


def hand_made_run(tmp_path: Path, name: str, choices: list, *, with_figures: bool, cost: float = 0.0,
                  description: str = "") -> tuple[Path, dict]:
    """A run folder RUNS/<name>/ (plan tables and run.json, as `scenario run` writes them) for the tiny district with
    `choices` as matrix.csv; run.json holds the matrix block and, `with_figures`, the figures the runner stores."""
    case = Case(tmp_path / f"case-{name}")
    case.tables["matrix"] = [{"teacher_id": t, "rank": r, **BLANK, **c} for t, r, c in choices]

    def edit(frames, run):
        run |= {"matrix": BLOCKS.get(name), "scenario": {"name": name, "description": description},
                "periods": {"doubled": 2 if name == "autumn" else 0}}
        run["costs"] = {"total": cost, "stipend": 0.0, "multigrade": cost, "xtime": 0.0}

    folder = (case.write_plan(edit, name=f"../runs/{name}")).resolve()
    figures = plan_figures(load_plan(folder), case.district(), CONTRACT)
    if with_figures:
        run = json.loads((folder / "run.json").read_text())
        (folder / "run.json").write_text(json.dumps(run | {"figures": figures}))
    return folder, figures


@pytest.fixture
def runs(tmp_path) -> Path:
    """RUNS/ with the two hand-made runs, their figures stored; autumn costs $1,200."""
    hand_made_run(tmp_path, "spring", SPRING, with_figures=True)
    hand_made_run(tmp_path, "autumn", AUTUMN, with_figures=True, cost=1200.0)
    return tmp_path / "runs"


def test_matrix_figures_read_the_plan_as_the_checker_does(tmp_path):
    _, spring = hand_made_run(tmp_path, "spring", SPRING, with_figures=False)
    _, autumn = hand_made_run(tmp_path, "autumn", AUTUMN, with_figures=False)
    assert [spring[k] for k in MATRIX_KEYS] == [4, 2, 1, 3]
    assert [autumn[k] for k in MATRIX_KEYS] == [4, 1, 2, 1]
    assert autumn["doubled_periods"] == 2 and spring["doubled_periods"] == 0


def test_without_the_data_the_counts_come_from_run_json_and_the_seniority_is_unknown(tmp_path):
    spring, _ = hand_made_run(tmp_path, "spring", SPRING, with_figures=False)
    autumn, _ = hand_made_run(tmp_path, "autumn", AUTUMN, with_figures=False)
    cmp = compare_runs([spring, autumn])
    assert cmp.base == "spring"
    assert cmp.figures.loc[MATRIX_KEYS, "spring"].tolist() == [4, 2, 1, None]
    assert cmp.figures.loc[MATRIX_KEYS, "autumn"].tolist() == [4, 1, 2, None]
    assert cmp.deltas.loc[MATRIX_KEYS, "autumn"].tolist() == [0, -1, 1, None]


def test_stored_figures_win_and_show_who_lost_out(runs):
    cmp = compare_runs(runs, base="spring")
    assert cmp.figures.loc[MATRIX_KEYS, "autumn"].tolist() == [4, 1, 2, 1]
    assert cmp.deltas.at["matrix_senior_without", "autumn"] == -2  # from H2 (#3) to H1 (#1)
    assert cmp.deltas.at["doubled_periods", "autumn"] == 2


def test_no_matrix_no_matrix_figure_and_no_panel(tmp_path):
    folder = Case(tmp_path).write_plan(lambda f, run: run.update(scenario={"name": "plain"}))
    cmp = compare_runs([folder])
    assert cmp.figures.loc[MATRIX_KEYS, "plain"].tolist() == [None] * 4
    assert effect_keys(cmp) == ["vacancies", "at_home"]  # a bare plan: no data, no people figures in run.json


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_png_has_the_cost_chart_and_a_panel_per_known_effect(runs, tmp_path):
    cmp = compare_runs(runs, base="spring")
    keys = effect_keys(cmp)
    # the hand-made plans hold no IEP meetings and no caseloads: no panel for them
    assert keys == ["vacancies", "room_shortfall", "at_home", "doubled_periods", "matrix_first_choice",
                    "matrix_none_granted", "matrix_senior_without"]
    fig = plot_comparison(cmp, tmp_path / "out" / "c.png")
    assert [ax.get_title() for ax in fig.axes] == ["Cost per scenario (base: spring)"] + [dict(EFFECTS)[k] for k in keys]
    panel = fig.axes[-1]
    assert [t.get_text().strip() for t in panel.texts] == ["3", "1 (-2)"]  # the value, and the change against the base
    assert [round(p.get_width()) for p in panel.patches] == [3, 1]
    assert panel.patches[0].get_facecolor() != panel.patches[1].get_facecolor()  # the base stands out
    width, height = png_size((tmp_path / "out" / "c.png").read_bytes())
    assert width > 1000 and height > 700 and (tmp_path / "out" / "c.png").stat().st_size > 30_000


def test_a_cost_chart_without_cost_says_so_instead_of_empty_bars(tmp_path):
    hand_made_run(tmp_path, "spring", SPRING, with_figures=True)
    hand_made_run(tmp_path, "autumn", AUTUMN, with_figures=True)
    cmp = compare_runs(tmp_path / "runs")
    ax = plot_costs(cmp, tmp_path / "costs.png")
    assert [t.get_text() for t in ax.texts] == [NO_COST] and len(ax.patches) == 0


def test_a_costly_run_gets_stacked_bars_and_its_total(runs, tmp_path):
    ax = plot_costs(compare_runs(runs, base="spring"), tmp_path / "costs.png")
    assert [t.get_text() for t in ax.texts] == [r"\$0", r"\$1,200"]
    assert len(ax.patches) == 3 * 2  # three cost parts, two runs


def test_the_html_page_names_every_run_and_figure(runs, tmp_path):
    page = compare_runs(runs, base="spring").to_html(tmp_path / "c.html")
    assert (tmp_path / "c.html").read_text(encoding="utf-8") == page
    for label in LABELS.values():
        assert f">{label.strip()}</td>" in page
    assert "<th class=\"num base\">spring (base)</th>" in page and "<th class=\"num\">autumn</th>" in page
    assert page.count('src="data:image/png;base64,') == 1 and "http" not in page.replace("http-equiv", "")
    assert '<span class="change moved">(-2)</span>' in page  # the most senior without a choice: 3 -> 1


def test_the_html_page_shows_names_and_descriptions_literally(tmp_path):
    hand_made_run(tmp_path, "spring", SPRING, with_figures=True)
    folder, _ = hand_made_run(tmp_path, "autumn", AUTUMN, with_figures=True, description="<script>alert(1)</script>")
    run = json.loads((folder / "run.json").read_text())
    run["scenario"]["name"] = "<b>x</b> $5 & co"
    (folder / "run.json").write_text(json.dumps(run))
    cmp = compare_runs(tmp_path / "runs", base="spring")
    page = cmp.to_html()
    assert "&lt;b&gt;x&lt;/b&gt; $5 &amp; co" in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    plot_comparison(cmp, tmp_path / "c.png")  # `$` in a name is drawn as text, not read as mathematics


def test_compare_writes_only_the_files_named(runs, tmp_path):
    out = tmp_path / "out"
    before = sorted(p.relative_to(runs) for p in runs.rglob("*"))
    result = CliRunner().invoke(app, ["scenario", "compare", str(runs), "--base", "spring", "--png",
                                      str(out / "c.png"), "--html", str(out / "c.html")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [f"Wrote {out / 'c.png'}", f"Wrote {out / 'c.html'}"]
    assert sorted(p.name for p in out.iterdir()) == ["c.html", "c.png"]
    assert "spring (base)" in (out / "c.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["scenario", "compare", str(runs), "--png", str(out / "only.png")])
    assert result.exit_code == 0 and sorted(p.name for p in out.iterdir()) == ["c.html", "c.png", "only.png"]
    assert sorted(p.relative_to(runs) for p in runs.rglob("*")) == before


def test_an_html_path_that_is_a_folder_is_refused_before_anything_is_written(runs, tmp_path):
    (tmp_path / "taken.html").mkdir()
    result = CliRunner().invoke(app, ["scenario", "compare", str(runs), "--png", str(tmp_path / "c.png"), "--html",
                                      str(tmp_path / "taken.html")])
    assert result.exit_code == 2 and "is a folder, not a file" in result.stderr
    assert not (tmp_path / "c.png").exists()
