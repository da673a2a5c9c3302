"""Why a record was counted or not: by row number (never by id), category by category, the
clause of the definition that took it in or the reason none did."""

from __future__ import annotations

import attrs
from duckdb import DuckDBPyConnection

from vpp_core import (
    LoadedTable,
    RecordsError,
    RecordSource,
    csv_record_ordinals,
    load_table,
    records_connection,
)
from vpp_plugins.violence.clauses import Incident, explain
from vpp_plugins.violence.counting import DUPLICATE_INCIDENT
from vpp_plugins.violence.definition import Definition
from vpp_plugins.violence.sources import INCIDENT_SCHEMA, INCIDENTS, with_published_headers

_READ = ("offence_code", "knife", "firearm", "domestic_abuse", "county_lines",
         "victim_age", "suspect_age")


@attrs.frozen
class Explanation:
    row: int
    left_out_by_reader: str = ""  # the reader's reason, when the row was not usable
    decisions: tuple[tuple[str, bool, str], ...] = ()  # category, counted, why


def explain_rows(definition: Definition, source: RecordSource,
                 rows: tuple[int, ...]) -> tuple[Explanation, ...]:
    """Explain ``rows`` of one incidents file, numbered as the reader numbers them (CSV: the
    line, the header being line 1; Parquet: the row, from 1)."""
    if source.kind != INCIDENTS:
        raise RecordsError(f"{source.path}: only police-incidents records can be explained "
                           "row by row")
    with records_connection("vpp-violence-") as connection:
        table = load_table(connection, "incidents", [with_published_headers(source)],
                           INCIDENT_SCHEMA)
        rejected = {row.row: row.reason for row in table.rejected}
        ordinals = _ordinals(connection, source, table, rows)
        explained = []
        for row in rows:
            if row in rejected:
                explained.append(Explanation(row, left_out_by_reader=rejected[row]))
                continue
            if row not in ordinals:
                raise RecordsError(f"{table.files[0]}: row {row}: no such row: no record "
                                   f"starts on that line ({table.rows_read} rows read)")
            repeated = connection.execute(  # an earlier usable row has its crime reference
                "SELECT count(*) FROM incidents AS this JOIN incidents AS earlier "
                "USING (incident_id) WHERE this.rowid + 1 = ? AND earlier.rowid < this.rowid",
                [ordinals[row]]).fetchone()
            if repeated is not None and repeated[0]:
                explained.append(Explanation(row, left_out_by_reader=DUPLICATE_INCIDENT))
                continue
            found = connection.execute(
                f"SELECT {', '.join(_READ)} FROM incidents WHERE rowid + 1 = ?",
                [ordinals[row]]).fetchone()
            if found is None:
                raise RecordsError(f"{table.files[0]}: row {row}: no such row "
                                   f"({table.rows_read} rows read)")
            incident = Incident.from_values(dict(zip(_READ, found, strict=True)))
            explained.append(Explanation(row, decisions=tuple(
                (category.id, *explain(definition, category, incident))
                for category in definition.categories)))
    return tuple(explained)


def _ordinals(connection: DuckDBPyConnection, source: RecordSource, table: LoadedTable,
              rows: tuple[int, ...]) -> dict[int, int]:
    """Each row asked for (a CSV line, or a Parquet row) as the place of its record among
    those read: a CSV file's blank lines, malformed lines and values over several lines
    are skipped as the reader skips them."""
    if source.path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return {row: row for row in rows}
    malformed = [row.row for row in table.rejected if row.reason.startswith("malformed line")]
    records = table.rows_read - len(malformed) + table.empty_rows
    return csv_record_ordinals(connection, source.path, rows, malformed, records)
