"""A small hand-written SVG helper: horizontal bar charts rendered on the server.

Every chart is decorative beside a table with the same figures (``aria-hidden``); the table is what
assistive technology reads and where the links are. Text is escaped; no script, no external
resources, so the content security policy allows it inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 250
CHART_WIDTH = 680
#: GOV.UK colours: blue, red (over a limit), and the mid grey of the limit line.
BLUE = "#1d70b8"
RED = "#d4351c"
GREY = "#505a5f"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    limit: float | None = None
    text: str = ""


def bar_chart(bars: Sequence[Bar], *, title: str) -> Markup:
    """Bars against an optional limit each (e.g. a worker's load against their ceiling)."""
    if not bars:
        return Markup("")
    top = max(max(b.value, b.limit or 0) for b in bars) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - 70
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="oversight-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-hidden="true" focusable="false" width="100%" viewBox="0 0 {CHART_WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, b in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(1.0, plot * b.value / top) if b.value else 0
        over = b.limit is not None and b.value > b.limit
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="14" '
            f'fill="#0b0c0c">{escape(b.label if len(b.label) <= 30 else b.label[:29] + "…")}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{RED if over else BLUE}"/>'
        )
        if b.limit is not None:
            x = LABEL_WIDTH + plot * b.limit / top
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" y2="{y + BAR_HEIGHT + 2}" '
                f'stroke="{GREY}" stroke-width="3"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}" font-size="14" '
            f'fill="#0b0c0c">{escape(b.text or str(b.value))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above
