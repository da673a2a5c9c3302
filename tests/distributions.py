"""Installing a test plugin as a distribution of its own, into a folder put on PYTHONPATH:
how a third party's plugin reaches vpp (its entry points in the ``vpp`` group)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path


def install(project: Path, site: Path, name: str, package: str) -> None:
    """Install ``project`` into ``site`` (a folder put on PYTHONPATH): with pip where it can
    build a wheel offline, else by writing the metadata pip would (the distribution's
    entry points), with the package imported from the project folder."""
    if importlib.util.find_spec("wheel") is not None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--no-build-isolation", "--no-index", "--target", str(site),
                        str(project)], check=True)
        return
    info = site / f"{package}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n",
                                   encoding="utf-8")
    project_data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    points = project_data["project"]["entry-points"]["vpp"]
    (info / "entry_points.txt").write_text(
        "[vpp]\n" + "".join(f"{key} = {value}\n" for key, value in points.items()),
        encoding="utf-8")


def module_project(root: Path, name: str, module: Path) -> Path:
    """A project folder ``root/name`` distributing the one module ``module`` as the plugin
    ``name`` (a setuptools ``pyproject.toml`` and the module)."""
    project = root / name
    project.mkdir(parents=True)
    (project / module.name).write_bytes(module.read_bytes())
    (project / "pyproject.toml").write_text(
        "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n"
        f"\n[project]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[tool.setuptools]\n"
        f"py-modules = [\"{module.stem}\"]\n\n[project.entry-points.vpp]\n"
        f"{name} = \"{module.stem}\"\n", encoding="utf-8")
    return project
