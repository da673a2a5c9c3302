"""The bad-input corpus: every case in ``cases/*.toml`` is run through ``vpp``, in-process.

A case states its input files (each made from a bundled file with replacements, from text,
or by a named generator for what cannot sit in the repository: huge, binary, deep, a pipe,
a symlink loop), its command line, the exit code expected and what the messages must name.
Every case, whatever it expects: no traceback and no exception other than the exit code,
every ``error:`` line has a place and a reason a person can act on (no bare exception
names), and no case hangs (a hang ends the test run with every thread's stack).
"""

from __future__ import annotations

import faulthandler
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vpp_core.cli.main import main

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
BASES = {
    "thames": ROOT / "fixtures/thames-valley-2024-25/strategy.toml",
    "essex": ROOT / "fixtures/essex-2024-25/strategy.toml",
    "essex-pack": ROOT / "fixtures/essex-2024-25/essex.toml",
    "non-compliant": ROOT / "fixtures/non-compliant-example/strategy.toml",
    "participants": ROOT / "fixtures/thames-valley-2024-25/records/participants.csv",
    "training": ROOT / "fixtures/thames-valley-2024-25/records/training.csv",
    "records": ROOT / "fixtures/thames-valley-2024-25/records/records.toml",
    "campaign-records": ROOT / "fixtures/thames-valley-2024-25/campaign/records.toml",
    "delivery": ROOT / "fixtures/thames-valley-2024-25/campaign/delivery.csv",
    "core-pack": ROOT / "rules/home-office-vru-core.toml",
    "waivers": ROOT / "tests/reports/data/waivers.toml",
}
#: Generous: a case that takes longer has hung (the slowest takes a few seconds).
HANG_SECONDS = 120
# Words that mean a message passed on an exception instead of saying what is wrong.
UNHELPFUL = re.compile(
    r"Traceback|invalid value \(\w+\)|object is not|object has no attribute|"
    r"RecursionError|AttributeError|KeyError|InvalidOperation|sys\.set_int_max_str_digits"
)
ARGPARSE_PROG = re.compile(r"^vpp(?: [\w-]+)?: (?=error: )")
ERROR_LINE = re.compile(r"^error: (?P<place>\S.*?): (?P<reason>\S.*)$")


def _generated(kind: str, spec: dict[str, Any]) -> bytes:
    """Content no file in the repository should hold: built here at test time."""
    size = int(spec.get("size", 0))
    if kind == "deep-array":
        return f"financial_year = \"2024-25\"\nx = {'[' * size}{']' * size}\n".encode()
    if kind == "deep-table":
        return ("x = " + "{ a = " * size + "1" + " }" * size + "\n").encode()
    if kind == "huge-comment":  # a TOML file of ``size`` MiB
        return b"# " + b"x" * (size << 20) + b"\n"
    if kind == "binary":
        return bytes(range(256)) * 64
    if kind == "nul":
        return b"financial_year = \"2024-25\"\n\x00\x00\n"
    if kind == "mixed-encoding":  # UTF-8 with one line in Windows-1252
        text = BASES["non-compliant"].read_bytes()
        return text + '\n# caf\u00e9 \u201cquoted\u201d\n'.encode("cp1252")
    if kind == "big-field-csv":  # participants with one free-text field of ``size`` MiB
        header, first, *rest = BASES["participants"].read_text(encoding="utf-8").splitlines()[:6]
        cells = first.split(",")
        cells[5] = '"' + "x" * (size << 20) + '"'
        return "\n".join([header, first, ",".join(cells), *rest, ""]).encode()
    if kind == "huge-csv":  # ``size`` thousand copies of the fixture's rows
        lines = BASES["participants"].read_text(encoding="utf-8").splitlines()
        return ("\n".join([lines[0], *(lines[1:] * size)]) + "\n").encode()
    raise AssertionError(f"unknown generator {kind!r}")


def _parquet(path: Path, sql: str) -> None:
    import duckdb

    escaped = str(path).replace("'", "''")
    duckdb.connect().execute(f"COPY ({sql}) TO '{escaped}' (FORMAT parquet)")


def _content(spec: dict[str, Any]) -> bytes:
    if "generate" in spec:
        return _generated(spec["generate"], spec)
    if "from" in spec:
        text = BASES[spec["from"]].read_text(encoding="utf-8")
    else:
        text = spec.get("text", "")
    for old, new in spec.get("replace", []):
        assert old in text, f"the case's text to replace is not in its base: {old!r}"
        text = text.replace(old, new, 1)
    text = spec.get("prepend", "") + text + spec.get("append", "")
    if spec.get("line_endings") == "crlf":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode(spec.get("encoding", "utf-8"), errors="replace")
    return (b"\xef\xbb\xbf" if spec.get("bom") else b"") + data


def make_files(folder: Path, files: dict[str, dict[str, Any]]) -> None:
    """Write a case's files into ``folder`` (paths relative to it)."""
    for name, spec in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = spec.get("kind", "file")
        if kind == "directory":
            path.mkdir(exist_ok=True)
        elif kind == "symlink":
            path.symlink_to(spec["target"])
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "parquet":
            _parquet(path, spec["sql"])
        else:
            path.write_bytes(_content(spec))
        if "mode" in spec:
            path.chmod(int(spec["mode"], 8))


# Keys of a case that describe its table's main file (``[defaults] main``).
_FILE_KEYS = frozenset({"from", "text", "replace", "append", "prepend", "generate", "size",
                        "kind", "target", "encoding", "bom", "line_endings", "sql", "mode"})
_SOURCE_KEYS = frozenset({"from", "text", "generate", "kind"})


def _with_defaults(case: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """A case completed by its table's ``[defaults]``; file keys edit the main file."""
    merged = {key: value for key, value in defaults.items() if key not in ("files", "main")}
    merged |= {key: value for key, value in case.items() if key not in _FILE_KEYS}
    files = {name: dict(spec) for name, spec in defaults.get("files", {}).items()}
    edits = {key: value for key, value in case.items() if key in _FILE_KEYS}
    if edits:
        main = files.setdefault(defaults["main"], {})
        if _SOURCE_KEYS & edits.keys():
            for key in _SOURCE_KEYS:
                main.pop(key, None)
        main |= edits
    for name, spec in case.get("files", {}).items():
        files[name] = files.get(name, {}) | spec
    merged["files"] = files
    return merged


def _cases() -> Iterator[Any]:
    for table in sorted(HERE.glob("cases/*.toml")):
        with table.open("rb") as handle:
            data = tomllib.load(handle)
        for case in (_with_defaults(case, data.get("defaults", {})) for case in data["case"]):
            marks = []
            if case.get("needs_non_root") and hasattr(os, "geteuid") and os.geteuid() == 0:
                marks.append(pytest.mark.skip(reason="root reads any file"))
            yield pytest.param(case, id=f"{table.stem}/{case['id']}", marks=marks)


CASES = list(_cases())


def test_the_corpus_is_large_and_every_id_is_unique() -> None:
    ids = [param.id for param in CASES]
    assert len(ids) >= 200
    assert len(set(ids)) == len(ids)


def run_case(case: dict[str, Any], folder: Path,
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Make the case's files in ``folder`` and run its command line there."""
    make_files(folder, case.get("files", {}))
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=sys.__stderr__)
    try:
        code = main([str(argument) for argument in case["argv"]])
    finally:
        faulthandler.cancel_dump_traceback_later()
    out, err = capsys.readouterr()
    return code, out, err


def check_messages(case: dict[str, Any], code: int, out: str, err: str) -> None:
    where = f"{case['id']}: exit {code}\nstderr:\n{err}\nstdout (end):\n{out[-2000:]}"
    assert code == case["exit"], where
    for text in case.get("names", []):
        assert text in err, f"{text!r} is not named\n{where}"
    for text in case.get("stdout", []):
        assert text in out, f"{text!r} is not in the output\n{where}"
    for name in case.get("present_after", []):
        assert Path(name).exists(), f"{name} was not written\n{where}"
    for name in case.get("absent_after", []):
        assert not Path(name).exists(), f"{name} was left behind\n{where}"
    # ``error: …`` from vpp, ``vpp audit: error: …`` from its argument parser
    errors = [ARGPARSE_PROG.sub("", line) for line in err.splitlines()
              if line.startswith("error:") or ARGPARSE_PROG.match(line)]
    if code == 2:
        assert errors, f"exit 2 with no error line\n{where}"
    for line in errors:
        assert ERROR_LINE.match(line), f"an error line without a place and a reason: {line!r}"
        assert not UNHELPFUL.search(line), f"an error line a person cannot act on: {line!r}"
    assert not UNHELPFUL.search(err), where


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run_case(case, tmp_path, capsys)
    check_messages(case, code, out, err)

