"""A small hand-made ledger for the bundled Thames Valley 2024–25 strategy."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from vpp_core import PlannedSpend, bundled_strategy, dump_strategy, load_strategy

SPEND_HEADER = "date,grant,line,amount,type,partner,reference\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def profiled(folder: Path, line: str, quarterly: int) -> Path:
    """The bundled Thames Valley strategy with its spend profile replaced by ``quarterly``
    pounds a quarter of the 2024-25 core grant on ``line``."""
    strategy = attrs.evolve(load_strategy(bundled_strategy()), spend_profile=tuple(
        PlannedSpend("core-2024-25", line, f"2024-25-Q{q}", Decimal(quarterly))
        for q in (1, 2, 3, 4)))
    return write(folder, "strategy.toml", dump_strategy(strategy))


@pytest.fixture
def small_strategy(tmp_path: Path) -> Path:
    """The programme team profiled £100,000 a quarter, in the strategy."""
    return profiled(tmp_path, "programme-team", 100000)


@pytest.fixture
def small_ledger(tmp_path: Path) -> list[str]:
    """£60,000 spent on the programme team in May and £90,000 in August; £15,000 of 2023-24
    money spent on Custody Coaches in May 2024, a carry-over of £10,000 approved for it."""
    spend = write(tmp_path, "spend.csv", SPEND_HEADER + (
        "2024-05-10,core-2024-25,programme-team,60000,cash,OPCC,J-1\n"
        "2024-08-20,core-2024-25,programme-team,90000.00,cash,OPCC,J-2\n"
        "2024-05-15,core-2023-24,custody-coaches,15000,cash,Provider,INV-9\n"))
    carry = write(tmp_path, "carry.csv",
                  "grant,line,spend_until,amount,approved_by,reference\n"
                  "core-2023-24,custody-coaches,2024-06-30,10000,Home Office,Letter 1\n")
    return [f"spend={spend}", f"carry-over={carry}"]
