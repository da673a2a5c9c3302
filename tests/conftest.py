"""Shared fixtures: the bundled Thames Valley strategy, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy


@pytest.fixture(scope="session")
def thames_valley_path() -> Path:
    return bundled_strategy()


@pytest.fixture(scope="session")
def thames_valley(thames_valley_path: Path) -> Strategy:
    return load_strategy(thames_valley_path)
