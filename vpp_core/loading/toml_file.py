"""Reading a TOML input file: every way it can be broken is one located :class:`VppError`.

Beyond ``tomli``'s own syntax errors: a byte-order mark is skipped; an unclosed array or
table at the end of the file is reported at the line it opens on; integers too long for
Python, and arrays or tables nested deeper than :data:`MAX_DEPTH`, are refused with their
line or field path rather than ending in ``ValueError`` or ``RecursionError``.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import tomli

from vpp_core.loading.errors import StrategyError, VppError

#: The largest TOML input read (a strategy is some tens of kilobytes).
MAX_BYTES = 16 << 20
#: How deep arrays and tables may nest in any input file (a strategy needs about eight).
MAX_DEPTH = 32

_POSITION = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_LONG_DIGITS = re.compile(r"[0-9_]{4301,}")  # past Python's limit on digits
_BOM = b"\xef\xbb\xbf"
_STATEMENT = re.compile(r"""^\s*(\[\[?\s*["'A-Za-z0-9_-]|["'A-Za-z0-9_-][^=]*=)""")


def _opened(text: str) -> tuple[int | None, list[int]]:
    """The line on which brackets first nest deeper than :data:`MAX_DEPTH`, and the lines of
    the brackets still open at the end (strings and comments skipped)."""
    stack: list[int] = []
    line, index, size = 1, 0, len(text)
    deep: int | None = None
    while index < size:
        char = text[index]
        if char == "\n":
            line += 1
        elif char == "#":
            end = text.find("\n", index)
            index = size if end < 0 else end
            continue
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            end = index + len(quote)
            while end < size and not text.startswith(quote, end):
                if quote in ('"', '"""') and text[end] == "\\":
                    end += 1
                elif len(quote) == 1 and text[end] == "\n":
                    break
                end += 1
            line += text.count("\n", index, end)
            index = end + len(quote) if text.startswith(quote, end) else end  # unclosed
            continue
        elif char in "[{":
            stack.append(line)
            if deep is None and len(stack) > MAX_DEPTH:
                deep = line
        elif char in "]}" and stack:
            stack.pop()
        index += 1
    return deep, stack


def _too_deep(data: Any) -> str | None:
    """The field path of the first value nested deeper than :data:`MAX_DEPTH`, or ``None``."""
    pending: list[tuple[Any, str, int]] = [(data, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            pending.extend((item, f"{path}.{key}" if path else str(key), depth + 1)
                           for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{index}]", depth + 1)
                           for index, item in enumerate(value))
    return None


def _decode_error(path: Path, text: str, exc: tomli.TOMLDecodeError) -> str:
    match = _POSITION.match(str(exc))
    if match is not None:
        message = match["message"][:1].lower() + match["message"][1:]
        line = int(match["line"])
        before = text.split("\n", line)[: line]
        _, still_open = _opened("\n".join(before[:-1]))
        if still_open and _STATEMENT.match(before[-1]):  # a new key or table inside brackets
            message += f" (the bracket opened on line {still_open[-1]} is not closed)"
        return f"{path}:{line}:{match['column']}: {message}"
    message = str(exc)[:1].lower() + str(exc)[1:]
    _, still_open = _opened(text)
    if "end of document" in message and still_open:
        what = message.partition(" (")[0]
        return f"{path}:{still_open[-1]}: {what}: the bracket opened on this line is never closed"
    return f"{path}: {message}"


def _check_size(size: int, path: Path, error: type[VppError]) -> None:
    if size > MAX_BYTES:
        raise error(f"{path}: too large for a TOML input ({size:,} bytes; at most "
                    f"{MAX_BYTES:,})")


def parse_toml(text: str, path: Path, error: type[VppError] = StrategyError) -> dict[str, Any]:
    """Parse TOML ``text`` read from ``path`` (or given as text: held to a file's size
    limit); every failure is one located ``error``."""
    if len(text) > MAX_BYTES // 4:  # may be over the limit in UTF-8: measure it
        size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        _check_size(size, path, error)
    text = text.removeprefix("\ufeff")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise error(_decode_error(path, text, exc)) from None
    except RecursionError:
        deep, _ = _opened(text)
        where = f"{path}:{deep}" if deep is not None else str(path)
        raise error(f"{where}: arrays or tables nested too deeply "
                    f"(at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # an integer past Python's limit on digits
        long = _LONG_DIGITS.search(text)
        where = f"{path}:{text.count(chr(10), 0, long.start()) + 1}" if long else str(path)
        raise error(f"{where}: integer out of range ({exc.args[0].partition(':')[0]})") from None
    deep_path = _too_deep(data)
    if deep_path is not None:
        raise error(f"{path}: {deep_path}: arrays or tables nested too deeply "
                    f"(at most {MAX_DEPTH} levels)")
    return data


def read_toml(path: Path, error: type[VppError] = StrategyError) -> dict[str, Any]:
    """Read and parse a TOML file; a problem names the file and, where it can, the line."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device could block for ever
            raise error(f"{path}: is not a regular file")
        _check_size(status.st_size, path, error)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a TOML file") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(f"{path}:{line}: is not UTF-8 text (byte {raw[exc.start]:#04x})") from None
    return parse_toml(text, path, error)
