"""vpp-core: a rules engine with a plug-in architecture for Violence Reduction Units.

The public API: :func:`audit` a strategy against rule packs and read the :class:`Report`.
"""

from vpp_core.api import audit, load_rules
from vpp_core.loading.errors import (
    PackError,
    PluginError,
    RecordsError,
    StrategyError,
    UsageError,
    VppError,
    WaiverError,
)
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy
from vpp_core.plugin_api.manager import ENGINE_VERSION, Plugins, make_plugins
from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.results import (
    Evidence,
    Finding,
    PluginInfo,
    Quantity,
    Reference,
    Result,
    Severity,
    Status,
    Subject,
    Unit,
)
from vpp_core.plugin_api.specs import (
    CheckSpec,
    Measurement,
    MetricSpec,
    ParameterSpec,
    ReporterSpec,
)
from vpp_core.reports.report import Report, StrategyAudit, report_data
from vpp_core.rules.engine import AuditOptions
from vpp_core.rules.waivers import Waiver, WaiverNote, load_waivers

__version__ = ENGINE_VERSION

__all__ = [
    "ENGINE_VERSION",
    "AuditOptions",
    "CheckSpec",
    "Evidence",
    "Finding",
    "Measurement",
    "MetricSpec",
    "PackError",
    "ParameterSpec",
    "PluginError",
    "PluginInfo",
    "Plugins",
    "Quantity",
    "RecordsError",
    "Reference",
    "Report",
    "ReporterSpec",
    "Result",
    "Severity",
    "Status",
    "Strategy",
    "StrategyAudit",
    "StrategyError",
    "Subject",
    "Unit",
    "UsageError",
    "VppError",
    "Waiver",
    "WaiverError",
    "WaiverNote",
    "audit",
    "hookimpl",
    "load_rules",
    "load_strategy",
    "load_waivers",
    "make_plugins",
    "report_data",
]
