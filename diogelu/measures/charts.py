"""Small server-side SVG charts. Each chart is drawn beside a table of the same figures, so the
SVG is decoration for sighted readers (``role="img"`` with a text alternative) and the table is
the accessible version."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

_W, _H, _PAD = 560, 200, 36


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def trend_svg(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    target: float | None = None,
    percent: bool = True,
    width: int = _W,
    height: int = _H,
    pad: int = _PAD,
    labels: bool = True,
) -> Markup:
    """A line chart of ``points`` (label, value or None), with a dashed target line."""
    values = [v for _, v in points if v is not None]
    top = 100.0 if percent else max([*values, target or 0, 1.0])
    if not percent:
        top = top * 1.15
    inner_w = width - 2 * pad
    inner_h = height - 2 * pad
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return pad + inner_w * i / n

    def y(v: float) -> float:
        return pad + inner_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="dgl-chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{pad}" y="{pad}" width="{inner_w}" height="{inner_h}" fill="#f3f2f1"/>',
    ]
    for frac in (0, 0.5, 1) if labels else ():
        gy = pad + inner_h * (1 - frac)
        label = _fmt(top * frac) + ("%" if percent else "")
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="#b1b4b6"/>'
            f'<text x="{pad - 4}" y="{gy + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#0b0c0c">{label}</text>'
        )
    if target is not None:
        ty = y(target)
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{ty:.1f}" y2="{ty:.1f}" '
            'stroke="#1d70b8" stroke-dasharray="6 4" stroke-width="2"/>'
        )
    path: list[str] = []
    for i, (_, v) in enumerate(points):
        if v is None:
            continue
        path.append(f"{'M' if not path else 'L'}{x(i):.1f},{y(v):.1f}")
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="#0b0c0c"/>')
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="#0b0c0c" stroke-width="2"/>')
    step = max(1, len(points) // 6)
    for i, (label, _) in enumerate(points if labels else []):
        if i % step == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 10}" font-size="11" text-anchor="middle" '
                f'fill="#0b0c0c">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def sparkline_svg(values: Sequence[float | None], *, title: str, percent: bool = True) -> Markup:
    """A small line without axes, for a table cell."""
    return trend_svg(
        [("", v) for v in values],
        title=title,
        percent=percent,
        width=140,
        height=40,
        pad=4,
        labels=False,
    )
