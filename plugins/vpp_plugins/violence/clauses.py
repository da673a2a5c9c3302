"""A definition's clauses two ways, with one meaning: as SQL over a table of incidents (for
counting), and as a plain reading of one record (for explaining why it was taken in or left
out). Both follow the rules stated in :mod:`.definition`."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from vpp_core import sql_literal
from vpp_plugins.violence.definition import (
    AgeRange,
    Category,
    Criteria,
    Definition,
    Exclusion,
    normalise_code,
)
from vpp_plugins.violence.sources import FLAG_SET

#: SQL for the offence code as definitions compare it (see ``normalise_code``).
CODE_SQL = "replace(upper(offence_code), '/', '.')"


def _age_sql(column: str, ages: AgeRange) -> str:
    low = f" AND {column} >= {int(ages.min)}" if ages.min is not None else ""
    high = f" AND {column} <= {int(ages.max)}" if ages.max is not None else ""
    return f"({column} IS NOT NULL{low}{high})"


def _flag_sql(flag: str) -> str:
    values = ", ".join(sql_literal(value) for value in FLAG_SET)
    return f"coalesce(CAST({flag} AS VARCHAR) IN ({values}), false)"


def criteria_sql(criteria: Criteria) -> str:
    """SQL true for a row meeting every criterion of ``criteria``."""
    parts = []
    if criteria.offence_codes:
        parts.append(f"coalesce({CODE_SQL} IN "
                     f"({', '.join(sql_literal(code) for code in criteria.offence_codes)}), false)")
    if criteria.flags:
        parts.append("(" + " OR ".join(_flag_sql(flag.value) for flag in criteria.flags) + ")")
    if criteria.victim_age:
        parts.append(_age_sql("victim_age", criteria.victim_age))
    if criteria.suspect_age:
        parts.append(_age_sql("suspect_age", criteria.suspect_age))
    return "(" + " AND ".join(parts) + ")"


def exclusions_of(definition: Definition, category: Category) -> tuple[Exclusion, ...]:
    """The exclusions that apply to ``category``, in the order they are tried."""
    return (*category.exclusions, *definition.exclusions)


def category_sql(definition: Definition, category: Category) -> str:
    """SQL true for a row in ``category``: any clause met, no exclusion met."""
    taken_in = " OR ".join(criteria_sql(clause) for clause in category.clauses)
    left_out = [criteria_sql(exclusion.criteria)
                for exclusion in exclusions_of(definition, category)]
    if not left_out:
        return f"({taken_in})"
    return f"(({taken_in}) AND NOT ({' OR '.join(left_out)}))"


@attrs.frozen
class Incident:
    """The values of one record that a definition reads (never its id)."""

    offence_code: str | None
    flags: frozenset[str]
    victim_age: int | None = None
    suspect_age: int | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> Incident:
        flags = frozenset(
            name for name in ("knife", "firearm", "domestic_abuse", "county_lines")
            if str(values.get(name) or "").strip().lower() in FLAG_SET
        )
        code = values.get("offence_code")
        victim, suspect = values.get("victim_age"), values.get("suspect_age")
        return cls(None if code is None else str(code), flags,
                   None if victim is None else int(str(victim)),
                   None if suspect is None else int(str(suspect)))


def _in_range(age: int | None, ages: AgeRange) -> bool:
    if age is None:
        return False
    return (ages.min is None or age >= ages.min) and (ages.max is None or age <= ages.max)


def unmet(criteria: Criteria, incident: Incident) -> list[str]:
    """The criteria ``incident`` does not meet, in words; empty when it meets them all."""
    reasons = []
    code = None if incident.offence_code is None else normalise_code(incident.offence_code)
    if criteria.offence_codes and code not in criteria.offence_codes:
        reasons.append(f"offence code {code} is not one of {', '.join(criteria.offence_codes)}")
    if criteria.flags and not incident.flags & {flag.value for flag in criteria.flags}:
        reasons.append(f"no {' or '.join(flag.value for flag in criteria.flags)} flag")
    if criteria.victim_age and not _in_range(incident.victim_age, criteria.victim_age):
        reasons.append(f"victim age not {criteria.victim_age.text()}")
    if criteria.suspect_age and not _in_range(incident.suspect_age, criteria.suspect_age):
        reasons.append(f"suspect age not {criteria.suspect_age.text()}")
    return reasons


def explain(definition: Definition, category: Category, incident: Incident) -> tuple[bool, str]:
    """Whether ``incident`` is in ``category``, and which clause or exclusion decided it."""
    for number, clause in enumerate(category.clauses, 1):
        if unmet(clause, incident):
            continue
        for exclusion in exclusions_of(definition, category):
            if not unmet(exclusion.criteria, incident):
                return False, (f"clause {number} takes it in, but exclusion "
                               f"'{exclusion.id}' leaves it out: {exclusion.reason}")
        return True, f"clause {number} takes it in"
    reasons = "; ".join(
        f"clause {number}: {', '.join(unmet(clause, incident))}"
        for number, clause in enumerate(category.clauses, 1)
    )
    return False, f"no clause takes it in ({reasons})"
