"""Where the data shipped with vpp-core lives, from a checkout or an installed wheel."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

THAMES_VALLEY = "thames-valley-2024-25"


def fixtures_folder() -> Path:
    """The folder of bundled fixtures (one folder per strategy)."""
    with as_file(files("vpp_fixtures")) as folder:
        return Path(folder)


def rules_folder() -> Path:
    """The folder of bundled rule packs."""
    with as_file(files("vpp_rules")) as folder:
        return Path(folder)


def bundled_strategy(name: str = THAMES_VALLEY) -> Path:
    """The ``strategy.toml`` of a bundled fixture; Thames Valley 2024–25 by default."""
    return fixtures_folder() / name / "strategy.toml"


def display_path(path: Path) -> str:
    """``path`` as reports show it: bundled files by package (``vpp_rules/x.toml``), so a
    report reads the same on every machine; any other path as given."""
    for package, folder in (("vpp_fixtures", fixtures_folder()), ("vpp_rules", rules_folder())):
        try:
            relative = path.resolve().relative_to(folder.resolve())
        except ValueError:
            continue
        return f"{package}/{relative.as_posix()}"
    return str(path)
