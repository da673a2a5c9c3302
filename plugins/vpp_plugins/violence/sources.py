"""The record kinds serious violence is counted from, with the column names each published
layout uses, so a file as downloaded needs no mapping.

``police-incidents``: one row per recorded crime from a force's own system — an id (never
shown), the date, the Home Office offence code, the crime flags, the area (a Community
Safety Partnership, or an LSOA rolled up through ``lsoa-lookup``) and ages where recorded.
``csp-offences``: the Home Office's police recorded crime open data table by Community
Safety Partnership — offences by financial year, quarter, CSP and offence code.
``knife-offences``: the Home Office's open data tables of offences involving knives or sharp
instruments — offences by financial year, quarter, police force and offence code, every one
of them knife-involved. The headers are our reading of the published layout (not confirmed
against a downloaded file): a file that differs maps its columns in the manifest.
``street-crime``: police.uk street-level crime files — one row per crime, month and LSOA,
with only a coarse crime type. ``lsoa-lookup``: LSOA code to area. ``area-population``:
residents per area, for rates.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from vpp_core import Column, ColumnType, RecordSchema, RecordSource, RowRule

INCIDENTS = "police-incidents"
CSP_OFFENCES = "csp-offences"
STREET_CRIME = "street-crime"
KNIFE_OFFENCES = "knife-offences"
LSOA_LOOKUP = "lsoa-lookup"
AREA_POPULATION = "area-population"
KINDS = (INCIDENTS, CSP_OFFENCES, KNIFE_OFFENCES, STREET_CRIME, LSOA_LOOKUP, AREA_POPULATION)

#: What a flag column may hold; compared trimmed and ignoring case.
FLAG_VALUES = frozenset({"y", "n", "yes", "no", "true", "false", "1", "0"})
FLAG_SET = ("y", "yes", "true", "1")
FLAG_COLUMNS = ("knife", "firearm", "domestic_abuse", "county_lines")


def _flag(name: str, meaning: str) -> Column:
    return Column(name, ColumnType.STRING, required=False, allowed=FLAG_VALUES,
                  description=f"{meaning}: Y/N, yes/no, true/false or 1/0")


INCIDENT_SCHEMA = RecordSchema(
    kind=INCIDENTS,
    columns=(
        Column("incident_id", ColumnType.ID, description="the force's crime reference; "
               "never leaves the process"),
        Column("offence_date", ColumnType.DATE),
        Column("offence_code", ColumnType.ID,
               description="Home Office offence classification, e.g. 5D or 4/1"),
        Column("area", ColumnType.STRING, required=False,
               description="Community Safety Partnership"),
        Column("lsoa_code", ColumnType.ID, required=False,
               description="LSOA, rolled up to an area through lsoa-lookup"),
        _flag("knife", "knife or sharp instrument involved"),
        _flag("firearm", "firearm involved"),
        _flag("domestic_abuse", "domestic abuse flag"),
        _flag("county_lines", "county lines flag"),
        Column("victim_age", ColumnType.INTEGER, required=False),
        Column("suspect_age", ColumnType.INTEGER, required=False),
    ),
    one_of=(("area", "lsoa_code"),),
    rules=(
        RowRule("victim_age < 0 OR victim_age > 120", "victim age outside 0 to 120"),
        RowRule("suspect_age < 0 OR suspect_age > 120", "suspect age outside 0 to 120"),
    ),
)

CSP_SCHEMA = RecordSchema(
    kind=CSP_OFFENCES,
    columns=(
        Column("financial_year", ColumnType.STRING, description="e.g. 2023/24"),
        Column("financial_quarter", ColumnType.INTEGER, description="1 to 4"),
        Column("force_name", ColumnType.STRING, required=False),
        Column("csp_name", ColumnType.STRING),
        Column("offence_description", ColumnType.STRING, required=False),
        Column("offence_group", ColumnType.STRING, required=False),
        Column("offence_subgroup", ColumnType.STRING, required=False),
        Column("offence_code", ColumnType.ID),
        Column("number_of_offences", ColumnType.INTEGER),
    ),
    rules=(
        RowRule("financial_quarter NOT BETWEEN 1 AND 4", "quarter not 1 to 4"),
        RowRule("number_of_offences < 0", "negative number of offences"),
        RowRule("NOT regexp_full_match(financial_year, '[0-9]{4}[/-][0-9]{2}')",
                "financial year not like 2023/24"),
    ),
)

#: The knife table as we read it: the CSP table's columns, by police force (its finest area)
#: rather than by Community Safety Partnership.
KNIFE_SCHEMA = RecordSchema(
    kind=KNIFE_OFFENCES,
    columns=(
        Column("force_name", ColumnType.STRING, description="the police force area"),
        *(column for column in CSP_SCHEMA.columns if column.name not in ("force_name", "csp_name")),
    ),
    rules=CSP_SCHEMA.rules,
)

STREET_SCHEMA = RecordSchema(
    kind=STREET_CRIME,
    columns=(
        Column("crime_id", ColumnType.STRING, required=False,
               description="police.uk's id (blank for anti-social behaviour)"),
        Column("month", ColumnType.STRING, description="YYYY-MM"),
        Column("reported_by", ColumnType.STRING, required=False),
        Column("falls_within", ColumnType.STRING, required=False),
        Column("lsoa_code", ColumnType.ID, required=False),
        Column("lsoa_name", ColumnType.STRING, required=False),
        Column("crime_type", ColumnType.STRING),
    ),
    rules=(RowRule("NOT regexp_full_match(month, '[0-9]{4}-(0[1-9]|1[0-2])')",
                   "month not like 2024-03"),),
)

LOOKUP_SCHEMA = RecordSchema(
    kind=LSOA_LOOKUP,
    columns=(Column("lsoa_code", ColumnType.ID), Column("area", ColumnType.STRING)),
)

POPULATION_SCHEMA = RecordSchema(
    kind=AREA_POPULATION,
    columns=(
        Column("area", ColumnType.STRING),
        Column("residents", ColumnType.INTEGER),
        Column("source", ColumnType.STRING, required=False,
               description="where the figure is from (e.g. ONS mid-year estimate 2022)"),
    ),
    rules=(RowRule("residents <= 0", "residents not above 0"),),
)

SCHEMAS = {schema.kind: schema for schema in (
    INCIDENT_SCHEMA, CSP_SCHEMA, KNIFE_SCHEMA, STREET_SCHEMA, LOOKUP_SCHEMA, POPULATION_SCHEMA)}

#: The headers of the published layouts, used when a source maps no columns of its own.
PUBLISHED_HEADERS: dict[str, dict[str, str]] = {
    CSP_OFFENCES: {
        "financial_year": "Financial Year",
        "financial_quarter": "Financial Quarter",
        "force_name": "Force Name",
        "csp_name": "CSP Name",
        "offence_description": "Offence Description",
        "offence_group": "Offence Group",
        "offence_subgroup": "Offence Subgroup",
        "offence_code": "Offence Code",
        "number_of_offences": "Number of Offences",
    },
    STREET_CRIME: {
        "crime_id": "Crime ID",
        "month": "Month",
        "reported_by": "Reported by",
        "falls_within": "Falls within",
        "lsoa_code": "LSOA code",
        "lsoa_name": "LSOA name",
        "crime_type": "Crime type",
    },
}


# Our reading of the knife table's layout: the CSP table's headers, without the CSP.
PUBLISHED_HEADERS[KNIFE_OFFENCES] = {
    ours: theirs for ours, theirs in PUBLISHED_HEADERS[CSP_OFFENCES].items() if ours != "csp_name"}


def with_published_headers(source: RecordSource) -> RecordSource:
    """``source`` with the published layout's headers for every column it does not map."""
    defaults: Mapping[str, str] = PUBLISHED_HEADERS.get(source.kind, {})
    if not defaults:
        return source
    return attrs.evolve(source, columns={**defaults, **source.columns})

KIND_DESCRIPTIONS = {
    INCIDENTS: "recorded crimes from a force's own system: id, date, offence code, flags, "
               "area or LSOA, ages",
    CSP_OFFENCES: "the Home Office police recorded crime open data table by Community Safety "
                  "Partnership (offences by year, quarter, CSP and offence code)",
    KNIFE_OFFENCES: "the Home Office open data table of offences involving knives or sharp "
                    "instruments (offences by year, quarter, police force and offence code)",
    STREET_CRIME: "police.uk street-level crime files (month, LSOA, coarse crime type)",
    LSOA_LOOKUP: "LSOA code to area (Community Safety Partnership), for rolling up",
    AREA_POPULATION: "residents per area, for rates per 1,000",
}
