"""Reports are written atomically: an interrupted write never damages the existing file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from vpp_core.loading.errors import UsageError
from vpp_core.reports.atomic import write_atomic


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_writes_a_new_file_and_replaces_an_old_one(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_atomic(target, "second £1,510,000\n")
    assert target.read_text(encoding="utf-8") == "second £1,510,000\n"
    write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert _leftovers(tmp_path) == []


def test_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_failure_before_the_rename_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report", encoding="utf-8")

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(UsageError, match=r"report\.html: cannot write \(No space left on device\)"):
        write_atomic(target, "the new report, half written")
    assert target.read_text(encoding="utf-8") == "the old report"
    assert _leftovers(tmp_path) == []


def test_an_interrupt_midway_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("old", encoding="utf-8")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_a_killed_process_never_leaves_a_half_written_report(tmp_path: Path) -> None:
    """The writer is killed (SIGKILL: no clean-up possible) after writing, before renaming."""
    target = tmp_path / "report.json"
    target.write_text('{"complete": true}', encoding="utf-8")
    ready = tmp_path / "ready"
    script = textwrap.dedent(f"""
        import os, pathlib, time
        from vpp_core.reports.atomic import write_atomic
        def stall(descriptor):
            pathlib.Path({str(ready)!r}).touch()
            time.sleep(60)
        os.fsync = stall
        write_atomic({str(target)!r}, '{{"complete": fal')
    """)
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(600):
            if ready.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the writer never reached the point of writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert target.read_text(encoding="utf-8") == '{"complete": true}'


def test_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.json"
    with pytest.raises(UsageError, match="cannot write: no such directory"):
        write_atomic(target, "x")
    with pytest.raises(UsageError, match="is a directory"):
        write_atomic(tmp_path, "x")
