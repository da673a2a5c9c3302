"""``vpp``: builds the parser from the commands plugins offer, runs one, maps errors to exit codes.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or
input error; 3 a rule errored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from vpp_core.errors import VppError
from vpp_core.plugins import ENGINE_VERSION, Plugins, make_plugins

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2
EXIT_RULE_ERROR = 3


def plugin_options() -> argparse.ArgumentParser:
    """Options every command takes, that decide which plugins load."""
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("plugins")
    group.add_argument(
        "--plugin", action="append", default=[], metavar="PATH",
        help="load a local plugin from a .py file (repeatable)",
    )
    group.add_argument(
        "--block-plugin", action="append", default=[], metavar="NAME",
        help="do not load the plugin of this name (repeatable)",
    )
    return parser


def build_parser(plugins: Plugins) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vpp",
        description="Audit Violence Reduction Unit Response Strategies against rule packs.",
        parents=[plugin_options()],
    )
    parser.add_argument("--version", action="version", version=f"vpp-core {ENGINE_VERSION}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (spec, _) in plugins.commands().items():
        sub = subparsers.add_parser(
            name, help=spec.help, description=spec.help, parents=[plugin_options()]
        )
        spec.add_arguments(sub)
        sub.set_defaults(run=spec.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vpp`` with ``argv`` (default: the process's arguments); return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        early, _ = plugin_options().parse_known_args(arguments)
        plugins = make_plugins(blocked=early.block_plugin, local=early.plugin)
        parser = build_parser(plugins)
        try:
            options = parser.parse_args(arguments)
        except SystemExit as exc:  # argparse has printed usage or help
            return EXIT_INPUT_ERROR if exc.code not in (0, None) else EXIT_OK
        options.plugins = plugins
        code: int = options.run(options)
        return code
    except VppError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
