"""Which local plugins may run without being named on the command line: a trust list.

A pack is data and never runs anything; a plugin is code. A pack *found* beside a strategy
(a batch input folder) may name plugins, but they run only when the user pins them here by
SHA-256 (``--trust FILE``)::

    [[plugins]]
    path = "vrus/essex/essex_rules.py"   # relative to this file
    sha256 = "3f5a0c…"                    # of the file's bytes (sha256sum)

    [[plugins]]
    name = "essex_rules"                 # any plugin file of this name (without .py)
    sha256 = "3f5a0c…"

A file whose bytes hash otherwise is refused, whatever its path or name.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import attrs

from vpp_core.loading.errors import PluginError, UsageError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
TRUST_FLAG = "--trust FILE"


@attrs.frozen
class TrustedPlugin:
    """One pinned plugin: a path (relative to the trust file) or a name, and its SHA-256."""

    sha256: str
    path: str | None = None
    name: str | None = None


@attrs.frozen
class _TrustFile:
    plugins: tuple[TrustedPlugin, ...] = ()


@attrs.frozen
class TrustList:
    """The plugins a user pinned; ``source`` is the file they came from, if any."""

    plugins: tuple[TrustedPlugin, ...] = ()
    source: Path | None = None

    def allows(self, path: Path, sha256: str) -> bool:
        """Whether a plugin file at ``path`` whose bytes hash to ``sha256`` is pinned."""
        base = self.source.parent if self.source is not None else Path.cwd()
        for entry in self.plugins:
            if entry.sha256 != sha256:
                continue
            if entry.name is not None and entry.name.removeprefix("local:") == path.stem:
                return True
            if entry.path is not None and (base / entry.path).resolve() == path.resolve():
                return True
        return False


def plugin_sha256(path: Path) -> tuple[bytes, str]:
    """A plugin file's bytes and their SHA-256 (the bytes are what gets imported)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PluginError(f"{path}: cannot read this plugin file ({exc.strerror})") from None
    return data, hashlib.sha256(data).hexdigest()


def load_trust(path: str | os.PathLike[str]) -> TrustList:
    """Read a trust list; every problem is one ``file: plugins[i].field: message`` line."""
    from vpp_core.loading.typed_toml import load_toml_as  # the converter, only for a trust list

    source = Path(path)
    entries = load_toml_as(source, _TrustFile, UsageError).plugins
    for index, entry in enumerate(entries):
        where = f"{source}: plugins[{index}]"
        if (entry.path is None) == (entry.name is None):
            raise UsageError(f"{where}: give either path or name")
        if not _SHA256.match(entry.sha256):
            raise UsageError(f"{where}.sha256: expected 64 lower-case hex digits "
                             "(the output of sha256sum)")
    return TrustList(entries, source)


def as_trust(trust: TrustList | str | os.PathLike[str] | None) -> TrustList | None:
    """A trust list given as itself or as the path of its file."""
    return trust if trust is None or isinstance(trust, TrustList) else load_trust(trust)
