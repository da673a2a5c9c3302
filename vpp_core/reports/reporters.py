"""The core reporters: ``text`` for people, ``json`` for machines.

Each renderer's module is imported only when a report is rendered in it, so that a command
that writes no report (``vpp violence``) imports none of them.
"""

from __future__ import annotations

from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.specs import ReporterSpec, lazy


@hookimpl
def vpp_register_reporters() -> list[ReporterSpec]:
    return [
        ReporterSpec("json", lazy("vpp_core.reports.formats.json_report:render_json"), "json",
                     "The whole report as JSON, for machines."),
        ReporterSpec("text", lazy("vpp_core.reports.formats.text:render_text"), "txt",
                     "A readable report for the terminal."),
    ]
