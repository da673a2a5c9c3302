"""``vpp plugins``, and the registration of the core commands (``vpp audit``, ``vpp rules``
and ``vpp rule CODE``, ``vpp records``, ``vpp compare``, ``vpp completion``), whose modules
are imported only when they run: ``vpp violence`` imports no audit, batch or report.
"""

from __future__ import annotations

import argparse

from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.specs import CommandSpec, lazy

# -------------------------------------------------------------------------
# vpp plugins
# -------------------------------------------------------------------------


def _plugins(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    offered: dict[str, list[str]] = {}
    for what, contributions in (("checks", plugins.checks()), ("metrics", plugins.metrics()),
                                ("reporters", plugins.reporters()),
                                ("commands", plugins.commands()),
                                ("record kinds", plugins.record_kinds()),
                                ("extensions", plugins.extensions())):
        for name, (_, info) in contributions.items():
            offered.setdefault(f"{info.name}\0{what}", []).append(name)
    for info in sorted(plugins.info.values()):
        print(f"{info.name}  {info.version}  {info.origin}")
        for what in ("checks", "metrics", "reporters", "commands", "record kinds",
                     "extensions"):
            names = offered.get(f"{info.name}\0{what}")
            if names:
                print(f"    {what}: {', '.join(names)}")
    return 0


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    return [
        CommandSpec("audit", "audit strategies against rule packs",
                    lazy("vpp_core.cli.audit_command:add_arguments"),
                    lazy("vpp_core.cli.audit_command:run")),
        CommandSpec("compare", "saved JSON reports side by side: strategies × indicators",
                    lazy("vpp_core.cli.compare_command:add_arguments"),
                    lazy("vpp_core.cli.compare_command:run")),
        CommandSpec("completion", "print a shell completion script: eval \"$(vpp completion "
                    "bash)\" (or zsh)", lazy("vpp_core.cli.completion:add_arguments"),
                    lazy("vpp_core.cli.completion:run")),
        CommandSpec("plugins", "list the plugins loaded: name, version, origin",
                    lambda parser: None, _plugins),
        CommandSpec("records", "list the record kinds plugins read: vpp records kinds [KIND]",
                    lazy("vpp_core.cli.records_commands:add_arguments"),
                    lazy("vpp_core.cli.records_commands:run")),
        CommandSpec("rule", "show a rule's documentation",
                    lazy("vpp_core.cli.rules_commands:rule_arguments"),
                    lazy("vpp_core.cli.rules_commands:rule")),
        CommandSpec("rules", "list rules; with --pack, resolved with where each value "
                    "came from", lazy("vpp_core.cli.rules_commands:rules_arguments"),
                    lazy("vpp_core.cli.rules_commands:rules")),
    ]
