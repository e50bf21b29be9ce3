"""The commands' help (cli/common.py `reflow_help`): paragraphs reflowed to the terminal, examples kept as written."""

from __future__ import annotations

from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.cli.common import reflowed

runner = CliRunner()


def _help(*args: str) -> list[str]:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    return [line.strip("│ ").rstrip() for line in result.output.splitlines()]


def test_reflowed_joins_a_paragraphs_lines_and_keeps_indented_examples():
    doc = """Write the files for a plan, with the
    checker's verdict inside.

    Example:
      vastaff report data/sample plans/sample
      vastaff check data/sample plans/sample
    """
    assert reflowed(doc) == ("Write the files for a plan, with the checker's verdict inside.\n\nExample:\n"
                             "  vastaff report data/sample plans/sample\n  vastaff check data/sample plans/sample")


def test_the_command_list_wraps_a_commands_help_at_the_terminal_not_at_its_source_lines():
    lines = _help()
    report = next(i for i, line in enumerate(lines) if line.startswith("report "))
    # the docstring's first line ends at "checker's"; unreflowed, "verdict inside." began a line of its own
    assert lines[report + 1] == "a plan, with the independent checker's verdict inside."


def test_a_commands_description_wraps_at_the_terminal():
    lines = _help("scenario", "run")
    assert "failing scenario (a patch that selects nothing, invalid patched data, an" in lines
    assert "vastaff scenario run scenarios/*.yaml --out runs/sample --time-limit 20" in lines  # the example's own line


def test_square_brackets_in_an_options_help_are_shown_not_read_as_markup():
    assert any("'vastaff[cluster]'" in line for line in _help("solve"))
    assert any("'vastaff[cluster]'" in line for line in _help("scenario", "run"))


def test_a_flag_shows_no_value_type_an_option_with_a_value_does():
    """`--names` takes no value (`--names true` is a usage error): typer would show it as `--names <bool>`."""
    lines = _help("check")
    names = next(line for line in lines if line.startswith("--names"))
    model = next(line for line in lines if line.startswith("--model"))
    assert "<bool>" not in names and "<path>" in model
    version = next(line for line in _help() if line.startswith("--version"))
    assert "<bool>" not in version


def test_arguments_are_named_as_the_help_texts_name_them():
    """The help texts say DATA, PLAN, OUT: the usage line and the arguments table name them so (typer: `{data}`)."""
    assert next(line for line in _help("check") if line.startswith("Usage:")).endswith("check [OPTIONS] {DATA} {PLAN}")
    assert any(line.split()[:3] == ["*", "DATA", "<path>"] for line in _help("solve"))


COMMANDS = [["solve"], ["check"], ["report"], ["explain"], ["diff"], ["history"], ["displace"], ["meetings"],
            ["generate"], ["validate"], ["rules"], ["scenario", "run"], ["scenario", "sweep"], ["scenario", "compare"]]


def test_every_command_says_its_exit_codes_last_below_its_options():
    """One place in every help: the exit codes after the options table (they once sat above it in some commands)."""
    for command in COMMANDS:
        lines = _help(*command)
        options = next(i for i, line in enumerate(lines) if line.startswith("╭─ Options"))
        codes = [i for i, line in enumerate(lines) if line.startswith("Exit codes:")]
        assert len(codes) == 1 and codes[0] > options, (command, codes, options)
