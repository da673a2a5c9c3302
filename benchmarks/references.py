"""The target counting and the references it is timed against: the same counts, by
hand-written DuckDB SQL and by pandas, with the same rules for rows left out.

Each returns ``{(intervention, cohort): people}`` plus ``("unique", "all")``, counted to
the as-of day over each intervention's window.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from vpp_plugins.targets.counting import count_targets
from vpp_plugins.targets.lines import windows

from vpp_core.model import Strategy
from vpp_core.plugin_api.context import RecordSource

Counts = dict[tuple[str, str], int]


def _windows(strategy: Strategy, as_of: date) -> dict[str, tuple[date, date]]:
    periods = windows(strategy, frozenset(i.id for i in strategy.interventions))
    return {key: (period.start, min(period.end, as_of)) for key, period in periods.items()}


def ours(strategy: Strategy, path: Path, as_of: date) -> Counts:
    """vpp-core's counting: load and check the records, then count (what ``vpp targets`` does)."""
    counts = count_targets(strategy, [RecordSource("participants", path)], as_of)
    result = {(item.key, item.cohort): item.count for item in counts.reached if item.count}
    result[("unique", "all")] = counts.unique_people
    return result


def hand_sql(strategy: Strategy, path: Path, as_of: date) -> Counts:
    """One DuckDB query over the CSV, written as an analyst would."""
    import duckdb

    values = ", ".join(f"('{key}', DATE '{start}', DATE '{end}')"
                       for key, (start, end) in _windows(strategy, as_of).items())
    sql = f"""
    WITH raw AS (
        SELECT trim(person_id) AS person_id, lower(trim(intervention)) AS intervention,
               lower(trim(event_type)) AS event_type,
               COALESCE(TRY_CAST(trim(event_date) AS DATE),
                        TRY_STRPTIME(trim(event_date), '%d/%m/%Y')::DATE) AS event_date,
               COALESCE(TRY_CAST(trim(date_of_birth) AS DATE),
                        TRY_STRPTIME(trim(date_of_birth), '%d/%m/%Y')::DATE) AS dob,
               trim(date_of_birth) AS dob_text, trim(age_at_event) AS age_text,
               CASE WHEN regexp_full_match(trim(age_at_event), '[+-]?[0-9]+')
                    THEN TRY_CAST(trim(age_at_event) AS BIGINT) END AS age_at_event
        FROM read_csv('{path}', all_varchar = true, header = true, ignore_errors = true)
    ),
    good AS (
        SELECT person_id, intervention, event_type, event_date,
               CASE WHEN dob IS NOT NULL THEN year(event_date) - year(dob)
                    - CASE WHEN strftime(event_date, '%m%d') < strftime(dob, '%m%d')
                      THEN 1 ELSE 0 END ELSE age_at_event END AS age
        FROM raw
        WHERE person_id <> '' AND event_date BETWEEN DATE '1900-01-01' AND DATE '2099-12-31'
          AND event_type IN ('referral', 'start', 'session', 'exit')
          AND (dob_text IS NULL OR dob_text = '' OR dob BETWEEN DATE '1900-01-01'
               AND DATE '2099-12-31')
          AND (age_text IS NULL OR age_text = '' OR age_at_event IS NOT NULL)
          AND (dob IS NOT NULL OR age_at_event IS NOT NULL)
          AND (dob IS NULL OR dob <= event_date)
          AND (age_at_event IS NULL OR age_at_event BETWEEN 0 AND 120)
    ),
    firsts AS (
        SELECT g.intervention, g.person_id, min(g.event_date) AS first_day,
               arg_min(g.age, (g.event_date, g.age)) AS age
        FROM good AS g JOIN (VALUES {values}) AS w(key, first_day, last_day)
          ON g.intervention = w.key
        WHERE g.event_type <> 'referral' AND g.event_date <= w.last_day
        GROUP BY g.intervention, g.person_id, w.first_day
        HAVING min(g.event_date) >= w.first_day
    )
    SELECT intervention, CASE WHEN age <= 24 THEN '24-and-under' ELSE '25-and-over' END,
           count(*) FROM firsts GROUP BY ALL
    UNION ALL
    SELECT 'unique', 'all', count(DISTINCT person_id) FROM firsts
    """
    connection = duckdb.connect()
    try:
        return {(key, cohort): int(n) for key, cohort, n in connection.execute(sql).fetchall()}
    finally:
        connection.close()


def with_pandas(strategy: Strategy, path: Path, as_of: date) -> Counts:
    """The same counts with pandas, vectorised (no Python loop over rows)."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip")
    text = {column: frame[column].str.strip() for column in frame.columns}

    def dates(values: pd.Series) -> pd.Series:
        iso = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
        uk = pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")
        parsed = iso.fillna(uk)
        in_range = (parsed >= "1900-01-01") & (parsed <= "2099-12-31")
        return parsed.where(in_range)

    event_date, dob = dates(text["event_date"]), dates(text["date_of_birth"])
    age_text = text["age_at_event"]
    age_given = pd.to_numeric(age_text.where(age_text.str.fullmatch(r"[+-]?[0-9]+")),
                              errors="coerce")
    before_birthday = (event_date.dt.month * 100 + event_date.dt.day) < (
        dob.dt.month * 100 + dob.dt.day)
    age = (event_date.dt.year - dob.dt.year - before_birthday.astype(int)).where(
        dob.notna(), age_given)
    intervention = text["intervention"].str.lower()
    event_type = text["event_type"].str.lower()
    good = (
        (text["person_id"] != "") & event_date.notna()
        & event_type.isin(["referral", "start", "session", "exit"])
        & ((text["date_of_birth"] == "") | dob.notna())
        & ((age_text == "") | age_given.notna())
        & (dob.notna() | age_given.notna())
        & (dob.isna() | (dob <= event_date))
        & (age_given.isna() | age_given.between(0, 120))
    )
    spans = _windows(strategy, as_of)
    first = pd.Series({key: pd.Timestamp(start) for key, (start, _) in spans.items()})
    last = pd.Series({key: pd.Timestamp(end) for key, (_, end) in spans.items()})
    rows = pd.DataFrame({"person": text["person_id"], "intervention": intervention,
                         "day": event_date, "age": age})[
        good & (event_type != "referral") & intervention.isin(spans.keys())]
    rows = rows[rows["day"] <= rows["intervention"].map(last)]
    rows = rows.sort_values(["intervention", "person", "day", "age"])
    firsts = rows.drop_duplicates(["intervention", "person"])
    firsts = firsts[firsts["day"] >= firsts["intervention"].map(first)]
    cohort = (firsts["age"] <= 24).map({True: "24-and-under", False: "25-and-over"})
    counted = firsts.groupby([firsts["intervention"], cohort]).size()
    result = {(str(key), str(band)): int(n) for (key, band), n in counted.items()}
    result[("unique", "all")] = int(firsts["person"].nunique())
    return result
