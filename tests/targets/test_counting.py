"""Counting new people reached, one edge per test; every expected count derived by hand.

The bundled Thames Valley strategy's windows: 2024-04-01 to 2025-03-31 for every row,
except School Navigators, 2024-09-01 to 2025-03-31.
"""

from __future__ import annotations

from datetime import date

from tests.targets.conftest import Count
from vpp_core.records.tables import RejectedRow

YOUNG, OLD, PROS = "24-and-under", "25-and-over", "professionals-trained"
HN, SN, CC = "hospital-navigators", "school-navigators", "custody-coaches"


def p(person: str, intervention: str, day: str, *, dob: str = "2010-01-01", age: str = "",
      kind: str = "start") -> str:
    return f"{person},{intervention},{day},{dob},{age},{kind},reading"


def test_a_continuing_participant_is_not_counted(count: Count) -> None:
    counts = count([
        p("A", HN, "2024-03-31"),  # A first engaged the day before the window: continuing
        p("A", HN, "2024-04-15", kind="session"),
        p("B", HN, "2024-04-15"),  # B's first engagement is in the window: new
    ])
    # Only B counts.
    assert counts.count(HN, YOUNG) == 1
    assert counts.unique_people == 1


def test_first_engagement_on_the_windows_first_and_last_days_counts(count: Count) -> None:
    counts = count([
        p("A", HN, "2024-04-01"),  # first day of the window: new
        p("B", HN, "2025-03-31"),  # last day: new
        p("C", HN, "2025-04-01"),  # the day after: outside the window, not counted
    ], as_of=date(2025, 4, 30))
    # A and B; C falls after the window.
    assert counts.count(HN, YOUNG) == 2
    # A in Q1 (April–June), B in Q4 (January–March).
    assert counts.quarters(HN, YOUNG) == (1, 0, 0, 1)


def test_school_navigators_count_from_1_september(count: Count) -> None:
    counts = count([
        p("A", SN, "2024-08-31"),  # before School Navigators' window: continuing
        p("A", SN, "2024-09-10", kind="session"),
        p("B", SN, "2024-09-01"),  # its window's first day: new
        p("C", SN, "2024-06-01", kind="referral"),  # a referral alone is no engagement…
        p("C", SN, "2024-09-02"),  # …so C's first engagement is in the window: new
        p("D", HN, "2024-08-31"),  # the same day counts for Hospital Navigators (from April)
    ])
    # School Navigators: B and C; A is continuing. Hospital Navigators: D.
    assert counts.count(SN, YOUNG) == 2
    # B on 1 September and C on 2 September: both in Q2 (July–September).
    assert counts.quarters(SN, YOUNG) == (0, 2, 0, 0)
    assert counts.count(HN, YOUNG) == 1


def test_the_age_band_is_the_age_on_the_day_of_first_engagement(count: Count) -> None:
    counts = count([
        # A turns 25 on 2024-06-10, the day of the first engagement: 25 and over.
        p("A", HN, "2024-06-10", dob="1999-06-10"),
        # B turns 25 the next day: 24 and under, and stays so after the birthday.
        p("B", HN, "2024-06-10", dob="1999-06-11"),
        p("B", HN, "2024-07-01", dob="1999-06-11", kind="session"),
        # C, born 29 February 2000, is 24 on 28 February 2025 (no 29th that year) …
        p("C", HN, "2025-02-28", dob="2000-02-29"),
        # … and D, born the same day, is 25 on 1 March 2025.
        p("D", HN, "2025-03-01", dob="2000-02-29"),
        # E gives only an age at each event: 24 at the first, 25 later: 24 and under.
        p("E", HN, "2024-05-01", dob="", age="24"),
        p("E", HN, "2024-12-01", dob="", age="25", kind="session"),
    ])
    # 24 and under: B, C, E. 25 and over: A, D.
    assert counts.count(HN, YOUNG) == 3
    assert counts.count(HN, OLD) == 2
    assert dict(counts.unique_by_cohort) == {YOUNG: 3, OLD: 2}


def test_a_person_in_two_interventions_counts_in_each_and_once_in_unique(count: Count) -> None:
    counts = count([
        p("A", HN, "2024-05-01"),
        p("A", CC, "2024-06-01"),  # A is new to both interventions
        p("B", CC, "2024-06-01"),
    ])
    # Hospital Navigators: A. Custody Coaches: A and B. Added as the table adds: 3.
    assert counts.count(HN, YOUNG) == 1
    assert counts.count(CC, YOUNG) == 2
    # Unique people: A and B.
    assert counts.unique_people == 2


def test_duplicate_rows_count_once(count: Count) -> None:
    row = p("A", HN, "2024-05-01")
    counts = count([row, row, row, p("A", HN, "2024-05-08", kind="session")])
    # Four rows, one person.
    assert counts.count(HN, YOUNG) == 1
    assert counts.participants is not None
    assert counts.participants.rows_used == 4


def test_bad_rows_are_reported_by_file_and_line_and_left_out(count: Count) -> None:
    counts = count([
        p("A", HN, "2024-05-01"),  # line 2: counted
        p("B", HN, "2024-13-01"),  # line 3: bad date
        p("", HN, "2024-05-01"),  # line 4: missing id
        p("C", "youth-club", "2024-05-01"),  # line 5: unknown intervention
        p("D", HN, "2024-05-01", dob="2030-01-01"),  # line 6: born after the event
        p("E", HN, "2024-05-01", kind="phone-call"),  # line 7: unknown event type
        # lines 8 and 9: the largest whole numbers DuckDB holds, ages no one has
        p("F", HN, "2024-05-01", dob="", age="9223372036854775807"),
        p("G", HN, "2024-05-01", dob="", age="-9223372036854775807"),
    ])
    # Only A is counted; each other row is reported once.
    assert counts.count(HN, YOUNG) == 1
    assert counts.participants is not None
    file = str(counts.participants.files[0])
    assert counts.participants.rejected == (
        RejectedRow(file, 3, 'bad date in "event_date"'),
        RejectedRow(file, 4, 'missing "person_id"'),
        RejectedRow(file, 5, 'unknown "intervention"'),
        RejectedRow(file, 6, "date of birth after the event"),
        RejectedRow(file, 7, 'unknown "event_type"'),
        RejectedRow(file, 8, "age at the event outside 0 to 120"),
        RejectedRow(file, 9, "age at the event outside 0 to 120"),
    )
    assert (counts.participants.rows_read, counts.participants.rows_used) == (8, 1)


def test_counts_run_to_the_as_of_day(count: Count) -> None:
    rows = [
        p("A", HN, "2024-05-01"),
        p("B", HN, "2024-10-01"),  # after the as-of day: not yet reached
        p("C", HN, "2024-03-01"),  # continuing, whatever the day
    ]
    assert count(rows, as_of=date(2024, 6, 30)).count(HN, YOUNG) == 1  # A
    counts = count(rows)
    assert counts.count(HN, YOUNG) == 2  # A and B
    # Without --as-of, the counts run to the last day the records cover.
    assert (counts.as_of, counts.as_of_given) == (date(2024, 10, 1), False)


def test_professionals_trained_count_from_training_records(count: Count) -> None:
    counts = count(training=[
        "P1,sustainable-training,2024-04-10,Thames Valley Police,Trauma-informed practice",
        "P1,sustainable-training,2024-09-10,Thames Valley Police,Trauma-informed practice",
        "P2,sustainable-training,2024-02-10,Slough Borough Council,Trauma-informed practice",
        "P2,sustainable-training,2024-05-10,Slough Borough Council,Trauma-informed practice",
        "P3,stay-true-to-you,2024-07-01,Local school,Counter-narrative",
        "P1,stay-true-to-you,2025-01-15,Thames Valley Police,Counter-narrative",
    ])
    # Sustainable training: P1 (twice, counted once); P2 was first trained before the window.
    assert counts.count("sustainable-training", PROS) == 1
    # Stay True to You: P3 in Q2 and P1 in Q4, a different course line from P1's first.
    assert counts.count("stay-true-to-you", PROS) == 2
    assert counts.quarters("stay-true-to-you", PROS) == (0, 1, 0, 1)
    assert counts.participants is None
