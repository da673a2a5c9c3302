"""Disclosure control: exact internally, small counts suppressed when published."""

from __future__ import annotations

import pytest

from vpp_core.cli.main import main
from vpp_core.records.disclosure import INTERNAL, Audience, DisclosurePolicy


def test_internal_counts_are_exact() -> None:
    assert [INTERNAL.show(n) for n in (0, 1, 4, 5, 123)] == ["0", "1", "4", "5", "123"]
    assert INTERNAL.statement == "Internal report: exact counts, not for publication."


def test_published_counts_suppress_one_to_four_and_round_to_a_base() -> None:
    published = DisclosurePolicy(Audience.PUBLISHED, threshold=5, rounding_base=5)
    # 0 discloses no one; 1–4 are "<5"; 7 rounds to 5, 8 to 10 (half up), 123 to 125.
    assert [published.show(n) for n in (0, 1, 4, 5, 7, 8, 123)] == [
        "0", "<5", "<5", "5", "5", "10", "125"]
    assert published.statement == (
        "Published report: counts from 1 to 4 are shown as <5; "
        "other counts rounded to the nearest 5.")


@pytest.mark.parametrize("command", ["targets", "reach"])
def test_published_tables_say_so_and_suppress(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--example", "--published", "--threshold", "10", "--round-to", "5"]) == 0
    out = capsys.readouterr().out
    assert "Published report: counts from 1 to 9 are shown as <10; " \
           "other counts rounded to the nearest 5." in out


@pytest.mark.parametrize("command", ["targets", "reach"])
def test_a_threshold_below_one_is_a_usage_error(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--published", "--threshold", "0"]) == 2
    assert "argument --threshold: expected a whole number of 1 or more, got '0'" in \
        capsys.readouterr().err
