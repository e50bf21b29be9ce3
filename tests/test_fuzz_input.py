"""Fuzz: adversarial text in a few cells of data/sample never crashes `vastaff solve`.

Each example copies data/sample, puts adversarial strings (huge numbers, 1e30, negatives, blanks, unicode, quotes,
line breaks, formula prefixes, very long text) into one to three cells, written either as a CSV writer quotes them
or raw into the line (so a quote may open and never close), and runs `vastaff solve DATA --out PLAN --time-limit 3`
in-process. Whatever the cell: exit 0 (a plan), 2 (invalid input, nothing written under --out) or 3 (valid data
the contract cannot staff: a course's credential changed so that an IEP meeting's grade has no teacher), no
traceback, within a time bound. Deterministic (derandomize) so CI sees the same examples every run.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vastaff.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
TABLES = {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(SAMPLE.glob("*.csv"))}
SECONDS = 25  # per example: load, a 3-s search, write; generous for a shared 2-core machine

ADVERSARIAL = st.sampled_from([
    "1e30", "-1e30", "1E+20", "99999999999999999999999", "9" * 5000, "-1", "-0", "0", "", " ", "1e400", "NaN",
    "inf", "1.5", "0x10", "٣", "Ω", "名前", "\u202e", "\x00", '"', '""', '"unclosed', 'a"b', "a\nb", "a\r\nb", "a,b",
    ";", "x;", '=HYPERLINK("http://x")', "+1", "@SUM(1)", "-2+3", "x" * 100_000, "TRUE", "2026-02-30",
    "0000-01-01", "25:61", "homeroom", "VA01", "T00001", "WC01",
])
CELLS = ADVERSARIAL | st.integers(-(10**25), 10**25).map(str) | st.text(max_size=12)


@st.composite
def mutations(draw) -> list[tuple[str, int, int, str, bool]]:
    """One to three (file, data line, column, value, raw) edits of data/sample: adversarial values, or (half the
    examples) values from the same column of another row: valid cells in odd combinations, which reach the solver."""
    swaps = draw(st.booleans())
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(TABLES)))
        lines = TABLES[name]
        line, other = draw(st.integers(1, len(lines) - 1)), draw(st.integers(1, len(lines) - 1))
        column = draw(st.integers(0, lines[0].count(",")))
        value = lines[other].split(",")[column] if swaps else draw(CELLS)
        edits.append((name, line, column, value, draw(st.booleans())))
    return edits


def mutated(folder: Path, edits: list[tuple[str, int, int, str, bool]]) -> Path:
    """data/sample with the edits; `raw` puts the text into the line as is (the sample holds no quotes)."""
    tables = {name: list(lines) for name, lines in TABLES.items()}
    for name, line, column, value, raw in edits:
        cells = tables[name][line].split(",")
        cells[column] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        tables[name][line] = ",".join(cells) if raw else out.getvalue()
    folder.mkdir()
    for name, lines in tables.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@settings(max_examples=24, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edits=mutations())
def test_solve_on_mutated_sample_exits_0_2_or_3_without_traceback(edits):
    with tempfile.TemporaryDirectory() as tmp:
        data, out = mutated(Path(tmp) / "data", edits), Path(tmp) / "plan"
        start = time.perf_counter()
        result = CliRunner().invoke(app, ["solve", str(data), "--out", str(out), "--time-limit", "3",
                                          "--processes", "1"])
        seconds = time.perf_counter() - start
        event(f"exit {result.exit_code}")  # pytest --hypothesis-show-statistics: how many reached the solver
        shown = [(name, line, column, value[:40], raw) for name, line, column, value, raw in edits]
        assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
        assert "Traceback" not in result.stdout + result.stderr, shown
        assert result.exit_code in (0, 2, 3), (shown, result.exit_code, result.stderr[-2000:])
        if result.exit_code == 2:
            assert not out.exists(), shown
            assert result.stderr.splitlines()[-1].endswith("input problem(s); nothing was written."), shown
        elif result.exit_code == 3:  # valid data the contract cannot staff, e.g. a grade no teacher may teach now
            assert result.stderr.splitlines()[-1].startswith("INFEASIBLE: "), shown
        else:
            assert (out / "sections.csv").is_file(), shown
        assert seconds < SECONDS, (shown, seconds)
