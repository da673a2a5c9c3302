"""One report from the reports and failures of a batch, in the order of its strategies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from vpp_core.batch.item import Outcome
from vpp_core.plugin_api.manager import ENGINE_VERSION
from vpp_core.plugin_api.results import PluginInfo
from vpp_core.reports.report import FailedAudit, InputFile, PackInfo, Provenance, Report
from vpp_core.rules.engine import AuditOptions
from vpp_core.rules.waivers import WaiverNote, WaiverState

# A waiver noted differently by different strategies' audits: the note that says most.
_STATE_RANK = {WaiverState.APPLIED: 3, WaiverState.IGNORED: 2, WaiverState.EXPIRED: 1,
               WaiverState.UNUSED: 0}


def _merge_waivers(notes: Iterable[WaiverNote]) -> tuple[WaiverNote, ...]:
    merged: dict[Any, WaiverNote] = {}
    for note in notes:
        key = attrs.astuple(note.waiver)
        kept = merged.get(key)
        if kept is None:
            merged[key] = note
            continue
        subjects = tuple(sorted({*kept.subjects, *note.subjects}))
        # of two notes in one state, the one saying more (a did-you-mean from the strategy
        # the waiver was for) is kept
        best = note if (_STATE_RANK[note.state], len(note.message)) > (
            _STATE_RANK[kept.state], len(kept.message)) else kept
        merged[key] = attrs.evolve(best, subjects=subjects)
    return tuple(merged.values())


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def merge(outcomes: Sequence[Outcome], options: AuditOptions | None = None) -> Report:
    """One report from the reports and failures of a batch, in their order."""
    reports = [outcome for outcome in outcomes if isinstance(outcome, Report)]
    packs: list[PackInfo] = sorted(_unique(pack for report in reports
                                           for pack in report.provenance.packs),
                                   key=lambda pack: (pack.name, pack.version, pack.source))
    plugins: list[PluginInfo] = sorted(_unique(plugin for report in reports
                                               for plugin in report.provenance.plugins))
    inputs: list[InputFile] = _unique(item for report in reports
                                      for item in report.provenance.inputs)
    return Report(
        audits=tuple(audit for report in reports for audit in report.audits),
        provenance=Provenance(
            engine_version=reports[0].provenance.engine_version if reports else ENGINE_VERSION,
            packs=tuple(packs),
            plugins=tuple(plugins),
            inputs=tuple(inputs),
        ),
        options=reports[0].options if reports else (options or AuditOptions()),
        waivers=_merge_waivers(note for report in reports for note in report.waivers),
        waivers_as_of=next((report.waivers_as_of for report in reports
                            if report.waivers_as_of is not None), None),
        notes=tuple(_unique(note for report in reports for note in report.notes)),
        failed=tuple(outcome for outcome in outcomes if isinstance(outcome, FailedAudit)),
        switched_off=tuple(sorted(_unique(item for report in reports
                                          for item in report.switched_off),
                                  key=lambda item: (item.code, item.pack))),
        rule_docs=tuple(sorted({doc.code: doc for report in reports
                                for doc in report.rule_docs}.values(),
                               key=lambda doc: doc.code)),
    )
