"""The same incident records under two definitions: what each takes in that the other does
not, category by category."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from vpp_core import RecordsError, RecordSource, records_connection, scan_view, tally
from vpp_plugins.violence.clauses import category_sql
from vpp_plugins.violence.counting import DUPLICATE_INCIDENT
from vpp_plugins.violence.definition import Definition
from vpp_plugins.violence.sources import INCIDENT_SCHEMA, INCIDENTS, with_published_headers


@attrs.frozen
class CategoryDifference:
    definition: str  # the id of the definition the category belongs to
    category: str
    counted: int  # records in the category
    outside_other: int  # of those, records in no category of the other definition


@attrs.frozen
class Comparison:
    first: Definition
    second: Definition
    rows_used: int
    in_both: int
    only_first: int
    only_second: int
    categories: tuple[CategoryDifference, ...]
    rows_read: int = 0
    left_out: tuple[tuple[str, str, int], ...] = ()  # (file, reason, rows)


def _any(definition: Definition) -> str:
    return "(" + " OR ".join(category_sql(definition, c) for c in definition.categories) + ")"


def compare(first: Definition, second: Definition,
            sources: Sequence[RecordSource]) -> Comparison:
    """Count ``sources`` (incident records) under both definitions."""
    incidents = [with_published_headers(s) for s in sources if s.kind == INCIDENTS]
    if not incidents:
        raise RecordsError("comparing definitions needs police-incidents records")
    with records_connection("vpp-violence-") as connection:
        # read as the report reads them: a crime reference given twice is one crime
        scan = scan_view(connection, "incidents", incidents, INCIDENT_SCHEMA,
                         unique=("incident_id", DUPLICATE_INCIDENT))
        any_first, any_second = _any(first), _any(second)
        sums = [f"sum(({any_first} AND {any_second})::INTEGER)",
                f"sum(({any_first} AND NOT {any_second})::INTEGER)",
                f"sum(({any_second} AND NOT {any_first})::INTEGER)"]
        pairs = [(first, any_second), (second, any_first)]
        for definition, other in pairs:
            for category in definition.categories:
                inside = category_sql(definition, category)
                sums += [f"sum({inside}::INTEGER)", f"sum(({inside} AND NOT {other})::INTEGER)"]
        found, table = tally(connection, scan, (
            f"SELECT _file, _reject, {', '.join(sums)}, count(*) FROM incidents "
            "GROUP BY _file, _reject"))
    # the usable rows' sums, file by file (the last column counts the rows)
    values = [sum(int(row[position] or 0) for row in found) for position in range(len(sums))]
    differences = []
    position = 3
    for definition, _ in pairs:
        for category in definition.categories:
            differences.append(CategoryDifference(definition.id, category.id,
                                                  values[position], values[position + 1]))
            position += 2
    return Comparison(first, second, table.rows_used, values[0], values[1], values[2],
                      tuple(differences), table.rows_read, table.reasons)
