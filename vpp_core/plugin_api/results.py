"""What running rules produces: findings from checks, results per rule, the report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core.model.fields import doc

if TYPE_CHECKING:
    from vpp_core.model import Strategy


def pickled_by_fields(self: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for the classes a batch's workers send by the hundred thousand: the
    class and its fields in order, unpickled as a call to the class. A third faster to
    unpickle than the state dictionaries attrs gives slotted classes, and smaller."""
    cls = type(self)
    return cls, tuple(getattr(self, field.name) for field in attrs.fields(cls))


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"
    WAIVED = "waived"
    #: Only in a published report: a status that would tell a suppressed count.
    WITHHELD = "withheld"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info: compare with ``>=``."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Unit(StrEnum):
    GBP = "GBP"
    SHARE = "share"
    PEOPLE = "people"
    COUNT = "count"
    DAYS = "days"
    RATE = "rate"


@attrs.frozen
class Quantity:
    """A named value with its unit and where it came from (a field path, a records file)."""

    label: str
    value: Decimal
    unit: Unit
    source: str = ""

    __reduce__ = pickled_by_fields


@attrs.frozen
class Evidence:
    """The values a finding rests on: what was measured, against what, from which parts."""

    measured: Quantity | None = None
    operator: str = ""
    threshold: Quantity | None = None
    numerator: Quantity | None = None
    denominator: Quantity | None = None
    parts: tuple[Quantity, ...] = ()
    shortfall: Quantity | None = None
    notes: tuple[str, ...] = ()

    __reduce__ = pickled_by_fields


@attrs.frozen(order=True)
class Subject:
    """What a result is about: the strategy, a grant, an intervention, a partnership …"""

    kind: str
    id: str
    label: str = ""

    __reduce__ = pickled_by_fields

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def whole_strategy(strategy: Strategy) -> Subject:
    """The subject for a result about the strategy as a whole."""
    return Subject("strategy", str(strategy.financial_year), strategy.partnership.name)


@attrs.frozen
class Finding:
    """What a check yields for one subject; the engine turns it into a :class:`Result`."""

    subject: Subject
    status: Status
    message: str
    evidence: Evidence = Evidence()


@attrs.frozen
class Reference:
    """Where a rule comes from: a document, its section or page, a link."""

    document: str = attrs.field(metadata=doc("the source document's title"))
    section: str = attrs.field(default="", metadata=doc("the section it is in"))
    page: int | None = attrs.field(default=None, metadata=doc("the page it is on"))
    url: str = attrs.field(default="", metadata=doc(
        "where the document is published: an http(s) link", pattern=r"^(https?://\S+)?$"))

    __reduce__ = pickled_by_fields


@attrs.frozen(order=True)
class PluginInfo:
    name: str
    version: str
    origin: str

    __reduce__ = pickled_by_fields


@attrs.frozen
class AppliedWaiver:
    reason: str
    approved_by: str
    reference: str
    expires: date


@attrs.frozen
class Result:
    """One rule's outcome for one subject."""

    code: str
    name: str
    title: str
    severity: Severity
    status: Status
    message: str
    subject: Subject
    check: str
    plugin: PluginInfo
    evidence: Evidence = Evidence()
    references: tuple[Reference, ...] = ()
    waiver: AppliedWaiver | None = None

    __reduce__ = pickled_by_fields
