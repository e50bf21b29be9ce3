"""`--time-limit` is bounded like every other number: 0.1 s to one day (86,400 s, a scenario file's bound too).

Before, `--time-limit inf` was accepted by solve, meetings and scenario run: an unbounded search, and
`"time_limit": Infinity` in run.json, which is not JSON (Node's JSON.parse and other strict readers refuse it).
Now inf, nan, 1e12 and 0 are one line and exit 2, nothing written.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from tests.scenario.conftest import write_scenario
from vastaff.cli.common import check_time_limit
from vastaff.errors import InputError
from vastaff.schemas.fields import TIME_LIMIT_RANGE

EXPECTED = "expected a number of seconds from 0.1 to 86,400 (one day)"


def cli(*args) -> object:
    from vastaff.cli import app
    return CliRunner().invoke(app, [*map(str, args)])


@pytest.mark.parametrize("command", ["solve", "meetings"])
@pytest.mark.parametrize("value, shown", [("inf", "inf"), ("nan", "nan"), ("1e12", "1e+12"), ("0", "0"),
                                          ("86401", "86401")])
def test_an_unbounded_time_limit_is_one_line_and_exit_2(tiny_dir, tmp_path, command, value, shown):
    result = cli(command, tiny_dir, "--out", tmp_path / "plan", "--time-limit", value, "--store", "off")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"--time-limit: got {shown!r}, {EXPECTED}",
                                          "1 input problem(s); nothing was written."]
    assert not (tmp_path / "plan").exists()


def test_the_bounds_themselves_are_accepted():
    for seconds in (None, 0.1, 20.0, 86_400):
        check_time_limit(seconds)
    with pytest.raises(InputError):
        check_time_limit(float("-inf"))


def test_one_bound_for_the_option_and_the_scenario_files():
    from vastaff.scenario.schema import MAX_TIME_LIMIT

    assert TIME_LIMIT_RANGE[1] == MAX_TIME_LIMIT == 86_400


def test_scenario_run_refuses_an_infinite_time_limit(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    scenario = write_scenario(tmp_path / "sc", "base", data)
    result = cli("scenario", "run", scenario, "--out", tmp_path / "runs", "--time-limit", "inf", "--store", "off")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == f"--time-limit: got 'inf', {EXPECTED}"
    assert not (tmp_path / "runs").exists()
