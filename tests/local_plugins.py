"""A VRU's own plugin as its tests write it: a pack of one rule running one check."""

from __future__ import annotations

from pathlib import Path


def one_rule_pack(folder: Path, prefix: str, check: str) -> Path:
    """``folder/pack.toml``: pack ``prefix.lower()`` whose one rule ``{prefix}001`` (info)
    runs ``check``."""
    path = folder / "pack.toml"
    path.write_text(f'[pack]\nname = "{prefix.lower()}"\nversion = "1"\nprefix = "{prefix}"\n'
                    f'[[rules]]\ncode = "{prefix}001"\nname = "{check}"\ntitle = "{check}"\n'
                    f'severity = "info"\ncheck = "{check}"\n', encoding="utf-8")
    return path
