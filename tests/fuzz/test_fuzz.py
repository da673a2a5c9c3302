"""Mutation fuzzing: every bundled strategy and pack, broken at random, through the whole engine.

Each example takes a bundled strategy (``fixtures/*/strategy.toml``) or pack (``rules/*.toml``,
the plugins' packs, Essex's), applies one to three mutations to its data (a value replaced
by a hostile one, a key removed or added, a list item duplicated, an id swapped for another
string of the file) or to its text (bytes inserted or removed), and runs it through load →
audit → every report format → ``dump_strategy`` → load. The outcome must be one of:

- a clean rejection: a :class:`VppError` before any result exists;
- a complete audit: no rule errored, every report parses (JSON against its schema, SARIF
  against the OASIS schema, JUnit and GraphML as XML, CSV read back row for row, HTML
  through a parser), and the strategy dumped and loaded again is the same strategy.

A few hundred examples run with the suite (derandomised, so CI sees the same ones);
``VPP_FUZZ_EXAMPLES=10000`` runs that many, randomly.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpp_core import Status, VppError, audit, load_rules, load_strategy, make_plugins
from vpp_core.loading.strategy_io import dump_strategy, strategy_from_data
from vpp_core.model import toc
from vpp_core.reports.report import report_schema

ROOT = Path(__file__).parents[2]
STRATEGIES = sorted(ROOT.glob("fixtures/*/strategy.toml"))
PACKS = sorted([*ROOT.glob("rules/*.toml"), *ROOT.glob("plugins/vpp_plugins/*/packs/*.toml"),
                *ROOT.glob("fixtures/*/*.toml")])
# A pack naming a plugin file beside it cannot be moved to a scratch folder and still load.
PACKS = [path for path in PACKS
         if path not in STRATEGIES and "plugins" not in tomllib.loads(path.read_text("utf-8"))
         .get("pack", {})]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
AUDITED = ROOT / "fixtures/non-compliant-example/strategy.toml"  # what mutated packs audit

EXAMPLES = int(os.environ.get("VPP_FUZZ_EXAMPLES", "0"))
OUTCOMES: Counter[str] = Counter()

HOSTILE = [
    "1e5000", "-1e5000", "1e30", "inf", "-Infinity", "nan", "NaN", "-1", "0", "1e-999999",
    "99999999999999999999999999999999999999", "", " ", "2024-02-30", "2024-26", "2025-13-01",
    "\u0001", "\x1b[31mred", "<script>alert(1)</script>", '=HYPERLINK("http://x")',
    "javascript:alert(1)", "]]>", "é\u202e", "core-2024-25", "24-and-under", "grant",
]


def _values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.sampled_from([10**4000, -(10**300), 2**63, 2**64]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.dates(min_value=date(1, 1, 1)),
        st.text(max_size=12),
    )
    deep = st.integers(min_value=1, max_value=120).map(lambda depth: _nested(depth))
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.dictionaries(st.text(max_size=6), scalars, max_size=2),
        deep,
    )


def _nested(depth: int) -> list[Any]:
    value: list[Any] = ["x"]
    for _ in range(depth):
        value = [value]
    return value


def _places(data: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) in ``data``, iteratively."""
    pending = [data]
    while pending:
        node = pending.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield node, key
            if isinstance(value, dict | list):
                pending.append(value)


def _strings(data: Any) -> list[str]:
    return sorted({container[key] for container, key in _places(data)
                   if isinstance(container[key], str)})


class Mutant:
    """A mutated strategy or pack, shown by its seed and what was done to it."""

    def __init__(self, kind: str, seed: Path, data: bytes, changes: tuple[str, ...]) -> None:
        self.kind, self.seed, self.data, self.changes = kind, seed, data, changes

    def __repr__(self) -> str:
        return f"Mutant({self.kind}, {self.seed.relative_to(ROOT)}, {list(self.changes)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


@st.composite
def _mutated(draw: st.DrawFn, data: Any) -> str:
    """Mutate ``data`` in place; say how."""
    places = list(_places(data))
    if not places:
        return "nothing to mutate"
    container, key = draw(st.sampled_from(places))
    operation = draw(st.sampled_from(
        ["replace", "replace", "delete", "duplicate", "add-key", "swap-string"]))
    before = _short(container[key])
    if operation == "replace":
        container[key] = draw(_values())
    elif operation == "delete":
        del container[key]
    elif operation == "duplicate" and isinstance(container, list):
        container.append(copy.deepcopy(container[key]))
    elif operation == "add-key" and isinstance(container, dict):
        key = draw(st.sampled_from(["colour", "id", "extra", "x-y"]))
        container[key] = draw(_values())
    elif operation == "swap-string" and isinstance(container[key], str):
        container[key] = draw(st.sampled_from(_strings(data)))
    else:
        return f"{operation} of {before}: not applicable"
    after = _short(container[key]) if operation != "delete" else "-"
    return f"{operation} {key!r}: {before} -> {after}"


@st.composite
def mutants(draw: st.DrawFn) -> Mutant:
    kind = draw(st.sampled_from(["strategy", "strategy", "pack"]))
    seed = draw(st.sampled_from(STRATEGIES if kind == "strategy" else PACKS))
    text = seed.read_text(encoding="utf-8")
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # text: the syntax breaks
        position = draw(st.integers(min_value=0, max_value=len(text)))
        cut = draw(st.integers(min_value=0, max_value=20))
        inserted = draw(st.sampled_from(["", "[", "]", '"', "=", "\n", "{", "\x00", "\ufeff"]))
        return Mutant(kind, seed, (text[:position] + inserted + text[position + cut:]).encode(),
                      (f"text at {position}: {cut} characters -> {inserted!r}",))
    data = tomllib.loads(text)
    changes = tuple(draw(_mutated(data))
                    for _ in range(draw(st.integers(min_value=1, max_value=3))))
    try:
        return Mutant(kind, seed, tomli_w.dumps(data).encode(), changes)
    except (TypeError, ValueError):  # tomli_w refuses some shapes (an array of mixed tables)
        return Mutant(kind, seed, text.encode(), ("unwritable: the seed as it is",))


class _Parser(HTMLParser):
    def error(self, message: str) -> None:  # pragma: no cover - older Pythons only
        raise AssertionError(message)


class Engine(dict[str, Any]):
    """The plugins, default rules, reporters and validators, made once (shown briefly)."""

    def __repr__(self) -> str:
        return "Engine()"


@pytest.fixture(scope="module")
def engine() -> Engine:
    # Greater Manchester's strategy holds an extension table its own plugin claims.
    plugins = make_plugins(
        local=[ROOT / "fixtures" / "greater-manchester-2024-25" / "plugin" / "gm_vru_rules.py"])
    sarif = (jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
             if SARIF_SCHEMA.is_file() else None)
    return Engine(
        plugins=plugins,
        rules=load_rules(plugins, None),
        reporters={name: spec for name, (spec, _) in plugins.reporters().items()},
        json=jsonschema.Draft202012Validator(report_schema()),
        sarif=sarif,
    )


def _check_reports(report: Any, engine: Engine) -> None:
    results = sum(len(item.results) for item in report.audits)
    for name, spec in engine["reporters"].items():
        text = spec.function(report, {})
        if name == "xlsx":  # a workbook: a zip archive
            assert isinstance(text, bytes) and text.startswith(b"PK"), name
            continue
        assert isinstance(text, str) and text, name
        if name == "json":
            engine["json"].validate(json.loads(text))
        elif name == "sarif":
            log = json.loads(text)
            if engine["sarif"] is not None:
                engine["sarif"].validate(log)
        elif name == "junit":
            ET.fromstring(text)
        elif name == "csv":
            rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
            assert len(rows) == results + 1
            assert {len(row) for row in rows} == {len(rows[0])}
        elif name == "html":
            parser = _Parser()
            parser.feed(text)
            parser.close()


def run_mutant(kind: str, data: bytes, engine: Engine) -> str:
    """Run one mutant through the engine; the outcome's name, or AssertionError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("strategy.toml" if kind == "strategy" else "pack.toml")
        path.write_bytes(data)
        try:
            if kind == "strategy":
                strategy = load_strategy(path)
                report = audit(path, plugins=engine["plugins"], rules=engine["rules"])
            else:
                strategy = load_strategy(AUDITED)
                report = audit(AUDITED, packs=[path], plugins=engine["plugins"])
        except VppError as error:
            rejection = error
        else:
            rejection = None
    if rejection is not None:
        assert rejection.problems and all(line.strip() for line in rejection.problems)
        return "clean error"
    errored = [result for audited in report.audits for result in audited.results
               if result.status is Status.ERROR]
    assert not errored, [(result.code, result.message) for result in errored]
    _check_reports(report, engine)
    ET.fromstring(toc.EXPORTS["graphml"](toc.build_graph(strategy)))
    again = strategy_from_data(tomllib.loads(dump_strategy(strategy)), Path("dumped.toml"))
    assert again == strategy
    return "audit"


@settings(
    max_examples=EXAMPLES or 300,
    derandomize=not EXAMPLES,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)
@given(mutant=mutants())
def test_a_mutant_is_rejected_cleanly_or_audited_completely(
    mutant: Mutant, engine: Engine
) -> None:
    OUTCOMES[run_mutant(mutant.kind, mutant.data, engine)] += 1


def test_every_bundled_input_is_audited_completely(engine: Engine) -> None:
    for seed in STRATEGIES:
        assert run_mutant("strategy", seed.read_bytes(), engine) == "audit", seed
    for seed in PACKS:
        assert run_mutant("pack", seed.read_bytes(), engine) == "audit", seed


@pytest.fixture(scope="module", autouse=True)
def _counts() -> Iterator[None]:
    yield
    if OUTCOMES:
        print(f"\nfuzz: {OUTCOMES.total()} mutants: {OUTCOMES['clean error']} clean errors, "
              f"{OUTCOMES['audit']} complete audits, 0 crashes")
