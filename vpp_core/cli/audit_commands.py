"""``vpp audit``, ``vpp rules``, ``vpp rule CODE``, ``vpp plugins``: the core commands.

Thin: each parses its options, calls :mod:`vpp_core.api`, and prints what a reporter or
a formatter renders. Exit codes come from :meth:`vpp_core.report.Report.exit_code`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from vpp_core.api import audit as run_audit
from vpp_core.api import load_rules
from vpp_core.bundled import bundled_records, bundled_strategy, display_path
from vpp_core.engine import AuditOptions
from vpp_core.errors import UsageError
from vpp_core.markers import hookimpl
from vpp_core.packs import PackLibrary, Parameter, ResolvedRule
from vpp_core.plugins import Plugins
from vpp_core.report import EXIT_OK
from vpp_core.results import Severity
from vpp_core.specs import CommandSpec

_SEVERITIES = [severity.value for severity in Severity]


# -------------------------------------------------------------------------
# vpp audit
# -------------------------------------------------------------------------


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("strategy", nargs="*", metavar="STRATEGY",
                        help="strategy TOML files (default: the bundled Thames Valley "
                             "2024–25 fixture)")
    parser.add_argument("--pack", action="append", metavar="P",
                        help="a rule pack by name or path (repeatable; default: the packs "
                             "marked default)")
    parser.add_argument("--waivers", metavar="W", help="a waivers TOML file")
    parser.add_argument("--records", action="append", default=[], metavar="R",
                        help="records: a records.toml manifest, a folder with one, or "
                             "KIND=PATH (repeatable)")
    parser.add_argument("--select", action="append", default=[], metavar="CODES",
                        help="run only these codes or prefixes (comma-separated, repeatable)")
    parser.add_argument("--ignore", action="append", default=[], metavar="CODES",
                        help="do not run these codes or prefixes (comma-separated, repeatable)")
    parser.add_argument("--severity", choices=_SEVERITIES,
                        help="run only rules of at least this severity")
    parser.add_argument("--fail-on", choices=_SEVERITIES, default="error",
                        help="exit 1 for failures at or above this severity (default: error)")
    parser.add_argument("--ignore-waivers", action="store_true",
                        help="show the findings as they would be without waivers")
    parser.add_argument("--format", default="text", metavar="FORMAT",
                        help="output format: text (default), json, or one a plugin adds")
    parser.add_argument("--output", metavar="FILE", help="write the report here, not stdout")
    parser.add_argument("--as-of", metavar="DATE",
                        help="the day waivers expire against and metrics count to "
                             "(default: today)")
    parser.add_argument("--verbose", action="store_true",
                        help="text: show the evidence of passing results too")


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: expected a date like 2025-03-31, got {text!r}") from None


def _audit(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    reporters = plugins.reporters()
    if options.format not in reporters:
        raise UsageError(f"--format: unknown format {options.format!r} "
                         f"(available: {', '.join(reporters)})")
    strategies = options.strategy or [bundled_strategy()]
    # the bundled fixture comes with its records, so that target rules show out of the box
    records = options.records or ([] if options.strategy else list(bundled_records()))
    report = run_audit(
        strategies,
        packs=options.pack,
        waivers=options.waivers,
        records=records,
        options=AuditOptions(
            select=tuple(options.select),
            ignore=tuple(options.ignore),
            severity=Severity(options.severity) if options.severity else None,
            fail_on=Severity(options.fail_on),
            ignore_waivers=options.ignore_waivers,
            as_of=_as_of(options.as_of),
        ),
        plugins=plugins,
    )
    if not options.strategy:
        with_records = " with its records" if records and not options.records else ""
        print(f"vpp: no strategy given; audited the bundled fixture "
              f"{display_path(bundled_strategy())}{with_records}", file=sys.stderr)
    spec, _ = reporters[options.format]
    text = spec.function(report, {"verbose": options.verbose})
    if options.output:
        Path(options.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return report.exit_code()


# -------------------------------------------------------------------------
# vpp rules / vpp rule CODE
# -------------------------------------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, Decimal | date | int | str):
        return str(value)
    return "(none)" if value is None else str(value)


def _parameter(parameter: Parameter) -> str:
    if parameter.plain is not None:
        return f"{_value(parameter.plain.value)}  [{parameter.plain.pack}]"
    return "; ".join(f"{year}: {_value(setting.value)} [{setting.pack}]"
                     for year, setting in parameter.by_year.items())


def _rule_line(rule: ResolvedRule) -> str:
    state = rule.status.value if rule.enabled else f"{rule.status.value}, switched off"
    return (f"{rule.code:<9}{rule.severity.value:<8}{rule.check:<22}{rule.title}  "
            f"({state})")


def _provenance(rule: ResolvedRule) -> Iterator[str]:
    yield f"    defined in: {rule.pack.name} {rule.pack.version} ({display_path(rule.pack.path)})"
    yield f"    severity: {rule.severity.value}  [{rule.severity_from}]"
    if not rule.enabled:
        yield f"    switched off  [{rule.enabled_from}]"
    for name, parameter in rule.parameters.items():
        yield f"    {name} = {_parameter(parameter)}"


def _rules_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pack", action="append", metavar="P",
                        help="show this pack's rules resolved, with where each value came "
                             "from (repeatable)")


def _rules(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    if options.pack:
        rules = load_rules(plugins, options.pack).rules
        for pack in rules.packs:
            print(f"pack {pack.name} {pack.version} ({display_path(pack.path)})")
        print()
        for rule in rules.rules:
            print(_rule_line(rule))
            for line in _provenance(rule):
                print(line)
        return EXIT_OK
    available = PackLibrary(tuple(plugins.pack_folders())).available()
    if not available:
        print("no rule packs found (plugins contribute pack folders; give one with --pack)")
    for pack in available.values():
        extends = f", extends {', '.join(pack.extends)}" if pack.extends else ""
        default = ", default" if pack.default else ""
        print(f"pack {pack.name} {pack.version} (prefix {pack.prefix}{extends}{default}) "
              f"{display_path(pack.path)}")
        for definition in pack.rules:
            print(f"  {definition.code:<9}{definition.severity.value:<8}"
                  f"{definition.check:<22}{definition.title}")
    return EXIT_OK


def _rule_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code such as FUND001")
    parser.add_argument("--pack", action="append", metavar="P",
                        help="resolve the rule within these packs (default: its own pack)")


def _find_rule(plugins: Plugins, code: str, packs: list[str] | None) -> ResolvedRule:
    if packs is None:
        available = PackLibrary(tuple(plugins.pack_folders())).available().values()
        owners = [pack for pack in available if any(r.code == code for r in pack.rules)]
        if not owners:
            raise UsageError(f"no rule {code!r} in the packs available")
        packs = [str(owners[0].path)]
    rule = load_rules(plugins, packs).rules.get(code)
    if rule is None:
        raise UsageError(f"no rule {code!r} in {', '.join(packs)}")
    return rule


def _rule(options: argparse.Namespace) -> int:
    rule = _find_rule(options.plugins, options.code.upper(), options.pack)
    definition = rule.definition
    print(f"{rule.code} {rule.name}")
    print(rule.title)
    print()
    print(f"severity: {rule.severity.value}   status: {rule.status.value}   "
          f"check: {rule.check}")
    if definition.description:
        print()
        print(definition.description)
    print()
    print("Parameters (and the pack that set each):")
    for line in _provenance(rule):
        print(line)
    if definition.references:
        print()
        print("References:")
        for reference in definition.references:
            page = f", p.{reference.page}" if reference.page is not None else ""
            section = f", {reference.section}" if reference.section else ""
            url = f" <{reference.url}>" if reference.url else ""
            print(f"  - {reference.document}{section}{page}{url}")
    if definition.examples:
        print()
        print("Examples:")
        for example in definition.examples:
            print(f"  {example.outcome}: {example.text}")
    return EXIT_OK


# -------------------------------------------------------------------------
# vpp plugins
# -------------------------------------------------------------------------


def _plugins(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    offered: dict[str, list[str]] = {}
    for what, contributions in (("checks", plugins.checks()), ("metrics", plugins.metrics()),
                                ("reporters", plugins.reporters()),
                                ("commands", plugins.commands())):
        for name, (_, info) in contributions.items():
            offered.setdefault(f"{info.name}\0{what}", []).append(name)
    for info in sorted(plugins.info.values()):
        print(f"{info.name}  {info.version}  {info.origin}")
        for what in ("checks", "metrics", "reporters", "commands"):
            names = offered.get(f"{info.name}\0{what}")
            if names:
                print(f"    {what}: {', '.join(names)}")
    return EXIT_OK


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    return [
        CommandSpec("audit", "audit strategies against rule packs", _audit_arguments, _audit),
        CommandSpec("plugins", "list the plugins loaded: name, version, origin",
                    lambda parser: None, _plugins),
        CommandSpec("rule", "show a rule's documentation", _rule_arguments, _rule),
        CommandSpec("rules", "list rules; with --pack, resolved with where each value "
                    "came from", _rules_arguments, _rules),
    ]
