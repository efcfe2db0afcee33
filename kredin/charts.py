"""Geometry for the small server-rendered SVG charts: whole SVG units for a template to draw.

Pages draw charts as inline SVG (no JavaScript, no outside library) and put the same figures
in a table beside them, so the chart only has to look right. Amounts stay Decimal until they
become positions: whole units are fine enough for a chart and keep money out of float.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH, HEIGHT = 600, 180
# Room under the axis for the labels, and above the highest bar or point.
BOTTOM, TOP = 20, 10
GAP = 16


@dataclass(frozen=True)
class Segment:
    key: str
    value: Decimal
    y: int
    height: int


@dataclass(frozen=True)
class Column:
    label: Any
    x: int
    width: int
    label_x: int
    segments: list[Segment]

    @property
    def total(self) -> Decimal:
        return sum((segment.value for segment in self.segments), Decimal(0))


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    axis_y: int
    columns: list[Column]


def column_chart(
    columns: Sequence[tuple[Any, Sequence[tuple[str, Decimal]]]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    gap: int = GAP,
) -> ColumnChart:
    """One column per (label, [(key, value), ...]); several values stack, the first lowest.

    Heights are scaled to the tallest column. A lone negative value (a credit) is drawn by
    its size, since the table beside the chart carries the sign; in a stack it is left out,
    as it cannot sit on top of the others.
    """
    axis_y = height - BOTTOM
    drawable = axis_y - TOP

    def drawn_size(value: Decimal, values: Sequence) -> Decimal:
        return abs(value) if len(values) == 1 else max(value, Decimal(0))

    tallest = max(
        (sum((drawn_size(v, values) for _, v in values), Decimal(0)) for _, values in columns),
        default=Decimal(0),
    )
    slot = width // max(1, len(columns))
    drawn = []
    for index, (label, values) in enumerate(columns):
        base = axis_y
        segments = []
        for key, value in values:
            size = int(drawn_size(value, values) * drawable / tallest) if tallest else 0
            base -= size
            segments.append(Segment(key=key, value=value, y=base, height=size))
        drawn.append(
            Column(
                label=label,
                x=index * slot + gap // 2,
                width=slot - gap,
                label_x=index * slot + slot // 2,
                segments=segments,
            )
        )
    return ColumnChart(width=width, height=height, axis_y=axis_y, columns=drawn)


@dataclass(frozen=True)
class Point:
    label: Any
    value: Decimal | None
    x: int
    y: int | None


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    axis_y: int
    points: list[Point]
    # "x,y x,y ..." per unbroken run of known values, for <polyline points="...">.
    lines: list[str]


def line_chart(
    points: Sequence[tuple[Any, Decimal | None]], *, width: int = WIDTH, height: int = HEIGHT
) -> LineChart:
    """Points spread evenly from left to right, scaled from 0 to the highest value; an
    unknown value (None) breaks the line there."""
    axis_y = height - BOTTOM
    drawable = axis_y - TOP
    highest = max((abs(value) for _, value in points if value is not None), default=Decimal(0))
    slot = width // max(1, len(points))
    placed = []
    for index, (label, value) in enumerate(points):
        y = None
        if value is not None:
            y = axis_y - (int(max(value, Decimal(0)) * drawable / highest) if highest else 0)
        placed.append(Point(label=label, value=value, x=index * slot + slot // 2, y=y))
    lines, run = [], []
    for point in [*placed, None]:
        if point is not None and point.y is not None:
            run.append(f"{point.x},{point.y}")
        elif run:
            lines.append(" ".join(run))
            run = []
    return LineChart(width=width, height=height, axis_y=axis_y, points=placed, lines=lines)
