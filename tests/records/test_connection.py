"""The records connection writes nothing on the standard output: DuckDB draws a progress bar
there for a long query, which would land inside a report written to it."""

from __future__ import annotations

import pytest

from vpp_core import records_connection

LONG_QUERY = "SELECT sum(hash(i)) FROM range(3000000) t(i)"


def test_a_long_query_draws_no_progress_bar(capfd: pytest.CaptureFixture[str]) -> None:
    with records_connection() as connection:
        # the bar would show at once instead of after two seconds: the query is long enough
        connection.execute("SET progress_bar_time = 0")
        (total,) = connection.execute(LONG_QUERY).fetchall()
    assert total[0] is not None
    assert capfd.readouterr().out == ""
