"""Each kind of bad input gets one clear line naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core.cli.main import main
from vpp_core.loading.errors import StrategyError
from vpp_core.loading.strategy_io import load_strategy


def _broken(fixture: Path, tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = fixture.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path = tmp_path / "strategy.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _problems(path: Path) -> tuple[str, ...]:
    with pytest.raises(StrategyError) as caught:
        load_strategy(path)
    return caught.value.problems


def test_toml_syntax_error_names_file_line_and_column(
    thames_valley_path: Path, tmp_path: Path
) -> None:
    path = _broken(thames_valley_path, tmp_path, 'financial_year = "2024-25"',
                   'financial_year = "2024-25')
    line = thames_valley_path.read_text().splitlines().index('financial_year = "2024-25"') + 1
    assert _problems(path) == (f"{path}:{line}:26: illegal character '\\n'",)


def test_unknown_key_is_refused_with_its_path(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, 'design = "scoping"',
                   'design = "scoping"\ntrail = 1')
    assert _problems(path) == (
        f"{path}: interventions[8].evaluation: unknown key 'trail'; allowed: design, "
        "evaluator, gate, gate_as_printed, next_steps, summary, trial; did you mean 'trial'?",)


def test_wrong_type_names_the_field(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, "count = 140", 'count = "140"')
    assert _problems(path) == (
        f"{path}: targets.rows[1].targets[0].count: expected an integer, got str",)


def test_negative_money_is_refused(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, "amount = 390000", "amount = -390000")
    assert _problems(path) == (
        f"{path}: budget.lines[0].amount.amount: money cannot be negative, got -390000",)


def test_money_as_a_float_is_refused(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, "amount = 140000", "amount = 140000.0")
    assert _problems(path) == (
        f"{path}: budget.lines[1].amount.amount: "
        "expected money as an integer or a decimal string, not a float",)


def test_a_date_that_does_not_exist(thames_valley_path: Path, tmp_path: Path) -> None:
    written = _broken(thames_valley_path, tmp_path, "trial = { start = 2023-12-04",
                      "trial = { start = 2023-02-30")
    line = next(number for number, text in enumerate(written.read_text().splitlines(), 1)
                if "2023-02-30" in text)
    assert _problems(written) == (f"{written}:{line}:19: invalid date or datetime",)
    quoted = _broken(thames_valley_path, tmp_path, "trial = { start = 2023-12-04",
                     'trial = { start = "2023-02-30"')
    assert _problems(quoted) == (
        f"{quoted}: interventions[2].evaluation.trial.start: expected a date, got '2023-02-30'",)


def test_duplicate_intervention_id(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, 'id = "blue-light-mentoring"\nname',
                   'id = "mash"\nname')
    problems = _problems(path)
    assert problems[0] == f"{path}: interventions[10].id: duplicate id 'mash'"
    assert f"{path}: targets.rows[8].intervention: unknown intervention 'blue-light-mentoring'" \
        in problems


def test_unknown_local_partnership(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, 'local_partnerships = ["oxfordshire"]',
                   'local_partnerships = ["oxon"]')
    assert _problems(path) == (
        f"{path}: interventions[9].local_partnerships[0]: unknown local partnership 'oxon'",)


def test_every_problem_is_reported_at_once(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, "count = 300", 'count = "lots"', count=2)
    assert _problems(path) == (
        f"{path}: targets.rows[0].targets[0].count: expected an integer, got str",
        f"{path}: targets.rows[6].targets[2].count: expected an integer, got str",
    )


def test_unknown_enum_value_lists_the_choices(thames_valley_path: Path, tmp_path: Path) -> None:
    path = _broken(thames_valley_path, tmp_path, 'design = "scoping"', 'design = "scopeing"')
    (problem,) = _problems(path)
    assert problem.startswith(
        f"{path}: interventions[8].evaluation.design: 'scopeing' is not one of")
    assert "'randomised-controlled-trial'" in problem


def test_unknown_stage_names_the_life_cycles_stages(
    thames_valley_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(thames_valley_path, tmp_path, 'gate = "gate-1"', 'gate = "gate-one"')
    assert main(["show", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {path}: interventions[8].evaluation.gate: unknown stage 'gate-one' (stages: "
        "not-on-life-cycle, gate-1, passed-gate-1, passed-gate-2, passed-gate-3, results)\n")


def test_cli_prints_one_line_per_problem_and_exits_2(
    thames_valley_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(thames_valley_path, tmp_path, 'local_partnerships = ["oxfordshire"]',
                   'local_partnerships = ["oxon"]')
    assert main(["show", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: {path}: interventions[9].local_partnerships[0]: "
        "unknown local partnership 'oxon'\n")


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(tmp_path / "absent.toml")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'absent.toml'}: no such file\n"
