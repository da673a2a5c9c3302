"""``vpp rules`` (every pack's rules, or a pack's resolved with where each value came from,
or what one pack changes against another) and ``vpp rule CODE`` (a rule's documentation).

Imported when one of them runs, not when ``vpp`` starts.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import PackError, UsageError
from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.manager import Plugins
from vpp_core.reports.report import EXIT_OK
from vpp_core.reports.tables import render_table
from vpp_core.rules.loaded_rules import load_rules
from vpp_core.rules.pack_diff import diff_lines, diff_rules
from vpp_core.rules.pack_model import StrategyReference
from vpp_core.rules.packs import PackLibrary, Parameter, ResolvedRule, RuleSet
from vpp_core.rules.templates import preview
from vpp_core.testing.examples import example_lines


def _say(text: str = "") -> None:
    """Print a line of what packs say (titles, descriptions, references, values): pack
    text is input, so escape sequences and control characters never reach the terminal."""
    print(terminal_text(text, newlines=True))


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


def _rule_line(rule: ResolvedRule, check_width: int) -> str:
    state = rule.status.value if rule.enabled else f"{rule.status.value}, switched off"
    return (f"{rule.code:<9}{rule.severity.value:<9}{rule.check:<{check_width + 2}}"
            f"{rule.title}  ({state})")


def _provenance(rule: ResolvedRule) -> Iterator[str]:
    yield f"    defined in: {rule.pack.name} {rule.pack.version} ({display_path(rule.pack.path)})"
    yield f"    severity: {rule.severity.value}  [{rule.severity_from}]"
    if rule.title_from != rule.pack.name:
        yield f"    title: {rule.title_template}  [{rule.title_from}]"
    if not rule.enabled:
        yield f"    switched off  [{rule.enabled_from}]"
    for name, parameter in rule.parameters.items():
        yield f"    {name} = {_parameter(parameter)}"


def rules_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pack", action="append", metavar="P",
                        help="show this pack's rules resolved, with where each value came "
                             "from (repeatable)")
    parser.add_argument("diff", nargs="*", metavar="diff OLD NEW",
                        help="what pack NEW changes against pack OLD (names or files): rules "
                             "added, removed and changed, parameters by year, severities")


def _rules_diff(plugins: Plugins, words: list[str]) -> int:
    if len(words) != 3 or words[0] != "diff":
        raise UsageError("vpp rules: expected 'vpp rules diff OLD NEW' (two pack names or "
                         f"files), got {' '.join(words)!r}")
    old, new = (_diffed(plugins, reference, label)
                for reference, label in zip(words[1:], ("OLD", "NEW"), strict=True))
    for line in diff_lines(diff_rules(old, new)):
        print(terminal_text(line))
    return EXIT_OK


def _diffed(plugins: Plugins, reference: str, label: str) -> RuleSet:
    """The rules of one side of a diff; an error names the side, not ``--pack``."""
    try:
        return load_rules(plugins, [reference], given_as="--pack").rules
    except PackError as error:
        def named(line: str) -> str:
            return f"vpp rules diff {label}: {line.removeprefix('--pack: ')}"
        raise PackError(named(error.message),
                        problems=tuple(named(line) for line in error.problems)) from None


def rules(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    if options.diff:
        return _rules_diff(plugins, options.diff)
    if options.pack:
        rules = load_rules(plugins, options.pack, given_as="--pack").rules
        for pack in rules.packs:
            _say(f"pack {pack.name} {pack.version} ({display_path(pack.path)})")
        _say()
        width = max((len(rule.check) for rule in rules.rules), default=0)
        for rule in rules.rules:
            _say(_rule_line(rule, width))
            for line in _provenance(rule):
                _say(line)
        return EXIT_OK
    available = PackLibrary(tuple(plugins.pack_folders())).available()
    if not available:
        _say("no rule packs found (plugins contribute pack folders; give one with --pack)")
    for pack in available.values():
        extends = f", extends {', '.join(pack.extends)}" if pack.extends else ""
        default = ", runs by default" if pack.default else ""
        _say(f"pack {pack.name} {pack.version} (prefix {pack.prefix}{extends}{default}) "
              f"{display_path(pack.path)}")
        if pack.rules:
            rows = [[d.code, d.severity.value, d.check, preview(d.title, d.parameters)]
                    for d in pack.rules]
            _say(textwrap.indent(render_table(["code", "severity", "check", "title"], rows),
                                  "  "))
        _say()
    return EXIT_OK


def rule_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code such as FUND001")
    parser.add_argument("--pack", action="append", metavar="P",
                        help="resolve the rule within these packs (default: its own pack)")


def _find_rule(plugins: Plugins, code: str, packs: list[str] | None) -> ResolvedRule:
    if packs is None:
        available = PackLibrary(tuple(plugins.pack_folders())).available().values()
        owners = [pack for pack in available if any(r.code == code for r in pack.rules)]
        if not owners:
            folders = ", ".join(display_path(folder) for folder in plugins.pack_folders())
            raise UsageError(f"{code}: no rule of this code in any pack found in {folders} "
                             f"(vpp rules lists them; a rule of a pack of your own: "
                             f"vpp rule {code} --pack FILE)")
        if len(owners) > 1:
            named = ", ".join(f"{pack.name} ({display_path(pack.path)})" for pack in owners)
            raise UsageError(f"{code}: given by {len(owners)} packs: {named}; name the one "
                             f"to show: vpp rule {code} --pack NAME")
        packs = [str(owners[0].path)]
    loaded = load_rules(plugins, packs, given_as="--pack").rules
    rule = loaded.get(code)
    if rule is None:
        named = display_path(loaded.packs[-1].path) if loaded.packs else ", ".join(packs)
        raise UsageError(f"{named}: no rule {code!r} in this pack or those it extends")
    return rule


def rule(options: argparse.Namespace) -> int:
    rule = _find_rule(options.plugins, options.code.upper(), options.pack)
    definition = rule.definition
    _say(f"{rule.code} {rule.name}")
    _say(rule.title)
    _say()
    _say(f"severity: {rule.severity.value}   status: {rule.status.value}   "
          f"check: {rule.check}")
    if definition.description:
        _say()
        _say(rule.description_for(rule.latest_parameters()))
    _say()
    _say("Parameters (and the pack that set each):")
    for line in _provenance(rule):
        _say(line)
    if definition.references:
        _say()
        _say("References:")
        for reference in definition.references:
            if isinstance(reference, StrategyReference):
                named = f" ({reference.section})" if reference.section else ""
                _say(f"  - the audited strategy's own document: its section "
                      f"{reference.section_id!r}{named}, page from the strategy's data")
                continue
            page = f", p.{reference.page}" if reference.page is not None else ""
            section = f", {reference.section}" if reference.section else ""
            url = f" <{reference.url}>" if reference.url else ""
            _say(f"  - {reference.document}{section}{page}{url}")
    if definition.examples:
        _say()
        _say("Examples (each runs as a test: the strategy with these changes gives this "
              "status):")
        for example in definition.examples:
            _say(f"  {example.outcome}: {example.text}")
            for line in example_lines(example):
                _say(f"      {line}")
    return EXIT_OK
