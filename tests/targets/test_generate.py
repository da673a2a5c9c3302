"""The seeded generator: the same seed gives the same files, and every edge is in them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from vpp_plugins.targets.counting import count_targets
from vpp_plugins.targets.generate import generate

from vpp_core.model import Strategy
from vpp_core.records.manifest import record_sources


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, strategy: Strategy) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(strategy, folder, rows=4000, seed=11)
    return folder


def one(sql: str) -> int:
    return int(duckdb.connect().execute(sql).fetchall()[0][0])


def test_the_same_seed_gives_the_same_files(
    made: Path, tmp_path: Path, strategy: Strategy
) -> None:
    generate(strategy, tmp_path, rows=4000, seed=11)
    for name in ("participants.csv", "training.csv", "records.toml"):
        assert (tmp_path / name).read_bytes() == (made / name).read_bytes()
    generate(strategy, tmp_path, rows=4000, seed=12)
    assert (tmp_path / "participants.csv").read_bytes() != (made / "participants.csv").read_bytes()


def test_the_records_hold_every_edge(made: Path) -> None:
    csv = f"read_csv('{made / 'participants.csv'}', all_varchar = true, ignore_errors = true)"
    assert one(f"SELECT count(*) FROM read_csv('{made / 'participants.csv'}', "
               "all_varchar = true, store_rejects = true)") + 1 == 4000  # one line cut short
    # people in two interventions
    assert one(f"SELECT count(*) FROM (SELECT person_id FROM {csv} "
               "GROUP BY person_id HAVING count(DISTINCT intervention) > 1)") > 0
    # exact duplicate rows
    assert one(f"SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM {csv})) "
               f"FROM {csv}") > 0
    # events before and after every window, and dates written DD/MM/YYYY
    assert one(f"SELECT count(*) FROM {csv} WHERE event_date < '2024-04-01'") > 0
    assert one(f"SELECT count(*) FROM {csv} WHERE event_date > '2025-03-31' "
               "AND event_date LIKE '____-%'") > 0
    assert one(f"SELECT count(*) FROM {csv} WHERE event_date LIKE '__/__/____'") > 0
    # birthdays that cross 25 inside the year
    assert one(f"SELECT count(*) FROM {csv} WHERE TRY_CAST(date_of_birth AS DATE) "
               "BETWEEN DATE '1999-04-02' AND DATE '2000-03-31'") > 0
    # rows giving only the age at the event
    assert one(f"SELECT count(*) FROM {csv} WHERE date_of_birth IS NULL "
               "AND age_at_event IS NOT NULL") > 0


def test_the_records_count_with_continuing_people_and_bad_rows(
    made: Path, strategy: Strategy
) -> None:
    counts = count_targets(strategy, record_sources(made), date(2025, 3, 31))
    assert counts.participants is not None
    assert counts.training is not None
    reasons = {reason: n for _, reason, n in counts.participants.reasons}
    assert reasons == {
        'bad date in "event_date"': 2,
        'bad number in "age_at_event"': 1,
        "malformed line (missing columns)": 1,
        'missing "person_id"': 1,
        'unknown "intervention"': 1,
    }
    assert counts.training.rows_rejected == 2
    assert counts.count("hospital-navigators", "24-and-under") > 0
    assert counts.count("hospital-navigators", "25-and-over") > 0
    assert counts.count("sustainable-training", "professionals-trained") > 0
    # continuing people are in the records but not in the counts
    everyone = one(
        f"SELECT count(DISTINCT (person_id, intervention)) FROM read_csv("
        f"'{made / 'participants.csv'}', all_varchar = true, ignore_errors = true) "
        "WHERE event_type <> 'referral'"
    )
    counted = sum(item.count for item in counts.reached if item.cohort != "professionals-trained")
    assert counted < everyone


def test_parquet_records_load_with_their_types(tmp_path: Path, strategy: Strategy) -> None:
    made = generate(strategy, tmp_path, rows=1000, seed=3, form="parquet")
    assert made.participants.suffix == ".parquet"
    counts = count_targets(strategy, record_sources(tmp_path))
    assert counts.participants is not None
    # In Parquet the impossible dates are written as nulls: they count as missing.
    reasons = {reason for _, reason, _ in counts.participants.reasons}
    assert 'missing "event_date"' in reasons
    assert counts.participants.rows_read == 1000
