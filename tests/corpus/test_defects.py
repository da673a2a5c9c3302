"""The hostile-input defects, each as a user of the Python API or the command line meets it.

The corpus (``cases/``) runs the command line over every kind of broken input; these tests
hold what it cannot show: the exception type the API raises, what a later run does with a
killed write's leftovers, the exact round trip of numbers at their bounds.
"""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from vpp_core import (
    StrategyError,
    UsageError,
    VppError,
    WaiverError,
    audit,
    load_strategy,
    load_waivers,
    output_folder,
)
from vpp_core.loading.strategy_io import dump_strategy, strategy_from_data
from vpp_core.model.money import MAX_NUMBER
from vpp_core.reports.atomic import write_atomic

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "fixtures/non-compliant-example/strategy.toml"
THAMES = ROOT / "fixtures/thames-valley-2024-25/strategy.toml"


def _write(folder: Path, text: str, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_arrays_nested_thousands_deep_are_a_strategy_error_not_a_recursion_error(
    tmp_path: Path,
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = _write(tmp_path, text + "\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    line = len(text.splitlines()) + 2  # after the file's lines and a blank one
    with pytest.raises(StrategyError) as caught:
        load_strategy(path)
    assert str(caught.value) == (
        f"{path}:{line}: arrays or tables nested too deeply (at most 32 levels)"
    )


def test_a_cohort_listed_twice_in_a_target_row_is_refused_at_load(tmp_path: Path) -> None:
    text = THAMES.read_text(encoding="utf-8").replace(
        'targets = [{ cohort = "24-and-under", count = 300 }',
        'targets = [{ cohort = "24-and-under", count = 300 }, '
        '{ cohort = "24-and-under", count = 3 }', 1)
    with pytest.raises(StrategyError, match=r"targets\.rows\[0\]\.targets\[1\]\.cohort: "
                                            r"duplicate cohort '24-and-under'"):
        audit(_write(tmp_path, text))


def test_a_stated_figure_naming_an_unknown_metric_names_the_strategy_file(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace(
        'metric = "intervention-spend"', 'metric = "no-such-metric"'))
    with pytest.raises(StrategyError) as caught:
        audit(path)
    assert caught.value.problems == (
        f"{path}: stated_figures[0] (interventions-share): unknown metric 'no-such-metric'",
    )


@pytest.mark.parametrize("amount", ['"1e5000"', '"1e30"', "9" * 4000, '"nan"', '"inf"'])
def test_out_of_range_money_is_a_located_error(tmp_path: Path, amount: str) -> None:
    path = _write(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace(
        "amount = { amount = 500000 }", f"amount = {{ amount = {amount} }}"))
    with pytest.raises(StrategyError) as caught:
        load_strategy(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:")
    assert "grants[0].amount.amount" in message or message.startswith(f"{path}:77:")
    assert "InvalidOperation" not in message and "set_int_max_str_digits" not in message


def test_money_and_counts_at_their_bound_round_trip_exactly(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "amount = { amount = 500000 }", f'amount = {{ amount = "{MAX_NUMBER - 1}.99" }}'
    ).replace('count = 10 }', f"count = {MAX_NUMBER} }}")
    strategy = load_strategy(_write(tmp_path, text))
    assert strategy.grants[0].amount.amount == Decimal(f"{MAX_NUMBER - 1}.99")
    assert strategy.targets is not None and strategy.targets.rows[0].targets[0].count == MAX_NUMBER
    again = strategy_from_data(tomllib.loads(dump_strategy(strategy)), tmp_path / "again.toml")
    assert again == strategy


def test_a_value_past_the_bound_is_refused(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'count = 10 }', f"count = {MAX_NUMBER + 1} }}")
    with pytest.raises(StrategyError, match=r"targets\.rows\[0\]\.targets\[0\]\.count: "
                                            r"1000000000000001 is out of range"):
        load_strategy(_write(tmp_path, text))


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert load_strategy(path) == load_strategy(EXAMPLE)


def test_a_string_where_a_table_is_expected_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace(
        'evaluation = { gate = "passed-gate-3", design = "randomised-controlled-trial" }',
        'evaluation = "under way"'))
    with pytest.raises(VppError) as caught:
        load_strategy(path)
    assert caught.value.problems == (f"{path}: interventions[1].evaluation: expected a table",)


@pytest.mark.parametrize("field", ["approved_by", "reason"])
def test_a_waiver_with_a_blank_approver_or_reason_is_refused(tmp_path: Path,
                                                             field: str) -> None:
    values = {"code": "FUND003", "reason": "Evidenced in the quarterly return",
              "approved_by": "Home Office VRU programme team", "reference": "Letter"}
    values[field] = "  "
    lines = "".join(f'{key} = "{value}"\n' for key, value in values.items())
    path = _write(tmp_path, f"[[waivers]]\n{lines}expires = 2025-03-31\n", "w.toml")
    with pytest.raises(WaiverError) as caught:
        load_waivers(path)
    assert str(caught.value).startswith(f"{path}: waivers[0].{field}: must not be blank")


def _leftover(folder: Path, pid: int) -> Path:
    path = folder / f".report.json.{pid}.x1y2.tmp"
    path.write_text("half a report", encoding="utf-8")
    return path


def test_a_killed_writes_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    gone = _leftover(tmp_path, 2**31 - 7)  # no such process
    running = _leftover(tmp_path, os.getppid())  # a write under way elsewhere: kept
    write_atomic(tmp_path / "report.json", "{}")
    assert not gone.exists()
    assert running.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [running.name, "report.json"]


def test_the_generators_refuse_to_overwrite_records_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "participants.csv").write_text("precious\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"participants\.csv: already exists"):
        output_folder(tmp_path, ["participants.csv", "training.csv"])
    assert output_folder(tmp_path, ["participants.csv"], force=True) == tmp_path
    with pytest.raises(UsageError, match="exists and is not a folder"):
        output_folder(tmp_path / "participants.csv", ["x.csv"])

