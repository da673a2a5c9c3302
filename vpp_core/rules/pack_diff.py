"""What a new version of a pack changes: rules added, removed and changed — severity,
switched on or off, check, title, and each parameter year by year — so a VRU sees what a
new year's conditions change (``vpp rules diff OLD NEW``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from vpp_core.rules.packs import Parameter, ResolvedRule, RuleSet

NONE = "(none)"


@attrs.frozen
class RuleChange:
    """One rule's differences, each ``(what, old, new)``."""

    code: str
    title: str
    changes: tuple[tuple[str, str, str], ...]


@attrs.frozen
class PackDiff:
    old: str
    new: str
    added: tuple[ResolvedRule, ...] = ()
    removed: tuple[ResolvedRule, ...] = ()
    changed: tuple[RuleChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _by_year(parameter: Parameter | None) -> dict[str, str]:
    """A parameter's values keyed by year (``""`` for one value for every year)."""
    if parameter is None:
        return {}
    if parameter.plain is not None:
        return {"": str(parameter.plain.value)}
    return {year: str(setting.value) for year, setting in sorted(parameter.by_year.items())}


def _parameter_changes(old: Mapping[str, Parameter], new: Mapping[str, Parameter]
                       ) -> Iterator[tuple[str, str, str]]:
    for name in sorted(set(old) | set(new)):
        before, after = _by_year(old.get(name)), _by_year(new.get(name))
        for year in sorted(set(before) | set(after)):
            was, now = before.get(year, NONE), after.get(year, NONE)
            if was != now:
                where = f"parameter {name}" + (f" for {year}" if year else "")
                yield where, was, now


def _changes(old: ResolvedRule, new: ResolvedRule) -> tuple[tuple[str, str, str], ...]:
    found = [(what, str(a), str(b)) for what, a, b in (
        ("severity", old.severity.value, new.severity.value),
        ("switched", "on" if old.enabled else "off", "on" if new.enabled else "off"),
        ("status", old.status.value, new.status.value),
        ("check", old.check, new.check),
        ("title", old.title_template, new.title_template),
    ) if a != b]
    found.extend(_parameter_changes(old.parameters, new.parameters))
    return tuple(found)


def _label(rules: RuleSet) -> str:
    return ", ".join(f"{pack.name} {pack.version}" for pack in rules.packs[-1:]) or "no pack"


def diff_rules(old: RuleSet, new: RuleSet) -> PackDiff:
    """The rules ``new`` adds, removes and changes against ``old``, by code."""
    before = {rule.code: rule for rule in old.rules}
    after = {rule.code: rule for rule in new.rules}
    changed = []
    for code in sorted(set(before) & set(after)):
        changes = _changes(before[code], after[code])
        if changes:
            changed.append(RuleChange(code, after[code].title, changes))
    return PackDiff(
        _label(old), _label(new),
        added=tuple(after[code] for code in sorted(set(after) - set(before))),
        removed=tuple(before[code] for code in sorted(set(before) - set(after))),
        changed=tuple(changed),
    )


def _whole(verb: str, rule: ResolvedRule) -> str:
    """A rule added or removed: its severity, and whether it runs at all."""
    off = "" if rule.enabled else ", switched off"
    return f"{verb:<8} {rule.code} ({rule.severity.value}{off}) {rule.title}"


def diff_lines(diff: PackDiff) -> list[str]:
    """The diff for people, one line each."""
    lines = [f"--- {diff.old}", f"+++ {diff.new}"]
    if diff.empty:
        return [*lines, "no rule differs"]
    lines += [_whole("added", rule) for rule in diff.added]
    lines += [_whole("removed", rule) for rule in diff.removed]
    for change in diff.changed:
        lines.append(f"changed  {change.code} {change.title}")
        lines += [f"           {what}: {was} → {now}" for what, was, now in change.changes]
    return lines
