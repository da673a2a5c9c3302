"""Serious violence counted from whichever kind of crime data is given: the knife tables
here, every other kind through :func:`.counting.count`."""

from __future__ import annotations

from collections.abc import Sequence

from vpp_core import RecordsError, RecordSource, records_connection
from vpp_plugins.violence.counting import Counts, Granularity, count
from vpp_plugins.violence.definition import Definition
from vpp_plugins.violence.knife import count_knife_table
from vpp_plugins.violence.sources import CSP_OFFENCES, INCIDENTS, KNIFE_OFFENCES, STREET_CRIME

CRIME_KINDS = frozenset({INCIDENTS, CSP_OFFENCES, KNIFE_OFFENCES, STREET_CRIME})


def count_records(definition: Definition, sources: Sequence[RecordSource],
                  granularity: Granularity = Granularity.QUARTER) -> Counts:
    """Count serious violence under ``definition`` from ``sources`` (one kind of crime data,
    plus an LSOA lookup and populations where the kind uses them)."""
    kinds = {source.kind for source in sources} & CRIME_KINDS
    if KNIFE_OFFENCES not in kinds:
        return count(definition, sources, granularity)
    if len(kinds) != 1:
        raise RecordsError("give crime records of one kind: police-incidents, csp-offences, "
                           f"knife-offences or street-crime (given: {', '.join(sorted(kinds))})")
    with records_connection("vpp-violence-") as connection:
        return count_knife_table(connection, definition,
                                 [s for s in sources if s.kind == KNIFE_OFFENCES], granularity)
