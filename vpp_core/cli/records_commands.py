"""``vpp records kinds [KIND]``: the record kinds the loaded plugins read, with their columns."""

from __future__ import annotations

import argparse

from vpp_core.loading.errors import UsageError
from vpp_core.loading.suggestions import unknown
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.record_kinds import Column, RecordKind
from vpp_core.plugin_api.results import PluginInfo
from vpp_core.reports.report import EXIT_OK
from vpp_core.reports.tables import render_table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from vpp_core.cli.main import plugin_options  # the action takes them, as every command

    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    kinds = actions.add_parser(
        "kinds", parents=[plugin_options()],
        help="list the record kinds plugins registered, or show one's columns",
        description="The kinds of delivery record a records.toml or --records KIND=PATH may "
                    "name, the plugin reading each, and their columns.")
    kinds.add_argument("kind", nargs="?", metavar="KIND", help="show this kind's columns")


def _columns(kind: RecordKind) -> str:
    return ", ".join(column.name + ("" if column.required else "?")
                     for column in kind.schema.columns)


def _values(kind: RecordKind, column: Column) -> str:
    if column.name in kind.strategy_values:
        return "from the strategy"
    return ", ".join(sorted(column.allowed)) if column.allowed is not None else ""


def _show(kind: RecordKind, info: PluginInfo) -> str:
    rows = [
        [column.name, str(column.type), "required" if column.required else "optional",
         _values(kind, column), column.description]
        for column in kind.schema.columns
    ]
    lines = [f"{kind.name}  (plugin {info.name})", kind.description, "",
             render_table(["column", "type", "needed", "values allowed", "meaning"], rows), ""]
    lines.extend(f"A file needs at least one of {', '.join(group)}; so does each row."
                 for group in kind.schema.one_of)
    if kind.schema.rules:
        lines.append("A row is also left out for: "
                     + "; ".join(rule.reason for rule in kind.schema.rules) + ".")
    return "\n".join(lines) + "\n"


def run(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    kinds = plugins.record_kinds()
    if options.kind is not None:
        if options.kind not in kinds:
            raise UsageError(f"vpp records kinds: {unknown('record kind', options.kind, kinds)}")
        print(_show(*kinds[options.kind]), end="")
        return EXIT_OK
    if not kinds:
        print("no record kinds registered (plugins register them)")
        return EXIT_OK
    rows = [[name, info.name, _columns(kind)] for name, (kind, info) in kinds.items()]
    print(render_table(["kind", "plugin", "columns (? optional)"], rows))
    print("\nvpp records kinds KIND shows a kind's columns: type, values allowed, meaning.")
    return EXIT_OK
