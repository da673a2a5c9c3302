"""vpp-core: a rules engine with a plug-in architecture for Violence Reduction Units.

The public API: :func:`audit` a strategy against rule packs and read the :class:`Report`.

Every public name is imported on first use (PEP 562), so that ``import vpp_core`` and the
``vpp`` command import only the modules a run needs; type checkers and editors read the
imports under ``TYPE_CHECKING``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vpp_core.api import audit
    from vpp_core.cli.disclosure_options import add_disclosure_arguments, disclosure_policy
    from vpp_core.cli.strategy_choice import (
        add_strategy_arguments,
        chosen_strategy,
        example_chosen,
    )
    from vpp_core.loading.bundled import (
        bundled_records,
        bundled_strategy,
        display_path,
        fixtures_folder,
        package_folder,
    )
    from vpp_core.loading.errors import (
        PackError,
        PluginError,
        RecordsError,
        StrategyError,
        UsageError,
        VppError,
        WaiverError,
    )
    from vpp_core.loading.extension_spec import ExtensionPlace, ExtensionSpec
    from vpp_core.loading.extensions import claim_extensions, extension
    from vpp_core.loading.strategy_io import (
        dump_strategy,
        load_strategy,
        load_strategy_text,
        strategy_from_data,
    )
    from vpp_core.loading.suggestions import did_you_mean
    from vpp_core.loading.typed_toml import load_toml_as, structure_as
    from vpp_core.model import (
        BudgetLine,
        Cohort,
        Design,
        DutyHolderKind,
        EvaluationLifeCycle,
        FigureKind,
        Funding,
        Gate,
        Grant,
        GrantKind,
        Intervention,
        LifeCycleStage,
        LocalPartnership,
        MeasuredBy,
        NeedsAssessment,
        PlannedSpend,
        Publication,
        Qualifier,
        RelevantAuthorityKind,
        StatedFigure,
        Strategy,
        SuccessMeasure,
    )
    from vpp_core.model.escaping import (
        csv_writer,
        html_text,
        json_document,
        json_text,
        markdown_text,
        terminal_text,
    )
    from vpp_core.model.money import format_money
    from vpp_core.model.periods import FinancialYear, Period, month_or_quarter
    from vpp_core.model.toc import (
        IMPACT,
        NodeKind,
        build_links,
        node_id,
        nodes_of_kind,
    )
    from vpp_core.plugin_api.context import (
        CheckContext,
        MetricContext,
        RecordSource,
    )
    from vpp_core.plugin_api.formatting import (
        format_share,
        format_value,
        needed,
    )
    from vpp_core.plugin_api.manager import (
        ENGINE_VERSION,
        Plugins,
        make_plugins,
    )
    from vpp_core.plugin_api.markers import hookimpl
    from vpp_core.plugin_api.record_kinds import (
        Column,
        ColumnType,
        RecordKind,
        RecordSchema,
        RowRule,
    )
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
        whole_strategy,
    )
    from vpp_core.plugin_api.specs import (
        CheckSpec,
        CommandSpec,
        Measurement,
        MetricSpec,
        ParameterSpec,
        ReporterSpec,
        lazy,
    )
    from vpp_core.plugin_api.trust import (
        TrustedPlugin,
        TrustList,
        load_trust,
    )
    from vpp_core.records.disclosure import Audience, DisclosurePolicy
    from vpp_core.records.manifest import record_sources
    from vpp_core.records.tables import (
        LEFT_OUT_RULE,
        LoadedTable,
        RecordScan,
        csv_record_ordinals,
        load_table,
        load_view,
        loose_key,
        records_connection,
        scan_view,
        sql_literal,
        tally,
    )
    from vpp_core.records.usable import (
        DEFAULT_MAXIMUM_LEFT_OUT,
        file_findings,
        file_problem,
        files_usable_findings,
        unusable_files,
    )
    from vpp_core.reports.atomic import output_folder, refuse_overwrite
    from vpp_core.reports.disclosure import published_result
    from vpp_core.reports.formats.workbook import (
        CellFormat,
        XlsxSheet,
        workbook_bytes,
        xlsx_sheet,
    )
    from vpp_core.reports.report import (
        Report,
        StrategyAudit,
        report_data,
    )
    from vpp_core.reports.tables import render_table
    from vpp_core.rules.engine import AuditOptions
    from vpp_core.rules.loaded_rules import load_rules
    from vpp_core.rules.pack_model import read_pack
    from vpp_core.rules.waivers import (
        Waiver,
        WaiverNote,
        load_waivers,
    )
    from vpp_core.testing.cases import (
        collect_cases,
        mismatches,
        run_case,
        strategy_with,
    )
    from vpp_core.testing.examples import pack_examples, run_example

    __version__ = ENGINE_VERSION

#: Each public name by the module that defines it (the imports above, for the interpreter).
_PUBLIC: dict[str, tuple[str, ...]] = {
    "vpp_core.api": ("audit",),
    "vpp_core.cli.disclosure_options": ("add_disclosure_arguments", "disclosure_policy"),
    "vpp_core.cli.strategy_choice": ("add_strategy_arguments", "chosen_strategy", "example_chosen"),
    "vpp_core.loading.bundled": (
        "bundled_records", "bundled_strategy", "display_path", "fixtures_folder",
        "package_folder",
    ),
    "vpp_core.loading.errors": (
        "PackError", "PluginError", "RecordsError", "StrategyError", "UsageError", "VppError",
        "WaiverError",
    ),
    "vpp_core.loading.extension_spec": ("ExtensionPlace", "ExtensionSpec"),
    "vpp_core.loading.extensions": ("claim_extensions", "extension"),
    "vpp_core.loading.suggestions": ("did_you_mean",),
    "vpp_core.loading.strategy_io": (
        "dump_strategy", "load_strategy", "load_strategy_text", "strategy_from_data",
    ),
    "vpp_core.loading.typed_toml": ("load_toml_as", "structure_as"),
    "vpp_core.model": (
        "BudgetLine", "Cohort", "Design", "DutyHolderKind", "EvaluationLifeCycle", "FigureKind",
        "Funding", "Gate", "Grant", "GrantKind", "Intervention", "LifeCycleStage",
        "LocalPartnership", "MeasuredBy", "NeedsAssessment",
        "PlannedSpend", "Publication", "Qualifier", "RelevantAuthorityKind", "StatedFigure",
        "Strategy", "SuccessMeasure",
    ),
    "vpp_core.model.escaping": (
        "csv_writer", "html_text", "json_document", "json_text", "markdown_text", "terminal_text",
    ),
    "vpp_core.model.money": ("format_money",),
    "vpp_core.model.periods": ("FinancialYear", "Period", "month_or_quarter"),
    "vpp_core.model.toc": ("IMPACT", "NodeKind", "build_links", "node_id", "nodes_of_kind"),
    "vpp_core.plugin_api.context": ("CheckContext", "MetricContext", "RecordSource"),
    "vpp_core.plugin_api.formatting": ("format_share", "format_value", "needed"),
    "vpp_core.plugin_api.manager": ("ENGINE_VERSION", "Plugins", "make_plugins"),
    "vpp_core.plugin_api.markers": ("hookimpl",),
    "vpp_core.plugin_api.record_kinds": (
        "Column", "ColumnType", "RecordKind", "RecordSchema", "RowRule",
    ),
    "vpp_core.plugin_api.results": (
        "Evidence", "Finding", "PluginInfo", "Quantity", "Reference", "Result", "Severity",
        "Status", "Subject", "Unit", "whole_strategy",
    ),
    "vpp_core.plugin_api.specs": (
        "CheckSpec", "CommandSpec", "Measurement", "MetricSpec", "ParameterSpec", "ReporterSpec",
        "lazy",
    ),
    "vpp_core.plugin_api.trust": ("TrustedPlugin", "TrustList", "load_trust"),
    "vpp_core.records.disclosure": ("Audience", "DisclosurePolicy"),
    "vpp_core.records.manifest": ("record_sources",),
    "vpp_core.records.tables": (
        "LEFT_OUT_RULE", "LoadedTable", "RecordScan", "csv_record_ordinals", "load_table",
        "load_view", "loose_key", "records_connection", "scan_view", "sql_literal", "tally",
    ),
    "vpp_core.records.usable": (
        "DEFAULT_MAXIMUM_LEFT_OUT", "file_findings", "file_problem", "files_usable_findings",
        "unusable_files",
    ),
    "vpp_core.reports.atomic": ("output_folder", "refuse_overwrite"),
    "vpp_core.reports.disclosure": ("published_result",),
    "vpp_core.reports.formats.workbook": (
        "CellFormat", "XlsxSheet", "workbook_bytes", "xlsx_sheet",
    ),
    "vpp_core.reports.report": ("Report", "StrategyAudit", "report_data"),
    "vpp_core.reports.tables": ("render_table",),
    "vpp_core.rules.engine": ("AuditOptions",),
    "vpp_core.rules.loaded_rules": ("load_rules",),
    "vpp_core.rules.pack_model": ("read_pack",),
    "vpp_core.rules.waivers": ("Waiver", "WaiverNote", "load_waivers"),
    "vpp_core.testing.cases": ("collect_cases", "mismatches", "run_case", "strategy_with"),
    "vpp_core.testing.examples": ("pack_examples", "run_example"),
}


def __getattr__(name: str) -> Any:
    from vpp_core.model.exports import import_public  # at the first name used, not on import

    return import_public(globals(), _PUBLIC, "ENGINE_VERSION" if name == "__version__" else name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})


__all__ = [
    "DEFAULT_MAXIMUM_LEFT_OUT",
    "ENGINE_VERSION",
    "IMPACT",
    "LEFT_OUT_RULE",
    "Audience",
    "AuditOptions",
    "BudgetLine",
    "CellFormat",
    "CheckContext",
    "CheckSpec",
    "Cohort",
    "Column",
    "ColumnType",
    "CommandSpec",
    "Design",
    "DisclosurePolicy",
    "DutyHolderKind",
    "EvaluationLifeCycle",
    "Evidence",
    "ExtensionPlace",
    "ExtensionSpec",
    "FigureKind",
    "FinancialYear",
    "Finding",
    "Funding",
    "Gate",
    "Grant",
    "GrantKind",
    "Intervention",
    "LifeCycleStage",
    "LoadedTable",
    "LocalPartnership",
    "MeasuredBy",
    "Measurement",
    "MetricContext",
    "MetricSpec",
    "NeedsAssessment",
    "NodeKind",
    "PackError",
    "ParameterSpec",
    "Period",
    "PlannedSpend",
    "PluginError",
    "PluginInfo",
    "Plugins",
    "Publication",
    "Qualifier",
    "Quantity",
    "RecordKind",
    "RecordScan",
    "RecordSchema",
    "RecordSource",
    "RecordsError",
    "Reference",
    "RelevantAuthorityKind",
    "Report",
    "ReporterSpec",
    "Result",
    "RowRule",
    "Severity",
    "StatedFigure",
    "Status",
    "Strategy",
    "StrategyAudit",
    "StrategyError",
    "Subject",
    "SuccessMeasure",
    "TrustList",
    "TrustedPlugin",
    "Unit",
    "UsageError",
    "VppError",
    "Waiver",
    "WaiverError",
    "WaiverNote",
    "XlsxSheet",
    "add_disclosure_arguments",
    "add_strategy_arguments",
    "audit",
    "build_links",
    "bundled_records",
    "bundled_strategy",
    "chosen_strategy",
    "claim_extensions",
    "collect_cases",
    "csv_record_ordinals",
    "csv_writer",
    "did_you_mean",
    "disclosure_policy",
    "display_path",
    "dump_strategy",
    "example_chosen",
    "extension",
    "file_findings",
    "file_problem",
    "files_usable_findings",
    "fixtures_folder",
    "format_money",
    "format_share",
    "format_value",
    "hookimpl",
    "html_text",
    "json_document",
    "json_text",
    "lazy",
    "load_rules",
    "load_strategy",
    "load_strategy_text",
    "load_table",
    "load_toml_as",
    "load_trust",
    "load_view",
    "load_waivers",
    "loose_key",
    "make_plugins",
    "markdown_text",
    "mismatches",
    "month_or_quarter",
    "needed",
    "node_id",
    "nodes_of_kind",
    "output_folder",
    "pack_examples",
    "package_folder",
    "published_result",
    "read_pack",
    "record_sources",
    "records_connection",
    "refuse_overwrite",
    "render_table",
    "report_data",
    "run_case",
    "run_example",
    "scan_view",
    "sql_literal",
    "strategy_from_data",
    "strategy_with",
    "structure_as",
    "tally",
    "terminal_text",
    "unusable_files",
    "whole_strategy",
    "workbook_bytes",
    "xlsx_sheet",
]
