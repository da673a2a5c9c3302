"""``vpp new-plugin NAME`` and ``vpp new-strategy FILE``: starting points that work as written.

The files are templates shipped in ``scaffolds/`` (``$name``-style placeholders, filled with
:class:`string.Template`); a path part ``PACKAGE`` or ``NAME`` becomes the package or the
plugin's name. Nothing is ever overwritten.
"""

from __future__ import annotations

import argparse
import keyword
import re
import string
import sys
from collections.abc import Iterator, Mapping, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import UsageError
from vpp_core.loading.toml_text import inline_toml
from vpp_core.model.periods import FinancialYear
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.specs import CommandSpec

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*$")
_SUFFIX = ".tmpl"


def _templates(folder: Traversable, under: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], str]]:
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_dir():
            yield from _templates(item, (*under, item.name))
        elif item.name.endswith(_SUFFIX):
            yield (*under, item.name.removesuffix(_SUFFIX)), item.read_text(encoding="utf-8")


def _scaffolds() -> Traversable:
    return files("vpp_core.cli").joinpath("scaffolds")


def _fresh(path: Path) -> Path:
    if path.exists():
        raise UsageError(f"{path}: already exists (vpp never overwrites a file)")
    return path


def _package_clash(package: str) -> str | None:
    """Why a package called ``package`` could not be imported as itself, or ``None``."""
    if keyword.iskeyword(package):
        return f"{package!r}, and {package!r} is a Python keyword"
    if package in sys.stdlib_module_names:
        return f"the standard library's {package!r}"
    if package in ("vpp_core", "vpp_plugins"):
        return f"vpp-core's own {package!r}"
    return None


def write_plugin(name: str, folder: Path, prefix: str | None = None) -> list[Path]:
    """Write an installable plugin package ``folder/name``; the files written, in order."""
    if not _NAME.match(name):
        raise UsageError(f"new-plugin: {name!r} is not a kebab-case name such as 'our-rules'")
    package = name.replace("-", "_")
    if (clash := _package_clash(package)) is not None:
        raise UsageError(f"new-plugin: {name!r}: its package would be {clash}; choose "
                         "another name, such as 'our-rules'")
    prefix = prefix if prefix is not None else name.replace("-", "").upper()[:10]
    if not _PREFIX.match(prefix):
        raise UsageError(f"new-plugin: --prefix {prefix!r} is not capital letters and digits")
    values = {"name": name, "package": package, "prefix": prefix,
              "title": f"{name}: local rules for vpp-core"}
    root = _fresh(folder / name)
    written = []
    for parts, text in _templates(_scaffolds().joinpath("plugin")):
        renamed = [part.replace("PACKAGE", package).replace("NAME", name) for part in parts]
        target = root.joinpath(*renamed)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(string.Template(text).substitute(values), encoding="utf-8")
        written.append(target)
    return written


def strategy_text(values: Mapping[str, str]) -> str:
    """The skeleton strategy filled with ``values`` (see :func:`write_strategy`)."""
    template = _scaffolds().joinpath("strategy.toml.tmpl").read_text(encoding="utf-8")
    return string.Template(template).substitute(values)


def write_strategy(path: Path, year: str = "2024-25", partnership: str = "Our VRU") -> Path:
    """Write a commented skeleton strategy to ``path`` that loads and audits."""
    try:
        financial_year = FinancialYear.parse(year)
    except ValueError as exc:
        raise UsageError(f"new-strategy: --year: {exc}") from None
    period = financial_year.period
    title = inline_toml(f"{partnership} Response Strategy {financial_year}")
    name = inline_toml(partnership)  # quoted and escaped: any name gives a file that loads
    text = strategy_text({
        "title": title, "partnership": name, "short_name": name,
        "year": str(financial_year), "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "file": "".join(c if c.isprintable() else "?" for c in path.name),
    })
    _fresh(path).parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _plugin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the plugin's kebab-case name")
    parser.add_argument("--dir", type=Path, default=Path("."),
                        help="the folder to write NAME/ in (default: here)")
    parser.add_argument("--prefix", help="the rule-code prefix (default: NAME in capitals)")


def _name_in_use(name: str, plugins: Plugins) -> str:
    """What ``name`` already names for vpp (an installed plugin, a rule pack), or ``""``."""
    if name in plugins.info:
        info = plugins.info[name]
        return f"the name of the installed plugin {name!r} ({info.origin})"
    from vpp_core.rules.packs import PackLibrary  # only new-plugin reads the packs

    pack = PackLibrary(tuple(plugins.pack_folders())).available().get(name)
    if pack is not None:
        return f"the name of the rule pack {name!r} ({display_path(pack.path)})"
    return ""


def _new_plugin(options: argparse.Namespace) -> int:
    in_use = _name_in_use(options.name, options.plugins)
    if in_use:  # installed beside it, the two would clash: refused before a file is written
        raise UsageError(f"new-plugin: {options.name!r} is {in_use}; choose another name")
    written = write_plugin(options.name, options.dir, options.prefix)
    root = options.dir / options.name
    for path in written:
        print(path)
    print(f"\nNext: cd {root} && pip install -e . && pytest")
    return 0


def _strategy_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="FILE", type=Path, help="the strategy file to write")
    parser.add_argument("--year", default="2024-25", help="the financial year (2024-25)")
    parser.add_argument("--partnership", default="Our VRU", help="the VRU's name")


def _new_strategy(options: argparse.Namespace) -> int:
    path = write_strategy(options.path, options.year, options.partnership)
    print(f"{path}\n\nNext: vpp show {path} && vpp audit {path}")
    unstated = _unstated(options.plugins, FinancialYear.parse(options.year))
    if unstated:  # said now, not first when the audit stops on them
        print(f"note: the default packs state no {options.year} value for "
              f"{', '.join(unstated)}: vpp audit needs them stated in a pack of your own that "
              'extends default (see "A year the national packs do not cover" in the README)',
              file=sys.stderr)
    return 0


def _unstated(plugins: Plugins, year: FinancialYear) -> list[str]:
    """``CODE parameter`` for each value the default packs' rules lack for ``year``."""
    from vpp_core.rules.loaded_rules import load_rules  # only this command reads packs

    rules = load_rules(plugins).rules.rules
    return [f"{rule.code} {name}" for rule in rules if rule.enabled
            for name in rule.unstated_for(year)]


def scaffold_commands() -> Sequence[CommandSpec]:
    """``new-plugin`` and ``new-strategy``."""
    return (
        CommandSpec("new-plugin", "write an installable plugin package: a check, a metric, "
                    "a pack with runnable examples, case folders and tests",
                    _plugin_arguments, _new_plugin),
        CommandSpec("new-strategy", "write a commented skeleton strategy that loads and "
                    "audits", _strategy_arguments, _new_strategy),
    )
