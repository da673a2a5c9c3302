"""Reports saved as JSON (``--format json``) read back: for ``--baseline`` and
``vpp compare``. A file that is not such a report is an input error naming the file and
the place (``strategies[0].results[3].code``), never a traceback."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs

from vpp_core.loading.errors import VppError
from vpp_core.plugin_api.results import Severity, Status
from vpp_core.reports.report import REPORT_SCHEMA_VERSION


class SavedReportError(VppError):
    """A saved report that cannot be read."""


@attrs.frozen
class SavedResult:
    code: str
    name: str
    title: str
    severity: str
    status: str
    subject: str
    measured: Any = None


@attrs.frozen
class SavedAudit:
    """One strategy's audit as a saved report holds it."""

    partnership: str
    short_name: str
    financial_year: str
    source: str
    results: tuple[SavedResult, ...]
    metrics: dict[str, Any]
    #: The packs it ran, ``NAME@VERSION`` (empty when the report does not say).
    packs: tuple[str, ...] = ()


@attrs.frozen
class SavedReport:
    path: str
    audits: tuple[SavedAudit, ...]
    audience: str
    #: The strategies it could not audit: (source, reason), as its ``failed`` lists them.
    failed: tuple[tuple[str, str], ...] = ()


def _field(data: Any, key: str, place: str, path: Path, kind: type = str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise SavedReportError(f"{path}: {place}: missing {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise SavedReportError(f"{path}: {place}.{key}: expected {kind.__name__}")
    return value


def _choice(data: Any, key: str, place: str, path: Path, allowed: type[StrEnum]) -> str:
    value: str = _field(data, key, place, path)
    if value not in allowed.__members__.values():
        choices = ", ".join(repr(member.value) for member in allowed)
        raise SavedReportError(f"{path}: {place}.{key}: {value!r} is not one of {choices}")
    return value


class _NotANumber(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's json reads them; JSON has none."""


def _constant(name: str) -> Any:
    raise _NotANumber(f"{name} is not a JSON number")


def _optional(data: Any, key: str, place: str, path: Path, kind: type) -> Any:
    """``data[key]`` if it is a ``kind``, else empty when absent or null; any other value
    is an error at its place, never read as something else."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return kind()
    if not isinstance(value, kind):
        expected = "an object" if kind is dict else "a list"
        raise SavedReportError(f"{path}: {place}{key}: expected {expected}")
    return value


def _results(items: list[Any], place: str, path: Path) -> Iterator[SavedResult]:
    for index, item in enumerate(items):
        at = f"{place}[{index}]"
        subject = _field(item, "subject", at, path, dict)
        evidence = _optional(item, "evidence", f"{at}.", path, dict)
        yield SavedResult(
            code=_field(item, "code", at, path),
            name=_field(item, "name", at, path),
            title=_field(item, "title", at, path),
            severity=_choice(item, "severity", at, path, Severity),
            status=_choice(item, "status", at, path, Status),
            subject=f"{_field(subject, 'kind', at + '.subject', path)}:"
                    f"{_field(subject, 'id', at + '.subject', path)}",
            measured=evidence.get("measured"),
        )


def _packs(item: Any, place: str, whole: Any, path: Path) -> tuple[str, ...]:
    """The packs a strategy ran: from its own inputs (``pack:NAME@VERSION``) or, in a
    report of one strategy saved before strategies named them, the report's packs."""
    inputs = _optional(item, "inputs", f"{place}.", path, list)
    own = [str(entry["role"]).removeprefix("pack:") for entry in inputs
           if isinstance(entry, dict) and str(entry.get("role", "")).startswith("pack:")]
    provenance = _optional(whole, "provenance", "", path, dict)
    packs = _optional(provenance, "packs", "provenance.", path, list)
    if own:
        return tuple(own)
    return tuple(f"{pack['name']}@{pack['version']}" for pack in packs
                 if isinstance(pack, dict) and "name" in pack and "version" in pack)


def read_saved_report(path: str | Path) -> SavedReport:
    """A JSON report written by ``vpp audit --format json``."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device could block for ever
            raise SavedReportError(f"{path}: is not a regular file")
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=_constant)
    except OSError as exc:
        raise SavedReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise SavedReportError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise SavedReportError(f"{path}: line {exc.lineno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise SavedReportError(f"{path}: not JSON (nested too deeply)") from None
    except _NotANumber as exc:
        raise SavedReportError(f"{path}: not JSON ({exc})") from None
    except ValueError:  # an integer past Python's limit on digits
        raise SavedReportError(f"{path}: not JSON (a number too long)") from None
    if not isinstance(data, dict) or data.get("schema_version") != REPORT_SCHEMA_VERSION:
        raise SavedReportError(f"{path}: schema_version: not a vpp-core report of schema "
                               f"version {REPORT_SCHEMA_VERSION} (write one with "
                               f"vpp audit --format json)")
    audits = []
    strategies = _field(data, "strategies", "report", path, list)
    for index, item in enumerate(strategies):
        place = f"strategies[{index}]"
        strategy = _field(item, "strategy", place, path, dict)
        at = place + ".strategy"
        audits.append(SavedAudit(
            partnership=_field(strategy, "partnership", at, path),
            short_name=_field(strategy, "short_name", at, path),
            financial_year=_field(strategy, "financial_year", at, path),
            source=_field(strategy, "source", at, path),
            results=tuple(_results(_field(item, "results", place, path, list),
                                   place + ".results", path)),
            metrics=item.get("metrics") if isinstance(item.get("metrics"), dict) else {},
            packs=_packs(item, place, data if len(strategies) == 1 else {}, path),
        ))
    failed = tuple((str(item.get("source", "")), str(item.get("reason", "")))
                   for item in _optional(data, "failed", "", path, list)
                   if isinstance(item, dict))
    return SavedReport(str(path), tuple(audits), str(data.get("audience", "internal")), failed)


def saved_reports(paths: list[str]) -> list[SavedReport]:
    """Reports named, or every ``*.json`` in the folders named, in name order."""
    found: list[SavedReport] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files = sorted(path.rglob("*.json"))
            if not files:
                raise SavedReportError(f"{path}: no JSON report in this folder")
            found.extend(read_saved_report(file) for file in files)
        else:
            found.append(read_saved_report(path))
    return found
