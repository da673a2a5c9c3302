"""Small campaigns built in memory, so every figure in a test can be worked out by hand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import duckdb
import pytest
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.kinds import DELIVERY, EXPOSURES, KINDS, POPULATION, TRAINING, create_table

from vpp_core.periods import Period

WINDOW = Period(date(2024, 5, 1), date(2025, 3, 31))
YEAR = Period(date(2024, 4, 1), date(2025, 3, 31))


def delivery_row(channel: str, area: str, day: str, impressions: int, reach: int | None = None,
                 engagements: int | None = None, clicks: int | None = None,
                 video_views: int | None = None, spend: str | None = None) -> dict[str, Any]:
    return {"channel": channel, "area": area, "date": date.fromisoformat(day),
            "impressions": impressions, "reach": reach, "engagements": engagements,
            "clicks": clicks, "video_views": video_views, "spend": spend}


def build_campaign(
    *,
    delivery: Sequence[dict[str, Any]] | None = None,
    exposures: Sequence[tuple[str, str, str] | tuple[str, str, str, str]] | None = None,
    training: Sequence[tuple[str, str, str]] | None = None,
    population: Sequence[tuple[str, str, int]] | None = None,
) -> CampaignData:
    """A campaign over in-memory tables; ``None`` leaves a kind out altogether."""
    connection = duckdb.connect()
    tables = []
    given: list[tuple[str, list[dict[str, Any]]]] = []
    if delivery is not None:
        given.append((DELIVERY.name, list(delivery)))
    if exposures is not None:
        given.append((EXPOSURES.name, [
            {"viewer_id": row[0], "channel": row[1], "date": date.fromisoformat(row[2]),
             "area": row[3] if len(row) > 3 else None} for row in exposures]))
    if training is not None:
        given.append((TRAINING.name, [
            {"attendee_id": a, "audience": b, "date": date.fromisoformat(c), "area": None}
            for a, b, c in training]))
    if population is not None:
        given.append((POPULATION.name, [
            {"area": a, "age_band": b, "population": n, "source": "test"}
            for a, b, n in population]))
    for name, rows in given:
        kind = KINDS[name]
        connection.execute(create_table(kind))
        names = [column.name for column in kind.columns]
        if rows:
            connection.executemany(
                f"INSERT INTO {kind.table} VALUES ({', '.join('?' for _ in names)})",
                [[row[n] for n in names] for row in rows],
            )
        tables.append(kind.table)
    has_areas = exposures is not None and any(len(row) > 3 for row in exposures)
    return CampaignData(connection, window=WINDOW, training_window=YEAR, financial_year=YEAR,
                        tables=tables, exposure_areas=has_areas)




@pytest.fixture(name="build")
def build_fixture() -> Callable[..., CampaignData]:
    """``build(delivery=[...], exposures=[...], ...)``: see :func:`build_campaign`."""
    return build_campaign


@pytest.fixture(name="row")
def row_fixture() -> Callable[..., dict[str, Any]]:
    """``row(channel, area, day, impressions, reach, ...)``: one delivery row."""
    return delivery_row
