"""``vpp``: builds the parser from the commands plugins offer, runs one, maps errors to exit codes.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or
input error; 3 a rule errored, or vpp itself failed (an internal error).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpp_core.loading.errors import VppError
from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.collector import collector_paused

if TYPE_CHECKING:  # imported by main, with the collector paused (see there)
    from vpp_core.plugin_api.manager import Plugins

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2
EXIT_RULE_ERROR = 3
EXIT_INTERRUPTED = 130


def _add_plugin_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("plugins")
    group.add_argument(
        "--plugin", action="append", default=[], metavar="PATH",
        help="load a local plugin from a .py file (repeatable)",
    )
    group.add_argument(
        "--block-plugin", action="append", default=[], metavar="NAME",
        help="do not load the plugin of this name (repeatable)",
    )


def plugin_options() -> argparse.ArgumentParser:
    """Options every command takes, that decide which plugins load."""
    parser = argparse.ArgumentParser(prog="vpp", add_help=False)
    _add_plugin_options(parser)
    return parser


class _CommandParser(argparse.ArgumentParser):
    """A command's parser that gets the command's own arguments when it is first used:
    building ``vpp``'s parser calls no command's ``add_arguments`` (which may import the
    command's module) but that of the command given."""

    def __init__(self, *args: Any,
                 add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_arguments = add_arguments

    def _complete(self) -> None:
        if self._add_arguments is not None:
            add_arguments, self._add_arguments = self._add_arguments, None
            add_arguments(self)
            for action in self._actions:  # every option says what it takes
                if action.help is None and action.choices is not None:
                    default = f" (default: {action.default})" if action.default else ""
                    action.help = f"one of {', '.join(map(str, action.choices))}{default}"

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        self._complete()
        return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        self._complete()
        return super().format_usage()

    def format_help(self) -> str:
        self._complete()
        return super().format_help()


def summary(text: str) -> str:
    """A command's help as ``vpp --help`` lists it, whichever plugin wrote it: lower case
    first (unless an acronym), no full stop."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def build_parser(plugins: Plugins) -> argparse.ArgumentParser:
    from vpp_core.plugin_api.manager import ENGINE_VERSION

    parser = argparse.ArgumentParser(
        prog="vpp",
        description="Audit Violence Reduction Unit Response Strategies against rule packs.",
        parents=[plugin_options()],
    )
    parser.add_argument("-V", "--version", action="version", version=f"vpp-core {ENGINE_VERSION}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                       parser_class=_CommandParser)
    for name, (spec, _) in sorted(plugins.commands().items()):
        sub = subparsers.add_parser(name, help=summary(spec.help), description=spec.help,
                                    add_arguments=spec.add_arguments)
        _add_plugin_options(sub)
        sub.set_defaults(run=spec.run)
    return parser


def _where(error: BaseException, command: str | None) -> str:
    """Where an unexpected exception was raised: the command, and the innermost function
    that is not a library's (vpp's own or a plugin's) as ``module.function``."""
    import traceback  # only when something went wrong: start-up stays without it

    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if not _in_library(frame.filename)] or frames
    shown = f"vpp {command}" if command else "vpp"
    if not ours:
        return shown
    return f"{shown} ({_module_name(ours[-1].filename)}.{ours[-1].name})"


def _in_library(filename: str) -> bool:
    """Whether ``filename`` is the standard library's or an installed package's, not vpp's."""
    import sysconfig

    parts = Path(filename).parts
    if "vpp_core" in parts or "vpp_plugins" in parts:
        return False
    paths = sysconfig.get_paths()
    roots = {paths["stdlib"], paths["platstdlib"], paths["purelib"], paths["platlib"]}
    return filename.startswith("<") or any(filename.startswith(root) for root in roots)


def _module_name(filename: str) -> str:
    """``vpp_core/records/tables.py`` as ``vpp_core.records.tables``; another file by its stem."""
    path = Path(filename)
    parts = path.with_suffix("").parts
    for package in ("vpp_core", "vpp_plugins"):
        if package in parts:
            return ".".join(parts[len(parts) - 1 - parts[::-1].index(package):])
    return path.stem


def _internal_error(error: Exception, command: str | None) -> int:
    """One line for an exception nobody expected: where and its type, never its message (it
    may quote an input value: DuckDB's do); the traceback only with ``VPP_DEBUG=1``."""
    if os.environ.get("VPP_DEBUG") == "1":
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    print(f"vpp: internal error in {_where(error, command)}: {type(error).__name__} — "
          "please report it", file=sys.stderr)
    return EXIT_RULE_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vpp`` with ``argv`` (default: the process's arguments); return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    options: argparse.Namespace | None = None
    try:
        try:
            # start-up (the plugin machinery, the plugins, the parser, the command's
            # modules) makes thousands of objects that live on and little garbage:
            # collecting as they were made took some 15 ms of ``vpp audit --example``
            with collector_paused():
                from vpp_core.plugin_api.manager import make_plugins

                early, _ = plugin_options().parse_known_args(arguments)
                plugins = make_plugins(blocked=early.block_plugin, local=early.plugin)
                options = build_parser(plugins).parse_args(arguments)
        except SystemExit as exc:  # argparse has printed usage or help
            return EXIT_INPUT_ERROR if exc.code not in (0, None) else EXIT_OK
        options.plugins = plugins
        # What the manager was built with, wherever on the line it was given: a command's
        # own --plugin default would otherwise hide one given before the command's name,
        # and worker processes build their managers from these.
        options.plugin, options.block_plugin = early.plugin, early.block_plugin
        code: int = options.run(options)
        return code
    except VppError as error:
        for problem in error.problems:
            print(f"error: {terminal_text(problem)}", file=sys.stderr)  # no escape sequences
        return error.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:  # Ctrl-C, or raised inside a check: no traceback
        print("vpp: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # a defect in vpp or a plugin: one line, never a traceback
        return _internal_error(error, getattr(options, "command", None))


def process_main(argv: Sequence[str] | None = None) -> int:
    """:func:`main` as the ``vpp`` process runs it, which then ends: what main made is frozen
    (``gc.freeze``) first. Ending the process frees it all, and the collection Python runs
    as it ends would otherwise traverse every object (some 35 ms of ``vpp audit``'s
    processor time). Not for a caller that goes on: frozen objects are never collected."""
    code = main(argv)
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(process_main())
