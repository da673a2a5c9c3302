"""Records generated for a VRU other than Thames Valley: its own interventions, partnerships
and organisations, the same deliberate edges, and nothing of Thames Valley's."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from vpp_plugins.targets.counting import count_targets
from vpp_plugins.targets.generate import generate

from vpp_core.loading.strategy_io import load_strategy
from vpp_core.records.manifest import record_sources

ESSEX = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"


def test_essex_records_hold_the_edges_and_nothing_of_thames_valley(tmp_path: Path) -> None:
    strategy = load_strategy(ESSEX)
    generate(strategy, tmp_path, rows=4000, seed=11)
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(tmp_path.glob("*.csv")))
    for word in ("Thames Valley", "Reading", "Oxfordshire", "Slough", "reading", "slough",
                 "hospital-navigators", "sustainable-training"):
        assert word not in text, word
    counts = count_targets(strategy, record_sources(tmp_path), date(2025, 3, 31))
    assert counts.participants is not None and counts.training is not None
    reasons = {reason: n for _, reason, n in counts.participants.reasons}
    assert reasons == {  # each deliberate edge left out for its own reason, as for any VRU
        'bad date in "event_date"': 2,
        'bad number in "age_at_event"': 1,
        "malformed line (missing columns)": 1,
        'missing "person_id"': 1,
        'unknown "intervention"': 1,
    }
    assert {reason for _, reason, _ in counts.training.reasons} == {
        'bad date in "training_date"', 'unknown "intervention"'}
    named = {holder.name for partnership in strategy.local_partnerships
             for holder in (*partnership.duty_holders, *partnership.relevant_authorities)}
    with (tmp_path / "training.csv").open(encoding="utf-8", newline="") as file:
        organisations = {row["organisation"] for row in csv.DictReader(file)}
    assert organisations <= named and len(organisations) > 3
