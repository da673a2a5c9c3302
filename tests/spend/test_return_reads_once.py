"""``vpp return`` reads the spend records once: its own sections and the audit's rules
share them."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from vpp_plugins.spend import ledger, returns

from vpp_core import RecordSource, Strategy
from vpp_core.cli.main import main


def test_the_return_reads_the_spend_records_once(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    reads: list[int] = []
    read = ledger.read_spend_records

    def counted(strategy: Strategy, sources: Sequence[RecordSource]) -> ledger.SpendRecords:
        reads.append(len(sources))
        return read(strategy, sources)

    monkeypatch.setattr(ledger, "read_spend_records", counted)
    monkeypatch.setattr(returns, "read_spend_records", counted)
    assert main(["return", "--example", "--quarter", "2024-25-Q3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(reads) == 1
    spend = next(r for r in data["records"] if r["kind"] == "spend")
    assert (spend["rows_read"], spend["rows_used"]) == (132, 130)
    assert [row["code"] for row in data["conditions"]] == [  # the audit's rules still ran
        "FUND001", "SPEND004", "FUND002", "SPEND005"]
