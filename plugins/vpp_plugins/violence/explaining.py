"""Why a record was counted or not: by row number (never by id), category by category, the
clause of the definition that took it in or the reason none did."""

from __future__ import annotations

import attrs

from vpp_core import RecordsError, RecordSource, load_table, records_connection
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
        offset = 1 if table.files[0].lower().endswith((".csv", ".tsv", ".txt")) else 0
        explained = []
        for row in rows:
            if row in rejected:
                explained.append(Explanation(row, left_out_by_reader=rejected[row]))
                continue
            repeated = connection.execute(  # an earlier usable row has its crime reference
                "SELECT count(*) FROM incidents AS this JOIN incidents AS earlier "
                "USING (incident_id) WHERE this.rowid + 1 = ? AND earlier.rowid < this.rowid",
                [row - offset]).fetchone()
            if repeated is not None and repeated[0]:
                explained.append(Explanation(row, left_out_by_reader=DUPLICATE_INCIDENT))
                continue
            found = connection.execute(
                f"SELECT {', '.join(_READ)} FROM incidents WHERE rowid + 1 = ?",
                [row - offset]).fetchone()
            if found is None:
                raise RecordsError(f"{table.files[0]}: row {row}: no such row "
                                   f"({table.rows_read} rows read)")
            incident = Incident.from_values(dict(zip(_READ, found, strict=True)))
            explained.append(Explanation(row, decisions=tuple(
                (category.id, *explain(definition, category, incident))
                for category in definition.categories)))
    return tuple(explained)
