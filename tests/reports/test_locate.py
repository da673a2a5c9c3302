"""Findings point at the line of the strategy file their subject or field is defined on."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core.loading.locations import Locator


@pytest.fixture(scope="module")
def lines(thames_valley_path: Path) -> list[str]:
    return thames_valley_path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def locator(thames_valley_path: Path) -> Locator:
    return Locator.from_path(thames_valley_path)


@pytest.mark.parametrize(
    ("kind", "item_id", "header"),
    [
        ("intervention", "mash", "[[interventions]]"),
        ("grant", "core-2024-25", "[[grants]]"),
        ("budget-line", "pilot-interventions", "[[budget.lines]]"),
        ("local-partnership", "slough", "[[local_partnerships]]"),
        ("stated-figure", "icb-count", "[[stated_figures]]"),
        ("outcome", "evidence-base", "[[theory_of_change.outcomes]]"),
        # TOC003 and TOC004 name Theory of Change nodes: SARIF points at their tables
        ("toc-outcome", "evidence-base", "[[theory_of_change.outcomes]]"),
        ("toc-input", "vru-core-grant", "[[theory_of_change.inputs]]"),
        ("toc-strand", "testing-interventions", "[[strands]]"),
        ("toc-intervention", "mash", "[[interventions]]"),
        ("toc-measure", "partnership-engagement", "[[success_measures]]"),
    ],
)
def test_a_subject_points_at_its_table(
    locator: Locator, lines: list[str], kind: str, item_id: str, header: str
) -> None:
    line = locator.subject_line(kind, item_id)
    assert line is not None
    assert lines[line - 1] == header
    assert lines[line] == f'id = "{item_id}"'


def test_an_item_inside_an_inline_array_points_at_its_own_line(
    locator: Locator, lines: list[str]
) -> None:
    line = locator.subject_line("budget-line", "send")
    assert line is not None
    assert lines[line - 1].lstrip().startswith('{ id = "send"')


def test_a_target_row_is_found_by_the_intervention_it_names(
    locator: Locator, lines: list[str]
) -> None:
    line = locator.subject_line("target-row", "school-navigators")
    assert line is not None
    assert lines[line - 1] == "[[targets.rows]]"
    assert lines[line] == 'label = "School Navigators*"'


def test_a_part_of_an_item_points_at_the_item(locator: Locator, lines: list[str]) -> None:
    line = locator.subject_line("target", "school-navigators/24-and-under")
    assert line is not None
    assert lines[line] == 'label = "School Navigators*"'


def test_an_unknown_subject_is_not_guessed(locator: Locator) -> None:
    assert locator.subject_line("intervention", "no-such-intervention") is None
    assert locator.subject_line("no-such-kind", "mash") is None


def test_field_paths_point_at_the_key_in_the_right_table(
    locator: Locator, lines: list[str]
) -> None:
    amount = locator.path_line("budget.lines[3].amount")
    assert amount is not None
    assert lines[amount - 1].startswith("amount = { amount = 832500")
    part = locator.path_line("budget.lines[3].parts[2]")
    assert part is not None
    assert 'id = "custody-coaches"' in lines[part - 1]
    total = locator.path_line("budget.stated_total")
    assert total is not None
    assert lines[total - 1].startswith("stated_total = { amount = 1510000")
    # A sub-table of an array of tables belongs to the item before it.
    evaluation = locator.path_line("interventions[4].evaluation.design")
    assert evaluation is not None
    assert lines[evaluation - 1] == 'design = "randomised-controlled-trial"'
    focussed = locator.subject_line("intervention", "focussed-deterrence")
    assert focussed is not None
    assert focussed < evaluation < (locator.subject_line("intervention", "sports-and-inclusion")
                                    or 0)


def test_a_path_it_cannot_place_gives_the_deepest_part_it_can(locator: Locator) -> None:
    assert locator.path_line("no_such_table.amount") is None
    assert locator.path_line("") is None
    assert locator.path_line("budget.no_such_key") == locator.path_line("budget")


def test_multi_line_strings_do_not_confuse_it() -> None:
    text = 'a = """\n[not_a_table]\n"""\n[[things]]\nid = "x"\n[[things]]\nid = "y"\n'
    locator = Locator.from_text(text)
    assert locator.subject_line("thing", "y") == 6
    assert locator.path_line("things[1].id") == 7
    assert locator.path_line("not_a_table") is None
