"""Charts drawn on the server as SVG: the geometry here, the markup in `backoffice/charts/`.

No JavaScript and no build step: a chart is a template rendered with numbers computed here.
Every chart also carries its figures as text (the bars' titles and a table for screen readers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28  # room for the axis labels


@dataclass(frozen=True)
class Segment:
    """One coloured part of a bar (a series' share of it)."""

    series: int
    name: str
    value: float
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    total: float
    segments: list[Segment]
    show_label: bool


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass
class ColumnChart:
    """Vertical bars over a sequence (hours), stacked when there are several series."""

    series: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_bottom: float = HEIGHT - BOTTOM

    @property
    def is_empty(self) -> bool:
        return not any(bar.total for bar in self.bars)


def axis_step(value: float, *, integer: bool = False) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) such that four steps reach at least `value`.

    Counts get whole steps, so that no tick reads 0.25 batches.
    """
    needed = value / 4
    if needed <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(needed))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    for step in steps:
        if needed <= step * magnitude:
            found = step * magnitude
            return max(1, round(found)) if integer else found
    return 10 * magnitude


def column_chart(
    labels: list[str],
    values: list[list[float]],
    *,
    series: list[str],
    integer: bool = False,
    every: int = 1,
) -> ColumnChart:
    """`values[i]` holds one number per series for `labels[i]`; `every` thins the axis labels."""
    chart = ColumnChart(series=series)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    top = 4 * axis_step(max((sum(v) for v in values), default=0), integer=integer)
    slot = plot_width / max(len(labels), 1)
    for index, (label, numbers) in enumerate(zip(labels, values, strict=True)):
        y = chart.plot_bottom
        segments = []
        for position, number in enumerate(numbers):
            height = plot_height * number / top if number else 0
            y -= height
            segments.append(
                Segment(position, series[position], _round(number), round(y, 2), round(height, 2))
            )
        chart.bars.append(
            Bar(
                label=label,
                x=round(LEFT + index * slot + slot * 0.15, 2),
                width=round(slot * 0.7, 2),
                total=sum(numbers),
                segments=segments,
                show_label=index % every == 0,
            )
        )
    chart.ticks = [
        Tick(value=_round(top * step / 4), y=round(chart.plot_bottom - plot_height * step / 4, 2))
        for step in range(5)
    ]
    return chart


def _round(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    total: float
    width: float  # of the value's bar, in percent of the track
    note: str


def bar_rows(items: list[tuple[str, float, float]], *, note: str = "") -> list[Row]:
    """Horizontal bars: `(label, value, out of)`; each is as wide as its share of its own total
    (5 % of a list out of stock is a twentieth of the track, however the other lists stand).

    `note` is formatted with `value`, `total` and `percent` (e.g. "{value} of {total}").
    """
    rows = []
    for label, value, total in items:
        percent = round(100 * value / total) if total else 0
        rows.append(
            Row(
                label=label,
                value=_round(value),
                total=_round(total),
                width=round(min(100, 100 * value / total), 2) if total else 0,
                note=note.format(value=_round(value), total=_round(total), percent=percent),
            )
        )
    return rows
