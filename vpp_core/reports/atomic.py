"""Writing a file atomically: a reader sees the old file or the whole new one, never half.

The text goes to a temporary file in the same directory (so the rename stays on one file
system), is flushed and fsynced, then ``os.replace``-d over the target. If anything fails
on the way, the temporary file is removed and the existing file is left as it was; the
temporary file (``.NAME.PID.*.tmp``) of a process killed part-way is removed by the next
write of the same file.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vpp_core.loading.errors import UsageError


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # signal 0 would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no such call on this platform
        return True
    return True


def _remove_leftovers(directory: Path, name: str) -> None:
    """Remove temporary files that writes of ``name`` by processes no longer running left
    behind (killed part-way); those of a live process may be a write under way."""
    prefix = f".{name}."
    for leftover in directory.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = leftover.name[len(prefix):].partition(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_atomic(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` so that an interrupted write leaves the old file intact.

    A missing or unwritable directory is a :class:`UsageError` naming the path.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"{target}: cannot write: no such directory {directory}")
    if target.is_dir():
        raise UsageError(f"{target}: cannot write: is a directory")
    payload = data.encode(encoding) if isinstance(data, str) else data
    _remove_leftovers(directory, target.name)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        raise UsageError(f"{target}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise UsageError(f"{target}: cannot write ({exc.strerror or exc})") from None
        raise
    _fsync_directory(directory)
    return target


def output_folder(folder: Path, names: Iterable[str], *, force: bool = False) -> Path:
    """Make ``folder`` ready for files ``names``: created if missing; a :class:`UsageError`
    if it is a file, or already holds one of ``names`` and ``force`` is not given."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: cannot write: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    if not force:
        present = [name for name in names if (folder / name).exists()]
        if present:
            raise UsageError(f"{folder / present[0]}: already exists (give --force to replace "
                             "what is there)")
    return folder


def refuse_overwrite(output: Path, inputs: Iterable[tuple[str, Path]], *,
                     named: str = "--output ") -> None:
    """A :class:`UsageError` if ``output`` is one of ``inputs`` (``(role, path)``), by any
    path to it: an output never replaces an input. ``named`` is how the error names the
    option (``"--output json:"``). Call it before anything is read."""
    target = output.resolve()
    for role, path in inputs:
        same = target == path.resolve()
        if not same and output.exists() and path.exists():
            same = os.path.samefile(output, path)
        if same:
            raise UsageError(f"{named}{output}: this is an input ({role} {path}); an output "
                             "never replaces an input")
