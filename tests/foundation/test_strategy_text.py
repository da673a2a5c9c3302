"""A strategy from TOML text or from a dict, for a program that never writes a file: the
same strategy as from the file, and every error located with the name the caller gave."""

from __future__ import annotations

import tomllib
from typing import Any, cast

import pytest

from vpp_core import StrategyError, load_strategy, load_strategy_text, strategy_from_data
from vpp_core.loading.bundled import bundled_strategy


def test_text_and_data_give_the_strategy_the_file_gives() -> None:
    text = bundled_strategy().read_text(encoding="utf-8")
    from_file = load_strategy(bundled_strategy())
    assert load_strategy_text(text, "thames.toml") == from_file
    data = tomllib.loads(text)
    assert strategy_from_data(data, "thames") == from_file
    assert data == tomllib.loads(text)  # the caller's dict is left as it was


def test_a_syntax_error_names_the_text_and_its_line() -> None:
    with pytest.raises(StrategyError) as caught:
        load_strategy_text('[document]\ntitle = "unclosed\n', "from-the-form")
    assert str(caught.value).startswith("from-the-form:2:")


def test_a_bad_field_is_located_by_its_path_in_the_name_given() -> None:
    data = tomllib.loads(bundled_strategy().read_text(encoding="utf-8"))
    data["budget"]["lines"][3]["amount"] = "a lot"
    with pytest.raises(StrategyError) as caught:
        strategy_from_data(data, "posted")
    assert str(caught.value).startswith("posted: budget.lines[3].amount: ")


def test_data_that_is_not_a_table_is_one_located_error() -> None:
    with pytest.raises(StrategyError) as caught:
        strategy_from_data(cast(Any, ["not", "a", "table"]), "posted")
    assert str(caught.value) == "posted: expected a table (a dict) of the strategy, got list"


def test_text_over_the_size_a_file_may_have_is_refused_as_a_file_would_be() -> None:
    # A form's text meets the same 16 MiB limit as a file, before it is parsed.
    text = 'financial_year = "2024-25"\n#' + "x" * (16 * 1024 * 1024) + "\n"
    with pytest.raises(StrategyError) as caught:
        load_strategy_text(text, "from-the-form")
    assert str(caught.value) == (f"from-the-form: too large for a TOML input "
                                 f"({len(text):,} bytes; at most 16,777,216)")
