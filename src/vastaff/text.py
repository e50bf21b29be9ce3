"""Free text (names, titles, IDs) made safe for the files people open: spreadsheets, Markdown, HTML, terminals.

Teacher names, course titles and even IDs are typed by people, so they may hold anything. These helpers only
change how a value is *shown*; the plan's CSV files (sections.csv, ...) are data and stay raw.

- `for_spreadsheet`: a text cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`,
  a tab or a carriage return) gets a leading `'`, as OWASP recommends against CSV injection. Numbers, and text
  that is just a number such as `-3`, are left alone.
- `markdown_cell` / `markdown_text`: Markdown's active characters escaped, line breaks kept out of table rows.
- `html_text`: the standard library's `html.escape`, quotes included.
- `for_terminal`: rich markup (`[bold]`, `[/]`) shown literally instead of styling or crashing the table.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from rich.markup import escape as _rich_escape

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>|~&])")


def for_spreadsheet(value):
    """`value`, with a leading `'` when it is text a spreadsheet would read as a formula; anything else as is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def frame_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and column name passed through `for_spreadsheet`."""
    return frame.map(for_spreadsheet).rename(columns=for_spreadsheet)


def markdown_text(value) -> str:
    """`value` as literal Markdown text on one line: active characters backslash-escaped, line breaks as spaces."""
    return " ".join(_escape_markdown(value).splitlines())


def markdown_cell(value) -> str:
    """`value` as the literal content of one Markdown table cell: escaped, each line break as `<br>`."""
    return "<br>".join(_escape_markdown(value).splitlines())


def _escape_markdown(value) -> str:
    return _MARKDOWN_ACTIVE.sub(r"\\\1", "" if value is None else str(value))


def html_text(value) -> str:
    """`value` as HTML text or attribute value: `&`, `<`, `>`, `"` and `'` escaped (html.escape)."""
    return html.escape("" if value is None else str(value), quote=True)


def for_terminal(value) -> str:
    """`value` as literal text in a rich table or print: markup such as `[red]` is escaped, not applied."""
    return _rich_escape("" if value is None else str(value))
