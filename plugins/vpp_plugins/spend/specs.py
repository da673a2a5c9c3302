"""What the spend plugin offers: its checks and metrics, each function named by
:func:`vpp_core.lazy` so that the ledger, forecasts and evidence modules are imported
when a spend rule or metric first runs, not whenever ``vpp`` starts."""

from __future__ import annotations

from vpp_core import DEFAULT_MAXIMUM_LEFT_OUT, CheckSpec, MetricSpec, ParameterSpec, Unit, lazy


def _check(name: str) -> str:
    return f"vpp_plugins.spend.checks:{name}"


def _rows(name: str) -> str:
    return f"vpp_plugins.spend.rows:{name}"


def _metric(name: str) -> str:
    return f"vpp_plugins.spend.metrics:{name}"


def _share(name: str, description: str) -> ParameterSpec:
    return ParameterSpec(name, "decimal", description)


CHECKS = (
    CheckSpec("spend-against-profile", lazy(_check("against_profile")),
              "Spend to date against profile per grant, line and intervention: variance "
              "and RAG; red fails.",
              (_share("green_tolerance", "Green within ± this share of the profile."),
               _share("amber_tolerance", "Amber within ± this share; red beyond."))),
    CheckSpec("spend-forecast-within-allocation", lazy(_check("forecast_within_allocation")),
              "Each grant's profile-based and run-rate forecasts within a share of its "
              "allocation.",
              (_share("tolerance", "The largest under- or overspend, as a share."),)),
    CheckSpec("spend-in-year-and-funded", lazy(_check("in_year_and_funded")),
              "Spend dated in its grant's years on a line the grant funds, or covered by "
              "a recorded carry-over."),
    CheckSpec("match-funding-evidenced", lazy(_check("match_funding_evidenced")),
              "Match funding evidenced source by source reaches the year's share of the "
              "core grant.",
              (_share("share", "The share of the core grant to match."),)),
    CheckSpec("milestones-on-time", lazy(_check("milestones_on_time")),
              "No evaluation milestone due before the as-of day is still open."),
    CheckSpec("spend-per-person-at-most", lazy(_check("spend_per_person_at_most")),
              "Spend per new person reached, and per professional trained, at most a "
              "benchmark.",
              (ParameterSpec("benchmark", "money", "The most per person."),
               ParameterSpec("minimum_count", "integer",
                             "Fewer people reached than this: not judged.",
                             required=False, default=5))),
    CheckSpec("spend-records-usable", lazy(_rows("rows_usable")),
              "Every row of the spend records given can be used; those left out are "
              "listed by file and row."),
    CheckSpec("spend-rows-not-repeated", lazy(_rows("rows_not_repeated")),
              "No ledger row (date, grant, line, amount and reference) is in more than one "
              "spend file."),
    CheckSpec("spend-files-usable", lazy(_rows("files_usable")),
              "Every spend file gives usable rows, with at most a share of them left out.",
              (ParameterSpec("maximum_share_left_out", "decimal",
                             "The largest share of a file's rows that may be left out.",
                             required=False, default=DEFAULT_MAXIMUM_LEFT_OUT),)),
)

METRICS = (
    MetricSpec("core-grant-spend", lazy(_metric("core_grant_spend")), Unit.GBP,
               "Actual spend on the year's core grant to the as-of day."),
    MetricSpec("intervention-spend-actual", lazy(_metric("intervention_spend_actual")),
               Unit.GBP, "Actual spend on the core grant's lines paying for interventions."),
    MetricSpec("line-spend-actual", lazy(_metric("line_spend_actual")), Unit.GBP,
               "Actual spend on the core grant on a budget line and its parts (LINE).",
               takes_argument=True),
    MetricSpec("spend-per-person", lazy(_metric("spend_per_person")), Unit.GBP,
               "Spend to date per new person reached (an intervention or strand id).",
               takes_argument=True),
    MetricSpec("spend-per-professional", lazy(_metric("spend_per_professional")), Unit.GBP,
               "Spend to date per professional trained (an intervention or strand id).",
               takes_argument=True),
)
