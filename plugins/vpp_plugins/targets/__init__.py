"""Target counting: new people reached per intervention and cohort, from delivery records.

Registered as the ``targets`` plugin (entry point group ``vpp``). Checks
``targets-met-by-year-end``, ``targets-on-trajectory``, ``records-rows-usable``; metrics
``target-reached``, ``target-expected``, ``target-progress``, ``target-trajectory``,
``target-reached-in-quarter``, ``targets-total-reached``, ``unique-people-reached``,
``records-rows-left-out``; commands ``vpp targets`` and ``vpp generate-records``; the
``targets`` pack (prefix TGT, run by default), in this package's ``packs`` folder;
record kinds ``participants`` and ``training``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vpp_plugins.targets.hooks import (
    vpp_register_checks,
    vpp_register_commands,
    vpp_register_metrics,
    vpp_register_pack_folders,
    vpp_register_record_kinds,
)

if TYPE_CHECKING:
    from vpp_plugins.targets.counting import COUNTING_RULE, TargetCounts, count_targets


def __getattr__(name: str) -> Any:
    """The counting's names, imported on first use: registering the plugin counts nothing."""
    if name in ("COUNTING_RULE", "TargetCounts", "count_targets"):
        from vpp_plugins.targets import counting

        return getattr(counting, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COUNTING_RULE",
    "TargetCounts",
    "count_targets",
    "vpp_register_checks",
    "vpp_register_commands",
    "vpp_register_metrics",
    "vpp_register_pack_folders",
    "vpp_register_record_kinds",
]
