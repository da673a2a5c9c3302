"""Running resolved rules over a strategy: selection, one result per rule per subject.

Each check is called on its own: one that raises gives its rule an ``error`` result with
the exception's message, and every other rule still runs. A :class:`VppError` raised
inside a check (a records file with a broken row) is bad input, not a broken rule: it
ends the run with its own message and exit code, as everywhere else.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import PackError, UsageError, VppError
from vpp_core.model import Strategy
from vpp_core.model.periods import FinancialYear
from vpp_core.plugin_api.context import (
    MetricContext,
    NotAMeasurement,
    RecordSource,
    defined_at,
)
from vpp_core.plugin_api.results import (
    Evidence,
    Finding,
    PluginInfo,
    Quantity,
    Reference,
    Result,
    Severity,
    Status,
    whole_strategy,
)
from vpp_core.plugin_api.specs import CheckSpec, Measurement, MetricSpec
from vpp_core.rules.pack_model import RuleStatus, StrategyReference
from vpp_core.rules.packs import ResolvedRule, RuleSet

#: ``on_check(rule, plugin)``: told before each check runs.
CheckWatcher = Callable[["ResolvedRule", PluginInfo], None]


def _codes(value: Sequence[str] | str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value)
    return tuple(part.strip() for item in items for part in item.split(",") if part.strip())


@attrs.frozen
class AuditOptions:
    """What to run and how to judge it; the caller's choices beat the packs'.

    ``select``/``ignore`` take codes or prefixes (``FUND``, ``FUND001``); the more specific
    wins, and ``ignore`` wins a tie. A rule a pack switched off runs only if ``select``
    names its code exactly. ``severity`` is the least severity to run. ``fail_on`` is the
    least severity of a failure that makes the exit code 1. ``as_of`` is the day waivers
    expire against (today if unset) and the day metrics count up to.
    """

    select: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    severity: Severity | None = None
    fail_on: Severity = Severity.ERROR
    ignore_waivers: bool = False
    as_of: date | None = None

    def runs(self, rule: ResolvedRule) -> bool:
        """Whether ``rule`` runs under these options."""
        if rule.status is RuleStatus.RETIRED:
            return False
        if self.severity is not None and rule.severity.rank < self.severity.rank:
            return False
        selected = _specificity(rule.code, self.select)
        ignored = _specificity(rule.code, self.ignore)
        if self.select and selected < 0:
            return False
        if not rule.enabled and selected < len(rule.code):
            return False
        return not (ignored >= 0 and ignored >= selected)


def _specificity(code: str, patterns: Sequence[str]) -> int:
    """The length of the longest pattern ``code`` starts with; -1 if none."""
    return max((len(pattern) for pattern in patterns if code.startswith(pattern)), default=-1)


def _said(exc: BaseException) -> str:
    """The exception's message, unless DuckDB's (which quotes the values it failed on, and
    a record's values may identify a person)."""
    if type(exc).__module__.lstrip("_").startswith("duckdb"):
        return "DuckDB's message is not shown, as it may quote a record's values"
    return str(exc)


def _where(exc: BaseException) -> str:
    """``file.py:line`` of the innermost frame, file name only (no machine paths)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {Path(last.filename).name}:{last.lineno})"


class _NotFindings(Exception):
    """What a check gave back is not findings the engine can use (said of the check)."""


def _quantities(evidence: Evidence) -> Iterator[Quantity]:
    """Every figure of a finding's evidence."""
    yield from (quantity for quantity in (
        evidence.measured, evidence.threshold, evidence.numerator, evidence.denominator,
        evidence.shortfall, *evidence.parts) if quantity is not None)


def _run_check(spec: CheckSpec, context: MetricContext, rule: ResolvedRule,
               params: Mapping[str, object]) -> list[Finding]:
    returned = spec.function(context.for_rule(rule.code, params))
    if isinstance(returned, str | bytes | Mapping) or not isinstance(returned, Iterable):
        raise _NotFindings(f"returned {type(returned).__name__}, not findings "
                           "(a list or generator of Finding)")
    findings = list(returned)
    seen: set[tuple[str, str]] = set()  # a subject is named by kind:id (waivers, baselines)
    for finding in findings:
        if not isinstance(finding, Finding):
            raise _NotFindings(f"gave {type(finding).__name__}, not a Finding")
        named = (finding.subject.kind, finding.subject.id)
        if named in seen:
            raise _NotFindings(f"gave two findings for {finding.subject}")
        if finding.status in (Status.ERROR, Status.WAIVED):
            raise _NotFindings(f"gave status {finding.status.value!r}; only the engine gives "
                               "error and waived")
        for quantity in _quantities(finding.evidence):
            if not isinstance(quantity.value, Decimal):  # every report formats a Decimal
                raise _NotFindings(f"gave {quantity.label!r} as {type(quantity.value).__name__}"
                                   ", not a Decimal: figures are exact")
        seen.add(named)
    return findings


def rule_references(rule: ResolvedRule, strategy: Strategy) -> tuple[Reference, ...]:
    """The rule's references, those into the audited strategy's own document resolved
    against its ``[document] sections`` (its title, the section's title and page)."""
    document = strategy.document
    resolved = []
    for reference in rule.references:
        if isinstance(reference, StrategyReference):
            section = document.section(reference.section_id)
            unlisted = (f"{reference.section} (no section {reference.section_id!r} in the "
                        "strategy's [document] sections)")
            reference = Reference(
                document=document.title,
                section=section.title if section is not None else unlisted,
                page=section.page if section is not None else None,
                url=document.url,
            )
        resolved.append(reference)
    return tuple(resolved)


def _threshold_source(rule: ResolvedRule, evidence: Evidence, year: FinancialYear,
                      versions: Mapping[str, str]) -> Evidence:
    """A threshold a check left without a source, taken from a parameter of the rule (its
    name in the threshold's label, ``a_name`` as the words "a name"): the pack, rule,
    parameter and year it came from."""
    threshold = evidence.threshold
    if threshold is None or threshold.source:
        return evidence
    label = f" {' '.join(threshold.label.replace(':', ' ').split())} "
    for name, parameter in rule.parameters.items():
        setting = parameter.plain or parameter.by_year.get(str(year))
        if setting is None or f" {name.replace('_', ' ')} " not in label:
            continue
        pack = (f"pack {setting.pack} {versions[setting.pack]}" if setting.pack in versions
                else setting.pack)
        when = f" ({setting.year})" if setting.year else ""
        return attrs.evolve(evidence, threshold=attrs.evolve(
            threshold, source=f"{pack}: {rule.code} {name}{when}"))
    return evidence


def _result(rule: ResolvedRule, plugin: PluginInfo, finding: Finding, title: str,
            references: tuple[Reference, ...]) -> Result:
    return Result(
        code=rule.code,
        name=rule.name,
        title=title,
        severity=rule.severity,
        status=finding.status,
        message=finding.message,
        subject=finding.subject,
        check=rule.check,
        plugin=plugin,
        evidence=finding.evidence,
        references=references,
    )


def run_rules(
    strategy: Strategy,
    rules: RuleSet,
    checks: Mapping[str, tuple[CheckSpec, PluginInfo]],
    metrics: Mapping[str, MetricSpec],
    *,
    records: Sequence[RecordSource] = (),
    options: AuditOptions | None = None,
    context: MetricContext | None = None,
    on_check: CheckWatcher | None = None,
) -> tuple[tuple[Result, ...], dict[str, Measurement]]:
    """Every selected rule's results for ``strategy`` (sorted by code, then subject) and
    every metric computed on the way.

    ``context``: the run's context, made by the caller to ask it afterwards what was read
    (made here if not given, from ``records``). ``on_check(rule, plugin)`` is called
    before each check runs (a batch worker tells its parent which check is running)."""
    options = options if options is not None else AuditOptions()
    if context is None:
        context = MetricContext(strategy, metrics, tuple(records), options.as_of)
    selected = [rule for rule in rules.rules if options.runs(rule)]
    missing = tuple(line for rule in selected
                    for line in rule.missing_for(strategy.financial_year))
    if missing:  # every value the year lacks, at once: not one rule per attempt
        raise PackError(missing[0], problems=missing)
    versions = {pack.name: pack.version for pack in rules.packs}
    results: list[Result] = []
    for rule in selected:
        spec, plugin = checks[rule.check]
        params = rule.parameters_for(strategy.financial_year)
        title, references = rule.title_for(params), rule_references(rule, strategy)
        if on_check is not None:
            on_check(rule, plugin)
        try:
            findings = _run_check(spec, context, rule, params)
        except UsageError as error:  # the rule asked for what cannot be: name the rule
            raise error.in_file(f"{display_path(rule.pack.path)}: rule {rule.code}") from None
        except VppError:
            raise
        except NotAMeasurement as exc:  # said of the metric, wherever it was asked for
            results.append(_result(rule, plugin, Finding(
                whole_strategy(strategy), Status.ERROR, str(exc)), title, references))
            continue
        except _NotFindings as exc:
            message = (f"check {rule.check!r} of plugin {plugin.name!r} {exc}"
                       f"{defined_at(spec.function, 'check')}")
            results.append(_result(rule, plugin, Finding(
                whole_strategy(strategy), Status.ERROR, message), title, references))
            continue
        except SystemExit as exc:  # never a silent exit 0 from inside a check
            message = (f"check {rule.check!r} of plugin {plugin.name!r} called "
                       f"sys.exit({exc.code!r}){_where(exc)}")
            results.append(_result(rule, plugin, Finding(
                whole_strategy(strategy), Status.ERROR, message), title, references))
            continue
        except Exception as exc:
            message = f"the check raised {type(exc).__name__}: {_said(exc)}{_where(exc)}"
            results.append(_result(rule, plugin, Finding(
                whole_strategy(strategy), Status.ERROR, message), title, references))
            continue
        if not findings:
            findings = [Finding(whole_strategy(strategy), Status.NOT_APPLICABLE,
                                "nothing to check in this strategy")]
        results.extend(_result(rule, plugin, attrs.evolve(finding, evidence=_threshold_source(
            rule, finding.evidence, strategy.financial_year, versions)), title, references)
                       for finding in findings)
    results.sort(key=lambda result: (result.code, result.subject))
    return tuple(results), context.computed()
