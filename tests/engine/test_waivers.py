"""Waivers: applied, expired, unused, ignored — each counted and listed, never hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.engine.conftest import DATA, LOCAL, by_code, one
from vpp_core import (
    AuditOptions,
    Report,
    Status,
    WaiverError,
    audit,
    bundled_strategy,
    load_waivers,
)
from vpp_core.rules.waivers import WaiverState

WAIVERS = DATA / "waivers" / "waivers.toml"


def states(report: Report) -> dict[str, WaiverState]:
    return {note.waiver.code: note.state for note in report.waivers}


def test_waivers_applied_expired_and_unused(run: Callable[..., Report]) -> None:
    report = run(packs=[LOCAL], waivers=WAIVERS)
    assert states(report) == {"DEMO005": WaiverState.APPLIED, "DEMO001": WaiverState.EXPIRED,
                              "DEMO003": WaiverState.UNUSED}
    waived = [r for r in by_code(report, "DEMO005") if r.status is Status.WAIVED]
    assert [r.subject.id for r in waived] == ["speech-and-language-therapy"]
    assert waived[0].waiver is not None
    assert waived[0].waiver.reference == "Programme board minutes, 4 July 2024"
    assert report.counts()["waived"] == 1
    assert one(report, "DEMO001").status is Status.FAIL  # the expired waiver does not apply
    notes = {note.waiver.code: note.message for note in report.waivers}
    assert notes["DEMO001"] == ("waiver of DEMO001 for grant:core-2024-25 expired on "
                                "2024-03-31 and no longer applies")
    assert notes["DEMO003"] == "waiver of DEMO003 for every subject matched no failing result"
    assert report.exit_code() == 1
    assert report.waivers_as_of == date(2025, 1, 31)


def test_a_waiver_expires_the_day_after_its_date(run: Callable[..., Report]) -> None:
    on_the_day = run(packs=[LOCAL], waivers=WAIVERS,
                     options=AuditOptions(as_of=date(2025, 3, 31)))
    after = run(packs=[LOCAL], waivers=WAIVERS, options=AuditOptions(as_of=date(2025, 4, 1)))
    assert states(on_the_day)["DEMO005"] is WaiverState.APPLIED
    assert states(after)["DEMO005"] is WaiverState.EXPIRED
    assert after.counts()["waived"] == 0


def test_ignore_waivers_shows_the_findings_without_them(run: Callable[..., Report]) -> None:
    with_waivers = run(packs=[LOCAL], waivers=WAIVERS)
    ignored = run(packs=[LOCAL], waivers=WAIVERS,
                  options=AuditOptions(ignore_waivers=True, as_of=date(2025, 1, 31)))
    assert states(ignored)["DEMO005"] is WaiverState.IGNORED
    assert ignored.counts()["waived"] == 0
    assert ignored.counts()["fail"] == with_waivers.counts()["fail"] + 1
    failing = [r.subject.id for r in by_code(ignored, "DEMO005") if r.status is Status.FAIL]
    assert failing == ["speech-and-language-therapy"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[waivers]]\ncode = "A001"\nreason = "r"\napproved_by = "b"\nreference = "x"\n'
         'expires = "soon"\n', "waivers[0].expires: expected a date, got 'soon'"),
        ('[[waivers]]\ncode = "A001"\nreason = "r"\napproved_by = "b"\nexpires = 2025-01-01\n',
         "waivers[0].reference: required field missing"),
        ('[[waivers]]\ncode = "A001"\nreason = "r"\napproved_by = "b"\nreference = "x"\n'
         'expires = 2025-01-01\nowner = "me"\n', "waivers[0]: unknown key 'owner'; allowed: "
         "approved_by, code, expires, partnership, reason, reference, subject"),
        ('[[waivers]]\ncode = "A001"\nreason = "r"\napproved_by = "b"\nreference = "x"\n'
         'expires = 2025-01-01\nexpiry = 2025-01-01\n', "waivers[0]: unknown key 'expiry'; "
         "allowed: approved_by, code, expires, partnership, reason, reference, subject; "
         "did you mean 'expires'?"),
        ('[[waiver]]\ncode = "A001"\n', "unknown key 'waiver'; allowed: waivers; did you mean "
         "'waivers'?"),
    ],
)
def test_bad_waivers_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WaiverError) as caught:
        load_waivers(path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_waiver_whose_subject_is_misspelt_says_which_failing_subject_it_may_mean(
        run: Callable[..., Report], tmp_path: Path) -> None:
    # A waiver that matched nothing because of a typo read as if the finding had gone away.
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(WAIVERS.read_text(encoding="utf-8").replace(
        'subject = "intervention:speech-and-language-therapy"',
        'subject = "intervention:speech-and-language-therapi"'), encoding="utf-8")
    report = run(packs=[LOCAL], waivers=str(waivers))
    notes = {note.waiver.code: note.message for note in report.waivers}
    assert notes["DEMO005"] == (
        "waiver of DEMO005 for intervention:speech-and-language-therapi matched no failing "
        "result (did you mean 'intervention:speech-and-language-therapy'?)")
    assert notes["DEMO003"] == "waiver of DEMO003 for every subject matched no failing result"


def test_a_waiver_for_a_partnership_no_strategy_is_says_so(tmp_path: Path) -> None:
    # A misspelt partnership: the waiver matched nothing because no strategy audited is that
    # partnership's, not because the strategy has no such failure (it fails FUND003).
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waivers]]\ncode = "FUND003"\npartnership = "Thames Valey VPP"\n'
                       'reason = "Evidenced"\napproved_by = "Home Office"\nreference = "L1"\n'
                       "expires = 2025-03-31\n", encoding="utf-8")
    report = audit(bundled_strategy(), waivers=waivers,
                   options=AuditOptions(as_of=date(2024, 6, 30)))
    [note] = report.waivers
    assert note.state is WaiverState.UNUSED
    assert note.message == (
        "waiver of FUND003 for every subject of Thames Valey VPP matched no failing result: "
        "no strategy audited is Thames Valey VPP's (did you mean 'Thames Valley VPP'?)")
