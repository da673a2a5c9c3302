"""Statistical disclosure control for counts of people in published outputs.

An internal report keeps exact figures; a published one suppresses small counts (1 to
``threshold - 1`` shown as ``"<threshold"``) and may round the rest to a base. Zero is
shown as zero: it discloses no one.
"""

from __future__ import annotations

from enum import StrEnum

import attrs


class Audience(StrEnum):
    INTERNAL = "internal"
    PUBLISHED = "published"


@attrs.frozen
class DisclosurePolicy:
    """How counts of people are shown; ``Audience.INTERNAL`` shows them exactly."""

    audience: Audience = Audience.INTERNAL
    threshold: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    rounding_base: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(1))
    )

    @property
    def statement(self) -> str:
        """The line a report carries to say which kind it is."""
        if self.audience is Audience.INTERNAL:
            return "Internal report: exact counts, not for publication."
        rounding = (
            f"; other counts rounded to the nearest {self.rounding_base}"
            if self.rounding_base
            else ""
        )
        return (
            f"Published report: counts from 1 to {self.threshold - 1} are shown as "
            f"<{self.threshold}{rounding}."
        )

    def is_suppressed(self, count: int) -> bool:
        return self.audience is Audience.PUBLISHED and 0 < count < self.threshold

    def show(self, count: int) -> str:
        """A count of people as this policy lets it be shown."""
        if self.audience is Audience.INTERNAL or count == 0:
            return str(count)
        if count < self.threshold:
            return f"<{self.threshold}"
        if self.rounding_base:
            base = self.rounding_base
            return str((count + base // 2) // base * base)
        return str(count)


INTERNAL = DisclosurePolicy()
