"""Hand-made records for the target-counting tests, against the bundled Thames Valley strategy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest
from vpp_plugins.targets.counting import TargetCounts, count_targets

from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import RecordSource

PARTICIPANT_HEADER = (
    "person_id,intervention,event_date,date_of_birth,age_at_event,event_type,local_partnership"
)
TRAINING_HEADER = "professional_id,intervention,training_date,organisation,course"


@pytest.fixture(scope="session")
def strategy() -> Strategy:
    return load_strategy(bundled_strategy())


def write_rows(path: Path, header: str, rows: Sequence[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


Count = Callable[..., TargetCounts]


@pytest.fixture
def count(tmp_path: Path, strategy: Strategy) -> Count:
    """``count(participants=[rows], training=[rows], as_of=date)`` → the counts."""

    def run(participants: Sequence[str] | None = None, training: Sequence[str] | None = None,
            as_of: date | None = None) -> TargetCounts:
        sources = []
        if participants is not None:
            path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER, participants)
            sources.append(RecordSource("participants", path))
        if training is not None:
            path = write_rows(tmp_path / "training.csv", TRAINING_HEADER, training)
            sources.append(RecordSource("training", path))
        return count_targets(strategy, sources, as_of)

    return run
