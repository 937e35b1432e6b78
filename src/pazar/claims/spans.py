"""The calendar spans (UTC months, days, hours) the claims' date counts are kept in, and how a
date range falls into whole spans and the bits at its ends.

A range `[since, until)` is covered by whole months, then whole days at its two ends, then
whole hours at theirs; what is left (less than an hour at each end) is counted from the claims
themselves. Each coarser span is a union of finer ones, so the pieces never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MONTH, DAY, HOUR = "month", "day", "hour"
SPANS = (MONTH, DAY, HOUR)  # coarse to fine


def start_of(span: str, moment: datetime) -> datetime:
    """The start of the span holding `moment` (UTC)."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    hour = moment.replace(minute=0, second=0, microsecond=0)
    if span == HOUR:
        return hour
    day = hour.replace(hour=0)
    return day if span == DAY else day.replace(day=1)


def _next(span: str, start: datetime) -> datetime:
    if span == MONTH:
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start + (timedelta(days=1) if span == DAY else timedelta(hours=1))


def _ceiling(span: str, moment: datetime) -> datetime | None:
    """The first span start at or after `moment`; None past the last one a datetime holds."""
    start = start_of(span, moment)
    if start == moment:
        return start
    try:
        return _next(span, start)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class Pieces:
    """`whole`: (span, first start, end) with the spans starting in `[first, end)` (None: no
    bound) wholly inside the range; `rest`: `[since, until)` ranges (None: no bound) to count
    from the claims."""

    whole: tuple[tuple[str, datetime | None, datetime | None], ...]
    rest: tuple[tuple[datetime, datetime], ...]


def pieces(since: datetime | None, until: datetime | None) -> Pieces:
    """`[since, until)` (None: unbounded) as whole spans, coarsest first, and the ends left."""
    whole, rest = [], []

    def split(low, high, spans):
        if low is not None and high is not None and low >= high:
            return
        if not spans:
            rest.append((low, high))  # unbounded only within the last hour a datetime holds
            return
        span, finer = spans[0], spans[1:]
        first = None if low is None else _ceiling(span, low)
        end = None if high is None else start_of(span, high)
        if (low is not None and first is None) or (
            first is not None and end is not None and first >= end
        ):
            split(low, high, finer)  # no whole span of this size inside
            return
        whole.append((span, first, end))
        if low is not None:
            split(low, first, finer)
        if high is not None:
            split(end, high, finer)

    split(since, until, SPANS)
    return Pieces(tuple(whole), tuple(rest))
