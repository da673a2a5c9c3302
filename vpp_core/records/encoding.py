"""Read a CSV file Excel saved as Windows-1252 from a UTF-8 copy of it.

Excel's "CSV (Comma delimited)" writes Windows-1252, not UTF-8: a ``£``, an ``é`` or the
apostrophe Excel puts in ``King’s`` is a byte DuckDB cannot read as UTF-8, and each line
holding one would be left out as malformed. A file that is not valid UTF-8 but is valid
Windows-1252 is read instead from a UTF-8 copy in a temporary folder; the input is never
modified. The copy has the original's lines (both encodings write a line's end as the same
bytes, and no character of the copy holds them), so every line number read from it is the
original's. A file that is neither (a byte Windows-1252 leaves undefined: 0x81, 0x8D, 0x8F,
0x90 or 0x9D) is read as it is, each line DuckDB cannot read reported as malformed; so is a
file mixing the two, where a line beyond ASCII is valid UTF-8 (read as Windows-1252, its
characters would change: ``é`` written as UTF-8 would read ``Ã©``). Alone among ASCII, a
Windows-1252 character is never valid UTF-8; two together seldom are.

Deciding costs little: a file small enough to be read whole is checked from the bytes
already read (``isascii`` first, a decode only where some byte is not ASCII); a larger one is
mapped and checked a stretch at a time, decoding only stretches that are not ASCII.
"""

from __future__ import annotations

import codecs
import mmap
import shutil
import tempfile
import weakref
from pathlib import Path

#: How a file read from a UTF-8 copy was encoded, as reports name it.
WINDOWS_1252 = "Windows-1252"
_CODEC = "cp1252"
#: The stretch of a large file checked, or copied, at a time.
_STRETCH = 4 << 20


def read_as_note(file: str, encoding: str) -> str:
    """What a report says of ``file`` read as ``encoding``."""
    return f"{file}: read as {encoding} (not UTF-8)"


class Utf8Copy:
    """A UTF-8 copy of a file, in a temporary folder removed by :meth:`close` or, at the
    latest, once nothing refers to the copy (a view may read it after it is made)."""

    def __init__(self, original: Path) -> None:
        folder = Path(tempfile.mkdtemp(prefix="vpp-utf8-"))
        self.path = folder / original.name
        self._remove = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)

    def close(self) -> None:
        """Remove the copy and its folder (again: nothing)."""
        self._remove()


def utf8_copy(path: Path, data: bytes | None = None) -> Utf8Copy | None:
    """A UTF-8 copy of ``path`` if it is not valid UTF-8 but is valid Windows-1252 with no
    line of UTF-8 beyond ASCII, else ``None`` (read it as it is). ``data``, where given, is
    the file's whole content."""
    if data is not None:
        if data.isascii() or _is_utf8(data):
            return None
        try:
            text = data.decode(_CODEC)
        except UnicodeDecodeError:
            return None
        if any(_utf8_beyond_ascii(line) for line in data.split(b"\n")):
            return None
        copy = Utf8Copy(path)
        copy.path.write_bytes(text.encode("utf-8"))
        return copy
    if _large_is_utf8(path):
        return None
    return _copied(path)


def _utf8_beyond_ascii(line: bytes) -> bool:
    """Whether ``line`` holds a character beyond ASCII and is valid UTF-8."""
    return not line.isascii() and _is_utf8(line)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _large_is_utf8(path: Path) -> bool:
    """Whether the file at ``path`` (not empty) is valid UTF-8, a stretch at a time: an
    ASCII stretch with no character left open before it needs no decoding."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
        try:
            for start in range(0, len(view), _STRETCH):
                stretch = view[start:start + _STRETCH]
                if not (stretch.isascii() and not decoder.getstate()[0]):
                    decoder.decode(stretch)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _copied(path: Path) -> Utf8Copy | None:
    """A UTF-8 copy of ``path`` read as Windows-1252 a stretch at a time (one byte is one
    character), or ``None`` if a line is valid UTF-8 beyond ASCII or a byte is not
    Windows-1252."""
    with path.open("rb") as lines:
        if any(_utf8_beyond_ascii(line) for line in lines):
            return None
    copy = Utf8Copy(path)
    try:
        with path.open("rb") as source, copy.path.open("wb") as target:
            while stretch := source.read(_STRETCH):
                target.write(stretch.decode(_CODEC).encode("utf-8"))
    except UnicodeDecodeError:
        copy.close()
        return None
    return copy
