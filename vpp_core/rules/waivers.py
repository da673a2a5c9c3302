"""Approved waivers: a failing result a funder has agreed to, counted and listed, never hidden.

A waivers file (TOML)::

    [[waivers]]
    code = "FUND001"
    subject = "grant:core-2024-25"       # optional: every subject of the rule if unset
    reason = "Interventions share agreed at 26% for this year"
    approved_by = "Home Office VRU programme team"
    reference = "Grant variation letter, 12 July 2024"
    expires = 2025-03-31

A waiver applies to a failing result of its code (and subject) until it expires; an
expired waiver no longer applies and the report says so; a waiver that matched no
failing result is reported as unused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path

import attrs

from vpp_core.loading.errors import WaiverError
from vpp_core.loading.suggestions import did_you_mean
from vpp_core.loading.typed_toml import load_toml_as
from vpp_core.model.fields import doc
from vpp_core.plugin_api.results import AppliedWaiver, Result, Status


@attrs.frozen
class Waiver:
    """One approved waiver of a rule's failing results."""

    code: str = attrs.field(metadata=doc("the code of the rule waived", examples=["FUND003"]))
    reason: str = attrs.field(metadata=doc("why the failure is accepted"))
    approved_by: str = attrs.field(metadata=doc("who approved the waiver"))
    reference: str = attrs.field(metadata=doc("where the approval is recorded"))
    expires: date = attrs.field(metadata=doc(
        "the last day it applies, to an audit as of that day (--as-of, else today)"))
    subject: str = attrs.field(default="", metadata=doc(
        "the result waived, as kind:id (grant:core-2024-25); every subject of the rule if "
        "not given"))
    partnership: str = attrs.field(default="", metadata=doc(
        "the partnership whose strategy it waives, by its name or short name (a batch of "
        "several VRUs); every strategy audited if not given",
        examples=["Thames Valley Violence Prevention Partnership"]))

    def matches(self, result: Result, partnership: tuple[str, ...] = ()) -> bool:
        """Whether it waives ``result`` of the strategy whose partnership is known by the
        names ``partnership``."""
        return (result.code == self.code and self.subject in ("", str(result.subject))
                and self.partnership in ("", *partnership))

    def __str__(self) -> str:
        of = f" of {self.partnership}" if self.partnership else ""
        return f"{self.code} for {self.subject or 'every subject'}{of}"


_REQUIRED_TEXT = ("code", "reason", "approved_by")


@attrs.frozen
class WaiversFile:
    """A waivers file: failing results a funder has agreed to, each until it expires."""

    waivers: tuple[Waiver, ...] = attrs.field(default=(), metadata=doc("the waivers"))


class WaiverState(StrEnum):
    APPLIED = "applied"
    EXPIRED = "expired"
    UNUSED = "unused"
    IGNORED = "ignored"


@attrs.frozen
class WaiverNote:
    """What became of one waiver in a run, and the subjects it matched."""

    waiver: Waiver
    state: WaiverState
    message: str
    subjects: tuple[str, ...] = ()


def load_waivers(path: str | Path) -> tuple[Waiver, ...]:
    """Read a waivers file; every problem is one ``file: waivers[i].field: message`` line."""
    source = Path(path)
    waivers = load_toml_as(source, WaiversFile, WaiverError).waivers
    blank = tuple(
        f"{source}: waivers[{index}].{field}: must not be blank (a waiver says what it "
        "waives, why, and who approved it)"
        for index, waiver in enumerate(waivers)
        for field in _REQUIRED_TEXT
        if not getattr(waiver, field).strip()
    )
    if blank:
        raise WaiverError(blank[0], problems=blank)
    return waivers


def _nearest(waiver: Waiver, runs: Sequence[Sequence[Result]],
             partnerships: Sequence[tuple[str, ...]]) -> str:
    """`` (did you mean 'kind:id'?)``: the failing subject of the waiver's rule, in the
    strategies its partnership names, closest to the subject it gives; else nothing."""
    if not waiver.subject:
        return ""
    failing = {str(result.subject) for index, results in enumerate(runs)
               if waiver.partnership in ("", *(partnerships[index] if index < len(partnerships)
                                               else ()))
               for result in results
               if result.status is Status.FAIL and result.code == waiver.code}
    return did_you_mean(waiver.subject, failing)


def _no_such_partnership(waiver: Waiver, partnerships: Sequence[tuple[str, ...]]) -> str:
    """``: no strategy audited is P's (did you mean …?)`` when the waiver's partnership is
    none of those audited (a misspelt name); else nothing."""
    names = {name for known in partnerships for name in known}
    if not waiver.partnership or not names or waiver.partnership in names:
        return ""
    return (f": no strategy audited is {waiver.partnership}'s"
            f"{did_you_mean(waiver.partnership, names)}")


def apply_waivers(
    runs: Sequence[Sequence[Result]],
    waivers: Sequence[Waiver],
    as_of: date,
    *,
    ignore: bool = False,
    partnerships: Sequence[tuple[str, ...]] = (),
) -> tuple[list[tuple[Result, ...]], tuple[WaiverNote, ...]]:
    """Waive the failing results each live waiver matches; say what became of each waiver.

    ``runs`` holds one sequence of results per strategy; ``partnerships`` the names of each
    one's partnership (name and short name), for waivers given for one partnership. With
    ``ignore`` no result is waived, and each waiver that would have applied is noted as
    ignored.
    """
    notes: list[WaiverNote] = []
    waived: dict[tuple[int, int], Waiver] = {}
    for waiver in waivers:
        matched = [
            (run_index, index)
            for run_index, results in enumerate(runs)
            for index, result in enumerate(results)
            if result.status is Status.FAIL and waiver.matches(
                result, partnerships[run_index] if run_index < len(partnerships) else ())
        ]
        subjects = tuple(sorted({str(runs[i][j].subject) for i, j in matched}))
        if as_of > waiver.expires:
            notes.append(WaiverNote(waiver, WaiverState.EXPIRED,
                                    f"waiver of {waiver} expired on {waiver.expires} and no "
                                    "longer applies", subjects))
        elif not matched:
            notes.append(WaiverNote(waiver, WaiverState.UNUSED,
                                    f"waiver of {waiver} matched no failing result"
                                    f"{_nearest(waiver, runs, partnerships)}"
                                    f"{_no_such_partnership(waiver, partnerships)}"))
        elif ignore:
            notes.append(WaiverNote(waiver, WaiverState.IGNORED,
                                    f"waiver of {waiver} would apply but waivers are ignored",
                                    subjects))
        else:
            notes.append(WaiverNote(waiver, WaiverState.APPLIED,
                                    f"waiver of {waiver} applied ({waiver.reference})",
                                    subjects))
            for key in matched:
                waived.setdefault(key, waiver)
    updated = []
    for run_index, results in enumerate(runs):
        changed = []
        for index, result in enumerate(results):
            applied = waived.get((run_index, index))
            if applied is not None:
                result = attrs.evolve(
                    result,
                    status=Status.WAIVED,
                    waiver=AppliedWaiver(applied.reason, applied.approved_by, applied.reference,
                                         applied.expires),
                )
            changed.append(result)
        updated.append(tuple(changed))
    return updated, tuple(notes)
