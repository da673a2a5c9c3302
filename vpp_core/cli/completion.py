"""``vpp completion bash|zsh``: a shell completion script for the commands and options of
the plugins loaded. ``eval "$(vpp completion bash)"`` in ``~/.bashrc`` (zsh: ``~/.zshrc``)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Mapping, Sequence

SHELLS = ("bash", "zsh")

_SCRIPT = """\
# vpp completion for {shell}: eval "$(vpp completion {shell})"
{preamble}_vpp_complete() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} command="" word
    for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        case $word in -*) ;; *) command=$word; break;; esac
    done
    case "$command $prev" in
{choices}
    esac
    local options
    case $command in
{options}
        *) options={top_options};;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ -z $command ]]; then
        COMPREPLY=($(compgen -W {commands} -- "$cur"))
    else
        case $command in
{positional}
        esac
    fi
}}
complete -o default -F _vpp_complete vpp
"""


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [name for action in parser._actions for name in action.option_strings]


def _reply(values: list[str]) -> str:
    return f'COMPREPLY=($(compgen -W {shlex.quote(" ".join(values))} -- "$cur"))'


def script(parser: argparse.ArgumentParser, shell: str,
           extra: Mapping[str, Sequence[str]] | None = None) -> str:
    """The completion script for ``parser`` (``vpp``'s, with every command) in ``shell``;
    ``extra`` adds values for options argparse has no choices for (``audit --format``)."""
    commands: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands = dict(action.choices)
    choices: dict[str, list[str]] = {}  # "COMMAND --option" or "COMMAND" (its argument)
    for command_name, command in sorted(commands.items()):
        command.format_usage()  # a command's own options are added when it is first used
        for action in command._actions:
            if not action.choices:
                continue
            values = [str(choice) for choice in action.choices]
            for name in action.option_strings or [""]:
                choices[f"{command_name} {name}".strip()] = values
    choices.update({key: list(given) for key, given in (extra or {}).items()})
    return _SCRIPT.format(
        shell=shell,
        preamble="autoload -U +X bashcompinit && bashcompinit\n" if shell == "zsh" else "",
        choices="\n".join(f"        {shlex.quote(key)}) {_reply(values)}; return;;"
                           for key, values in choices.items() if " " in key),
        positional="\n".join(f"            {shlex.quote(key)}) {_reply(values)};;"
                              for key, values in choices.items() if " " not in key),
        options="\n".join(f"        {shlex.quote(name)}) options="
                          f"{shlex.quote(' '.join(_option_strings(command)))};;"
                          for name, command in sorted(commands.items())),
        top_options=shlex.quote(" ".join(_option_strings(parser))),
        commands=shlex.quote(" ".join(sorted(commands))),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def run(options: argparse.Namespace) -> int:
    from vpp_core.cli.main import build_parser

    formats = list(options.plugins.reporters())
    sys.stdout.write(script(build_parser(options.plugins), options.shell,
                            {"audit --format": formats}))
    return 0
