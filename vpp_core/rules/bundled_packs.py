"""The core plugin that offers the rule packs shipped with vpp-core (``vpp_rules``)."""

from __future__ import annotations

from pathlib import Path

from vpp_core.loading.bundled import rules_folder
from vpp_core.plugin_api.markers import hookimpl


@hookimpl
def vpp_register_pack_folders() -> list[Path]:
    return [rules_folder()]
