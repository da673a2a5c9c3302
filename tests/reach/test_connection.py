"""The campaign's DuckDB connection writes nothing on the standard output, where ``vpp reach
--format json`` writes its report: DuckDB draws a progress bar there for a long query."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from vpp_plugins.reach.load import LoadedCampaign


def test_the_campaign_connection_draws_no_progress_bar(
        load: Callable[..., LoadedCampaign], capfd: pytest.CaptureFixture[str]) -> None:
    connection = load(exposures=[("v1", "tiktok", "2024-05-01")]).data.connection
    assert connection is not None
    connection.execute("SET progress_bar_time = 0")  # the bar at once, not after two seconds
    connection.execute("SELECT sum(hash(i)) FROM range(3000000) t(i)").fetchall()
    assert capfd.readouterr().out == ""
