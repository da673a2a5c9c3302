"""Progress against a target on an as-of day: share reached, pro-rata trajectory, RAG.

The trajectory is the target spread evenly over the window's days: by the as-of day a
line is expected to have reached ``target × days elapsed ÷ days in the window``
(:meth:`vpp_core.model.periods.Period.elapsed_share`, both ends counted). RAG compares what was
reached with that expectation: green from ``green_from`` of it, amber from ``amber_from``,
red below. At the window's end the expectation is the whole target: met or not met.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from enum import StrEnum

import attrs

from vpp_plugins.targets.lines import TargetLine

#: Defaults for the RAG thresholds (the pack's rule TGT002 sets them).
DEFAULT_AMBER_FROM = Decimal("0.75")
DEFAULT_GREEN_FROM = Decimal("1.00")
_CENT = Decimal("0.01")


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_STARTED = "not started"  # the window had not begun on the as-of day


@attrs.frozen
class Progress:
    """One target line's position on the as-of day."""

    line: TargetLine
    reached: int
    as_of: date
    elapsed_days: int
    window_days: int
    referred_only: int = 0  # shown beside the target, never counted in it

    @classmethod
    def of(cls, line: TargetLine, reached: int, as_of: date, referred_only: int = 0
           ) -> Progress:
        elapsed, days = line.window.elapsed_share(as_of)
        return cls(line, reached, as_of, elapsed, days, referred_only)

    @property
    def expected(self) -> Decimal:
        """People expected by the as-of day, pro rata (exact; round only to show)."""
        return Decimal(self.line.target * self.elapsed_days) / Decimal(self.window_days)

    @property
    def share_of_target(self) -> Decimal | None:
        return Decimal(self.reached) / Decimal(self.line.target) if self.line.target else None

    @property
    def share_of_trajectory(self) -> Decimal | None:
        expected = self.expected
        return Decimal(self.reached) / expected if expected else None

    @property
    def window_over(self) -> bool:
        return self.as_of >= self.line.window.end

    @property
    def started(self) -> bool:
        return self.elapsed_days > 0

    @property
    def met(self) -> bool:
        return self.reached >= self.line.target

    def rag(self, amber_from: Decimal = DEFAULT_AMBER_FROM,
            green_from: Decimal = DEFAULT_GREEN_FROM) -> Rag:
        if not self.started:
            return Rag.NOT_STARTED
        share = self.share_of_trajectory
        if share is None or share >= green_from:  # nothing expected: on track
            return Rag.GREEN
        return Rag.AMBER if share >= amber_from else Rag.RED

    def shortfall(self, share_of_trajectory: Decimal = Decimal(1)) -> int:
        """Whole people more needed to reach ``share_of_trajectory`` of the expectation."""
        needed = self.expected * share_of_trajectory - self.reached
        return max(0, math.ceil(needed))


def percent(share: Decimal | None) -> str:
    """``0.8125`` → ``"81%"`` (half up); ``None`` → ``"–"``."""
    if share is None:
        return "–"
    return f"{(share * 100).quantize(Decimal(1), rounding='ROUND_HALF_UP')}%"


def people(value: Decimal) -> str:
    """An expected number of people, to one decimal place."""
    return str(value.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))


def cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding="ROUND_HALF_UP")
