"""Where ``vpp audit`` sends its reports: ``--output [FORMAT:]PATH`` files, written atomically,
and a progress bar on a terminal while a long batch runs."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import attrs

from vpp_core.loading.errors import PluginError, UsageError, VppError
from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.results import PluginInfo
from vpp_core.plugin_api.specs import ReporterSpec
from vpp_core.reports.atomic import refuse_overwrite, write_atomic
from vpp_core.reports.report import Report

Reporters = Mapping[str, tuple[ReporterSpec, PluginInfo]]


@attrs.frozen
class Output:
    format: str
    path: Path


def format_for(path: Path, reporters: Reporters) -> str | None:
    """The format whose file extension ``path`` ends with (``.json``, ``.junit.xml``, …),
    the longest extension winning; ``None`` if none does."""
    name = path.name.lower()
    matches = [(len(spec.extension), format_name) for format_name, (spec, _) in reporters.items()
               if spec.extension and name.endswith("." + spec.extension.lower())]
    return max(matches)[1] if matches else None


def parse_outputs(values: Sequence[str], reporters: Reporters,
                  default: str | None = None) -> list[Output]:
    """``FORMAT:PATH`` values, or a bare ``PATH`` whose format its extension gives (else
    ``default``, the ``--format`` asked for); each format known, each path named once."""
    outputs: list[Output] = []
    for value in values:
        name, colon, rest = value.partition(":")
        if colon and name in reporters:
            output = Output(name, Path(rest))
        elif colon and name and "/" not in name and "\\" not in name and len(name) > 1:
            raise UsageError(f"--output {value}: unknown format {name!r} "
                             f"(available: {', '.join(reporters)})")
        else:
            inferred = format_for(Path(value), reporters) or default
            if inferred is None:
                known = ", ".join(sorted({f".{spec.extension}" for spec, _ in reporters.values()
                                          if spec.extension}))
                raise UsageError(f"--output {value}: cannot tell the format from the file's "
                                 f"extension (known: {known}); write FORMAT:PATH")
            output = Output(inferred, Path(value))
        if not str(output.path) or output.path.name == "":
            raise UsageError(f"--output {value}: no file named")
        if any(other.path == output.path for other in outputs):
            raise UsageError(f"--output {value}: {output.path} is named twice")
        outputs.append(output)
    return outputs


def check_format(name: str, reporters: Reporters, option: str = "--format") -> None:
    if name not in reporters:
        raise UsageError(f"{option}: unknown format {name!r} "
                         f"(available: {', '.join(reporters)})")


def render(report: Report, name: str, reporters: Reporters, options: Mapping[str, Any]) -> str:
    """The report in format ``name`` as text; a binary format (xlsx) only goes to a file."""
    if reporters[name][0].binary:
        raise UsageError(f"--format {name}: a binary format; write it to a file with "
                         f"--output {name}:PATH")
    return cast(str, render_data(report, name, reporters, options))


def render_data(report: Report, name: str, reporters: Reporters, options: Mapping[str, Any]
                ) -> str | bytes:
    """The report in format ``name``: text, or bytes for a format registered as binary; a
    reporter that raises or gives anything else is a :class:`PluginError` naming it."""
    spec, plugin = reporters[name]
    where = f"reporter {name!r} of plugin {plugin.name!r}"
    try:
        text = spec.function(report, options)
    except VppError:
        raise
    except (Exception, SystemExit) as exc:
        raise PluginError(f"{where} failed: {type(exc).__name__}: {exc}") from None
    expected = bytes if spec.binary else str
    if not isinstance(text, expected):
        wanted = "bytes" if spec.binary else "text"
        raise PluginError(f"{where} returned {type(text).__name__}, not {wanted}")
    return text


def refuse_overwriting(outputs: Sequence[Output], inputs: Sequence[tuple[str, Path]]) -> None:
    """A :class:`UsageError` if an output path is one of the run's input files (the same
    file by any path to it), before anything runs."""
    for output in outputs:
        refuse_overwrite(output.path, inputs, named=f"--output {output.format}:")


def write_outputs(report: Report, outputs: Sequence[Output], reporters: Reporters,
                  options: Mapping[str, Any]) -> None:
    """Render every format first, then write each file atomically: a report that fails to
    render leaves every existing file as it was."""
    rendered = [(output, render_data(report, output.format, reporters,
                                     {**options, "color": False})) for output in outputs]
    for output, text in rendered:
        write_atomic(output.path, text)


def use_color(stream: TextIO) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


class ProgressBar:
    """``[#######.........]  12/40  path`` redrawn in place on a terminal; silent elsewhere."""

    def __init__(self, stream: TextIO | None = None, *, minimum: int = 2) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.active = self.stream.isatty()
        self.minimum = minimum
        self.drawn = False

    def __call__(self, done: int, total: int, source: str) -> None:
        if not self.active or total < self.minimum:
            return
        columns = shutil.get_terminal_size((80, 20)).columns
        width = max(10, min(40, columns // 3))
        filled = width * done // total
        counter = f"{done}/{total}"
        line = f"[{'#' * filled}{'.' * (width - filled)}] {counter:>{2 * len(str(total)) + 1}}"
        room = columns - len(line) - 3
        source = terminal_text(source)
        if room > 10:
            line += "  " + (source if len(source) <= room else "…" + source[-(room - 1):])
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """Clear the bar so what follows starts on a clean line."""
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False
