"""The Thames Valley audit every report format is tested on, and helpers to read reports.

The ``reports-demo`` pack (under ``data/``) gives every status a report must show: a
failure with a £ shortfall, a waived failure, an error, not applicable and passes, and a
target-progress share among the metrics.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from vpp_core import AuditOptions, Report, audit
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.manager import make_plugins

DATA = Path(__file__).parent / "data"
PACK = DATA / "packs" / "reports-demo.toml"
WAIVERS = DATA / "waivers.toml"
AS_OF = date(2025, 1, 31)
# The OASIS schema kept beside the repository (shared/schemas), else the copy in data/.
_SHARED_SARIF = Path(__file__).parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
SARIF_SCHEMA = _SHARED_SARIF if _SHARED_SARIF.is_file() else DATA / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="session")
def thames_valley_report() -> Report:
    return audit(bundled_strategy(), packs=[str(PACK)], waivers=str(WAIVERS),
                 options=AuditOptions(as_of=AS_OF), plugins=make_plugins())


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema, checking a log from its root: this copy keeps the
    root object under ``definitions/Root`` and has no top-level constraint of its own."""
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    if "properties" not in schema and "Root" in schema.get("definitions", {}):
        schema = {**schema, "$ref": "#/definitions/Root"}
    return schema
