"""``vpp schema``: the JSON Schema or the reference page of each input format.

Both are generated from the attrs classes the loaders structure, so they cannot drift
from what is accepted. The pages under ``docs/formats/`` are this command's output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs
import tomli

from vpp_core.loading.bundled import (
    bundled_records,
    bundled_strategy,
    fixtures_folder,
    rules_folder,
)
from vpp_core.loading.extension_spec import ExtensionSpec
from vpp_core.loading.extensions import shapes_by_owner
from vpp_core.loading.format_page import reference_page
from vpp_core.loading.schema import json_schema
from vpp_core.model import Strategy
from vpp_core.records.manifest_file import Manifest
from vpp_core.rules.pack_model import PackFile
from vpp_core.rules.waivers import WaiversFile

_WAIVERS_EXAMPLE = """\
[[waivers]]
code = "FUND003"
subject = "grant:core-2024-25"
reason = "Match funding evidenced in the quarterly return"
approved_by = "Home Office VRU programme team"
reference = "Grant variation letter, 12 July 2024"
expires = 2025-03-31
"""


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomli.load(handle)


@attrs.frozen
class FileFormat:
    """An input format: the class its files are structured into, and what to say of it."""

    name: str
    root: type
    title: str
    summary: str
    examples: Callable[[], list[dict[str, Any]]]


FORMATS: dict[str, FileFormat] = {
    item.name: item for item in (
        FileFormat(
            "strategy", Strategy, "The strategy format (`strategy.toml`)",
            "A VRU's Response Strategy for one financial year, as published: its "
            "partnerships, Serious Violence Duty, grants and budget, interventions and "
            "targets, Theory of Change and the figures it states. Money is an integer or a "
            "decimal string, never a float; dates are TOML dates; financial years are "
            "written \"2024-25\". Examples are from the bundled Thames Valley 2024–25 "
            "strategy. Local data goes in `[extensions.NAME]` tables (at the top level and "
            "on grants, interventions and local partnerships), each claimed by the plugin "
            "that declares its shape; `vpp schema strategy` with that plugin loaded "
            "includes it.",
            lambda: [_read(bundled_strategy())]),
        FileFormat(
            "pack", PackFile, "The rule pack format",
            "A rule pack is data, never executed: rules (a code, a name, a title, a "
            "severity, the check they run and its parameters, their references) and "
            "overrides of the rules of the packs it extends. A parameter that changes over "
            "time is a table keyed by financial year (`share = { \"2024-25\" = \"0.20\" }`); "
            "an override of such a table changes only the years it gives. `extends` chains "
            "may go 64 packs deep. Examples are from the bundled packs and Essex's pack.",
            lambda: [_read(path) for path in (
                *sorted(rules_folder().glob("*.toml")),
                fixtures_folder() / "essex-2024-25" / "essex.toml")]),
        FileFormat(
            "waivers", WaiversFile, "The waivers format (`--waivers`)",
            "Approved waivers: a failing result a funder has agreed to is counted and "
            "listed as waived until the waiver expires, never hidden.",
            lambda: [tomli.loads(_WAIVERS_EXAMPLE)]),
        FileFormat(
            "records", Manifest, "The records manifest format (`records.toml`)",
            "Which delivery-records files (CSV or Parquet) a run reads, the kind of each "
            "and, where a delivery partner names columns or spells coded values its own way, "
            "the mapping. Paths are relative to the manifest; `vpp records kinds` lists the "
            "kinds and their columns. Examples are from the bundled Thames Valley "
            "records.",
            lambda: [_read(path) for path in bundled_records()]),
    )
}


def schema_of(name: str, extensions: Iterable[ExtensionSpec] = ()) -> dict[str, Any]:
    """The JSON Schema of the format ``name`` (strategy, pack, waivers, records)."""
    item = FORMATS[name]
    return json_schema(item.root, title=item.title,
                       extensions=shapes_by_owner(extensions) if item.root is Strategy else None)


def schema_text(name: str, extensions: Iterable[ExtensionSpec] = ()) -> str:
    return json.dumps(schema_of(name, extensions), indent=2, ensure_ascii=False) + "\n"


def page_of(name: str, extensions: Iterable[ExtensionSpec] = ()) -> str:
    """The Markdown reference page of the format ``name``."""
    item = FORMATS[name]
    return reference_page(item.root, title=item.title, summary=item.summary,
                          command=f"vpp schema --markdown {name}", examples=item.examples(),
                          extensions=shapes_by_owner(extensions) if item.root is Strategy
                          else None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=sorted(FORMATS), help="the input format")
    parser.add_argument("--markdown", action="store_true",
                        help="print the readable reference page instead of the JSON Schema")


def run(options: argparse.Namespace) -> int:
    extensions = [spec for spec, _ in options.plugins.extensions().values()]
    render = page_of if options.markdown else schema_text
    sys.stdout.write(render(options.format, extensions))
    return 0
