"""The report's charts as inline SVG, written by hand from plain numbers (no network, no script, no plotting library).

Hand-made SVG rather than matplotlib: a chart here is a few dozen elements, so each costs microseconds and a few
kilobytes, where a matplotlib figure costs ~0.1 s and ~50 kB of glyph paths; a 20,000-teacher district has two charts
per school. Every chart is sized by its number of rows or bins, never by the number of sections or teachers, so
the page stays small however large the district.

Each chart is an `<svg class="chart" role="img">` with an `aria-label` and a `<title>`; every piece of text in it is
escaped (`markupsafe.escape`), and the chart is returned as `Markup` so the template can place it without `|safe`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from vastaff.people.wording import counted

WIDTH = 560           # two charts side by side on a laptop's page
LABEL_WIDTH = 120      # the left margin holding row labels
ROW_HEIGHT = 64        # one band and semester in the class-size chart
AXIS_HEIGHT = 28
PLOT_HEIGHT = 150      # the histogram's and the cost chart's drawing height
BAR_GAP = 2


@dataclass(frozen=True)
class SizeRow:
    """One band and semester of a school: how many sections hold each enrollment, their mean and the A8.1 limit."""

    label: str
    sizes: Mapping[int, int]     # enrollment -> number of sections with it
    mean: float
    limit: float | None


def _tag(name: str, attrs: dict, body: str = "") -> str:
    """One SVG element; attribute values escaped, `body` already markup."""
    text = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f"<{name}{text}>{body}</{name}>"


def _text(x: float, y: float, label: object, **attrs) -> str:
    return _tag("text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **attrs}, str(escape(label)))


def _line(x1: float, y1: float, x2: float, y2: float, class_: str) -> str:
    return _tag("line", {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}", "class": class_})


def _rect(x: float, y: float, w: float, h: float, class_: str, tip: str) -> str:
    return _tag("rect", {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{max(w, 0):.1f}", "height": f"{max(h, 0):.1f}",
                         "class": class_}, _tag("title", {}, str(escape(tip))))


def _svg(title: str, height: float, body: list[str]) -> Markup:
    """The chart's frame: a titled, labelled, scalable SVG of the page's width."""
    head = (f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{WIDTH}" height="{height:.0f}" xmlns="http://www.w3.org/2000/svg">')
    return Markup(head + _tag("title", {}, str(escape(title))) + "".join(body) + "</svg>")


def class_size_chart(title: str, rows: list[SizeRow]) -> Markup:
    """A8.1 per school: for each band and semester, a bar per enrollment (its height the number of sections of that
    size), a solid line at the mean class and a dashed one at the band's mean limit."""
    sizes = [v for r in rows for v in r.sizes] or [0]   # the axis starts at the multiple of 5 below everything
    top = int(max(sizes + [r.limit or 0 for r in rows] + [1])) + 2
    low = 5 * (min(sizes + [r.mean for r in rows] + [r.limit for r in rows if r.limit is not None]) // 5)
    span = WIDTH - LABEL_WIDTH - 20
    x = lambda v: LABEL_WIDTH + (v - low + 1) / (top - low + 1) * span  # noqa: E731 - the chart's one scale
    body = []
    for i, row in enumerate(rows):
        body += _size_row(row, i * ROW_HEIGHT, x, span / (top - low + 1))
    bottom = len(rows) * ROW_HEIGHT
    body.append(_line(LABEL_WIDTH, bottom, WIDTH - 20, bottom, "axis"))
    for tick in range(int(low), top + 1, 5):
        body.append(_text(x(tick), bottom + 16, tick, class_="tick"))
    body.append(_text(WIDTH - 20, bottom + AXIS_HEIGHT - 2, "students per section", class_="axis-label end"))
    return _svg(title, bottom + AXIS_HEIGHT + 4, body)


def _size_row(row: SizeRow, y0: float, x, unit: float) -> list[str]:
    """One band and semester: its label, its bars, its mean and limit lines."""
    most = max(row.sizes.values(), default=1)
    base, height = y0 + ROW_HEIGHT - 8, ROW_HEIGHT - 24
    sections = sum(row.sizes.values())
    out = [_text(4, y0 + ROW_HEIGHT / 2, row.label, class_="row-label"),
           _text(4, y0 + ROW_HEIGHT / 2 + 14, counted(sections, "section"), class_="row-note")]
    for size, count in sorted(row.sizes.items()):
        h = count / most * height
        out.append(_rect(x(size) - unit / 2 + BAR_GAP / 2, base - h, unit - BAR_GAP, h, "bar",
                         f"{counted(count, 'section')} of {counted(size, 'student')}"))
    # each line's label on the side away from the other line, so the two never overlap
    over = row.limit is not None and row.mean > row.limit
    out.append(_line(x(row.mean), y0 + 4, x(row.mean), base, "mean"))
    out.append(_text(x(row.mean) + (3 if over else -3), y0 + 12, f"mean {row.mean:.1f}",
                     class_="mean-label " + ("start" if over else "end")))
    if row.limit is not None:
        out.append(_line(x(row.limit), y0 + 4, x(row.limit), base, "limit over" if over else "limit"))
        out.append(_text(x(row.limit) + (-3 if over else 3), y0 + 12, f"limit {row.limit:g}",
                         class_="limit-label " + ("end over" if over else "start")))
    return out


def histogram_chart(title: str, counts: Mapping[int, int], x_noun: str, y_noun: str) -> Markup:
    """A bar per value (0 up to the largest), its height the number of people with that value, the count above it;
    `x_noun`, `y_noun` singular ('section', 'teacher': '1 teacher with 3 sections')."""
    values = range(0, max(counts, default=0) + 1)
    most = max(counts.values(), default=0) or 1
    slot = (WIDTH - 60) / len(values)
    base = PLOT_HEIGHT + 20
    body = [_line(40, base, WIDTH - 20, base, "axis")]
    for i, v in enumerate(values):
        n = counts.get(v, 0)
        h = n / most * PLOT_HEIGHT
        left = 40 + i * slot
        tip = f"{counted(n, y_noun)} with {counted(v, x_noun)}"
        body.append(_rect(left + BAR_GAP, base - h, slot - 2 * BAR_GAP, h, "bar", tip))
        if n:
            body.append(_text(left + slot / 2, base - h - 3, n, class_="count"))
        body.append(_text(left + slot / 2, base + 16, v, class_="tick"))
    body.append(_text(WIDTH - 20, base + AXIS_HEIGHT + 4, x_noun + "s", class_="axis-label end"))
    return _svg(title, base + AXIS_HEIGHT + 10, body)


def cost_chart(title: str, costs: Mapping[str, float]) -> Markup:
    """A horizontal bar per kind of cost, its dollar amount beside it (the caller says so in words when all are $0)."""
    most = max(costs.values(), default=0) or 1
    row = 36
    span = WIDTH - LABEL_WIDTH - 120
    body = []
    for i, (label, amount) in enumerate(costs.items()):
        y = 8 + i * row
        body.append(_text(4, y + row / 2, label, class_="row-label"))
        w = amount / most * span
        body.append(_rect(LABEL_WIDTH, y + 6, w, row - 14, "bar", f"{label}: ${amount:,.2f}"))
        body.append(_text(LABEL_WIDTH + w + 6, y + row / 2, f"${amount:,.2f}", class_="count start"))
    return _svg(title, 16 + len(costs) * row, body)
