"""Which part of a campaign a metric or a finding is about: a channel, area, month or all.

Written as a metric argument and a subject id: ``total``, ``channel=social``,
``channel=social,area=reading,month=2024-06`` (keys in that order, months ``YYYY-MM``,
weeks by their Monday ``YYYY-MM-DD``).
"""

from __future__ import annotations

import re
from datetime import date

import attrs

from vpp_core import UsageError

KEYS = ("channel", "area", "month", "week")
TOTAL = "total"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@attrs.frozen(order=True)
class Slice:
    """A channel, area, month and week, each ``None`` for all of them."""

    channel: str | None = None
    area: str | None = None
    month: str | None = None
    week: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> Slice:
        """Read ``total`` (or nothing) or ``key=value`` pairs joined by commas."""
        if text is None or text.strip() in ("", TOTAL):
            return cls()
        values: dict[str, str] = {}
        for part in text.split(","):
            key, equals, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not equals or key not in KEYS or not value:
                raise UsageError(
                    f"campaign slice {text!r}: expected 'total' or key=value pairs "
                    f"with keys {', '.join(KEYS)}"
                )
            if key in values:
                raise UsageError(f"campaign slice {text!r}: {key} given twice")
            values[key] = value
        month = values.get("month")
        if month is not None and not _MONTH.match(month):
            raise UsageError(f"campaign slice {text!r}: month must be YYYY-MM")
        week = values.get("week")
        if week is not None and not _is_monday(week):
            raise UsageError(f"campaign slice {text!r}: week must be its Monday, YYYY-MM-DD")
        return cls(**values)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys this slice fixes, in canonical order."""
        return tuple(key for key in KEYS if getattr(self, key) is not None)

    def __str__(self) -> str:
        pairs = [f"{key}={getattr(self, key)}" for key in self.keys]
        return ",".join(pairs) if pairs else TOTAL

    @property
    def label(self) -> str:
        """For people: ``social · reading · 2024-06`` or ``all channels``."""
        parts = [str(getattr(self, key)) for key in self.keys]
        return " · ".join(parts) if parts else "all channels"


def _is_monday(text: str) -> bool:
    try:
        return date.fromisoformat(text).weekday() == 0 and len(text) == 10
    except ValueError:
        return False

