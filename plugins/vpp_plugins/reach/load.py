"""Reading a run's campaign records into DuckDB, once per run, with the shared reader.

Sources of kinds this plugin does not know are left for other plugins. Every row the
reader leaves out is kept on :class:`LoadedCampaign` (file, row, reason — never its
values) for the records check and the ``vpp reach`` table to report. The exposure log,
the one large kind, is counted in few scans: it is a view that reads Parquet files where
they are (:func:`~vpp_core.records.tables.load_view`), checked without being copied; the
small kinds, queried many times over, are copied into tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from vpp_core import (
    LoadedTable,
    MetricContext,
    Period,
    RecordsError,
    RecordSource,
    Strategy,
    display_path,
    load_table,
    load_view,
)
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.kinds import (
    DEFAULT_AUDIENCES,
    EXPOSURES,
    KINDS,
    POPULATION,
    audiences,
    schemas,
)

if TYPE_CHECKING:  # the connection is made here only when records are given
    import duckdb


@attrs.frozen
class LoadedCampaign:
    """A campaign's aggregates and the account of the rows read for it, by kind."""

    data: CampaignData
    tables: dict[str, LoadedTable]
    #: The training audiences, ``(id, label)``: the strategy's own, else the default four.
    audiences: tuple[tuple[str, str], ...] = DEFAULT_AUDIENCES

    @property
    def given(self) -> bool:
        """Whether any campaign record (other than population) was given."""
        return any(kind != "population" for kind in self.tables)


def windows(strategy: Strategy) -> tuple[Period, Period]:
    """The evaluation window (the campaign's, else the financial year) and the training
    window (the targets row of the campaign's intervention, else the targets table's)."""
    year = strategy.financial_year.period
    campaign = strategy.campaign
    window = campaign.evaluation_window if campaign else year
    training = strategy.targets.window if strategy.targets else year
    if campaign and strategy.targets:
        for row in strategy.targets.rows:
            if row.intervention == campaign.intervention and row.window is not None:
                training = row.window
    return window, training


def load_campaign(strategy: Strategy, sources: Iterable[RecordSource]) -> LoadedCampaign:
    """Read every campaign source into one in-memory DuckDB connection (none is opened
    when no campaign records were given, which keeps an audit without them fast)."""
    by_kind: dict[str, list[RecordSource]] = {}
    for source in sources:
        if source.kind in KINDS:
            by_kind.setdefault(source.kind, []).append(source)
    connection = None
    if by_kind:
        import duckdb

        # no progress bar: DuckDB draws it on the standard output, inside a report there
        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar_print = false")
    tables: dict[str, LoadedTable] = {}
    for kind, schema in schemas(strategy).items():
        if connection is not None and kind in by_kind:
            read = load_view if kind == EXPOSURES.name else load_table
            tables[kind] = read(connection, KINDS[kind].table, by_kind[kind], schema)
    if connection is not None and POPULATION.name in tables:
        _population_once(connection, by_kind[POPULATION.name])
    exposure_areas = False
    if connection is not None and EXPOSURES.name in tables:
        found = connection.execute(f"SELECT count(area) > 0 FROM {EXPOSURES.table}").fetchone()
        exposure_areas = bool(found and found[0])
    window, training = windows(strategy)
    data = CampaignData(
        connection,
        window=window,
        training_window=training,
        financial_year=strategy.financial_year.period,
        tables=(KINDS[kind].table for kind in tables),
        exposure_areas=exposure_areas,
    )
    return LoadedCampaign(data, tables, audiences(strategy))


def _population_once(connection: duckdb.DuckDBPyConnection, sources: list[RecordSource]) -> None:
    """An area's age band given twice would count its people twice: an input error."""
    found = connection.execute(
        f"SELECT area, min(trim(age_band)), count(*) FROM {POPULATION.table} "
        "GROUP BY area, lower(trim(age_band)) HAVING count(*) > 1 ORDER BY 1, 2 LIMIT 1"
    ).fetchone()
    if found:
        files = ", ".join(display_path(source.path) for source in sources)
        raise RecordsError(f"{files}: population of area '{found[0]}', age band "
                           f"'{found[1]}' is given {found[2]} times: give each area's age "
                           "band once")


def campaign_of(ctx: MetricContext) -> LoadedCampaign:
    """The run's campaign, read once and shared by every metric and check."""
    return ctx.memo(("vpp_plugins.reach", "campaign"),
                    lambda: load_campaign(ctx.strategy, tuple(
                        source for kind in KINDS for source in ctx.records_of(kind))))
