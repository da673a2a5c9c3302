"""Reading packs, following extends chains, resolving parameters, and the errors."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.engine.conftest import CORE, LOCAL, PACKS
from vpp_core import PackError, Severity, audit, load_rules
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.model.periods import FinancialYear
from vpp_core.plugin_api.manager import Plugins
from vpp_core.rules.packs import PackLibrary

HEADER = """\
[pack]
name = "{name}"
version = "1"
prefix = "TST"
"""

RULE = """\
[[rules]]
code = "{code}"
name = "a-rule"
title = "Something holds"
severity = "error"
check = "{check}"
[rules.parameters]
{parameters}
"""

SHARE = ('numerator = "demo-budget-line:evaluation"\n'
         'denominator = "demo-grant:core-2024-25"\nthreshold = "0.1"')


def write_pack(folder: Path, name: str, *rules: str, extra: str = "",
               extends: str = "") -> Path:
    head = HEADER.format(name=name)
    if extends:
        head += f"extends = [{extends}]\n"
    head += 'plugins = ["{}"]\n'.format((PACKS.parent / "plugins" / "demo_rules.py").as_posix())
    path = folder / f"{name}.toml"
    path.write_text(head + extra + "\n" + "\n".join(rules), encoding="utf-8")
    return path


def rule(code: str = "TST001", check: str = "share-at-least", parameters: str = SHARE) -> str:
    return RULE.format(code=code, check=check, parameters=parameters)


def fails(plugins: Plugins, path: Path | str) -> str:
    with pytest.raises(PackError) as caught:
        load_rules(plugins, [str(path)])
    return str(caught.value)


def test_extends_chain_overrides_and_provenance(vpp_plugins: Plugins) -> None:
    rules = load_rules(vpp_plugins, [LOCAL]).rules
    assert [pack.name for pack in rules.packs] == ["demo-core", "demo-local"]
    share = rules.get("DEMO001")
    assert share is not None
    threshold = share.parameters["threshold"]
    assert {year: (s.value, s.pack) for year, s in threshold.by_year.items()} == {
        "2022-23": (Decimal("0.10"), "demo-core"),
        "2023-24": (Decimal("0.20"), "demo-core"),
        "2024-25": (Decimal("0.60"), "demo-local"),
    }
    assert share.parameters["numerator"].plain is not None
    assert share.parameters["numerator"].plain.pack == "demo-core"
    assert share.parameters_for(FinancialYear(2023))["threshold"] == Decimal("0.20")
    evaluation = rules.get("DEMO002")
    assert evaluation is not None
    assert (evaluation.severity, evaluation.severity_from) == (Severity.ERROR, "demo-local")
    switched_off = rules.get("DEMO006")
    assert switched_off is not None
    assert (switched_off.enabled, switched_off.enabled_from) == (False, "demo-local")
    assert [rule.code for rule in rules.rules] == [
        "DEMO001", "DEMO002", "DEMO003", "DEMO004", "DEMO005", "DEMO006", "LOCAL001"]


def test_missing_year_names_pack_file_and_rule(vpp_plugins: Plugins) -> None:
    share = load_rules(vpp_plugins, [CORE]).rules.get("DEMO001")
    assert share is not None
    with pytest.raises(PackError) as caught:
        share.parameters_for(FinancialYear(2025))
    assert str(caught.value) == (
        f"{CORE}: rule DEMO001: parameter 'threshold' has no value for 2025-26 "
        "(it has 2022-23, 2023-24, 2024-25): 'demo-core' does not state it; state the "
        "year's value in a pack of your own that extends it, given with --pack (in packs "
        "from Python): an "
        '[[overrides]] entry with code = "DEMO001" and parameters = '
        '{ threshold = { "2025-26" = "…" } }'
    )


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([rule(check="share-at-least-ish")],
         "rule TST001: unknown check 'share-at-least-ish' (known checks: demo-funding-stated,"),
        ([rule(), rule()], "rule TST001: duplicate code"),
        ([rule(code="FUND001")], "rule FUND001: code: expected the pack's prefix 'TST' and "
                                 "three digits"),
        ([rule(code="TST01")], "rule TST01: code: expected the pack's prefix 'TST'"),
        ([rule(parameters=SHARE.replace('"0.1"', "0.1"))],
         "rule TST001: parameter 'threshold': expected a decimal as a string such as "
         '"0.30", not a float'),
        ([rule(parameters=SHARE.replace('"0.1"', '{ "2024-25" = "x" }'))],
         "rule TST001: parameter 'threshold' for 2024-25: expected a decimal, got 'x'"),
        ([rule(parameters=SHARE + '\nbase = "whole-budget"')],
         "rule TST001: unknown parameter 'base' for check 'share-at-least' (it takes "
         "denominator, numerator, subject, threshold)"),
        ([rule(parameters=SHARE.replace("demo-budget-line:", "budget-lines:"))],
         "rule TST001: parameter 'numerator': unknown metric 'budget-lines'"),
        ([rule(parameters='numerator = "demo-budget-line:evaluation"')],
         "rule TST001: parameter 'denominator' is required by check 'share-at-least'"),
        ([rule().replace('severity = "error"', 'severity = "critical"')],
         "rule TST001: severity: 'critical' is not one of 'error', 'warning', 'info'"),
        ([rule().replace('name = "a-rule"', 'name = "A Rule"')],
         "rule TST001: name: 'A Rule' is not kebab-case"),
        ([rule().replace("check =", "chek =")], "rule TST001: unknown key 'chek'"),
    ],
    ids=["unknown-check", "duplicate-code", "other-prefix", "two-digits", "float",
         "year-value", "unknown-parameter", "unknown-metric", "missing-parameter",
         "severity", "name", "unknown-key"],
)
def test_pack_errors_name_the_file_and_rule(
    vpp_plugins: Plugins, tmp_path: Path, rules: list[str], message: str
) -> None:
    path = write_pack(tmp_path, "broken", *rules)
    assert fails(vpp_plugins, path).startswith(f"{path}: {message}")


def test_duplicate_code_across_packs(vpp_plugins: Plugins, tmp_path: Path) -> None:
    write_pack(tmp_path, "base", rule())
    child = write_pack(tmp_path, "child", rule(), extends='"base"')
    assert fails(vpp_plugins, child) == (
        f"{child}: rule TST001: duplicate code, also in {tmp_path / 'base.toml'}")


def test_extends_cycle(vpp_plugins: Plugins, tmp_path: Path) -> None:
    write_pack(tmp_path, "one", rule("TST001"), extends='"two"')
    two = write_pack(tmp_path, "two", rule("TST002"), extends='"one"')
    assert fails(vpp_plugins, two) == f"{two}: extends cycle: two → one → two"


def test_override_of_a_rule_not_extended(vpp_plugins: Plugins, tmp_path: Path) -> None:
    path = write_pack(tmp_path, "lonely", rule(),
                      extra='[[overrides]]\ncode = "DEMO001"\nseverity = "info"\n')
    assert fails(vpp_plugins, path) == (
        f"{path}: override of DEMO001: no such rule in the packs it extends")


def test_override_with_wrong_type_names_the_overriding_pack(
    vpp_plugins: Plugins, tmp_path: Path
) -> None:
    path = write_pack(tmp_path, "child", extends=f'"{Path(CORE).as_posix()}"',
                      extra='[[overrides]]\ncode = "DEMO001"\n'
                            'parameters = { threshold = { "2024-25" = true } }\n')
    assert fails(vpp_plugins, path) == (
        f"{path}: rule DEMO001: parameter 'threshold' for 2024-25: expected a decimal, "
        "got True")


def test_sibling_packs_may_not_both_override_a_value(vpp_plugins: Plugins,
                                                     tmp_path: Path) -> None:
    override = '[[overrides]]\ncode = "DEMO002"\nseverity = "info"\n'
    first = write_pack(tmp_path, "first", extends=f'"{Path(CORE).as_posix()}"', extra=override)
    second = write_pack(tmp_path, "second", extends=f'"{Path(CORE).as_posix()}"',
                        extra=override)
    with pytest.raises(PackError) as caught:
        load_rules(vpp_plugins, [str(first), str(second)])
    assert str(caught.value) == (
        f"{second}: override of DEMO002: severity is also overridden by pack 'first', "
        "which it does not extend")


def test_unknown_pack_name_lists_what_is_available(vpp_plugins: Plugins) -> None:
    with pytest.raises(PackError) as caught:
        load_rules(vpp_plugins, ["no-such-pack"])
    assert str(caught.value).startswith("packs: no pack named 'no-such-pack' (available: ")


def test_an_unknown_pack_through_the_api_names_the_argument_not_the_option() -> None:
    """``audit(packs=...)`` was told of ``--pack``, an option its caller never gave."""
    with pytest.raises(PackError) as caught:
        audit(bundled_strategy(), packs=["no-such-pack"])
    assert str(caught.value).startswith("packs: no pack named 'no-such-pack' (available: ")


def test_toml_syntax_error_has_line_and_column(vpp_plugins: Plugins, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[pack]\nname = "bad\n', encoding="utf-8")
    assert fails(vpp_plugins, path).startswith(f"{path}:2:")


def test_packs_found_by_name_in_plugin_folders(
    vpp_make_plugins: Callable[..., Plugins], tmp_path: Path
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    write_pack(folder, "by-name", textwrap.dedent(rule()))

    class Folders:
        @staticmethod
        def vpp_register_pack_folders() -> list[Path]:
            return [folder]

    from vpp_core import PluginInfo

    plugins = vpp_make_plugins(extra=[(Folders(), PluginInfo("folders", "1", "test"))])
    assert PackLibrary(tuple(plugins.pack_folders())).available()["by-name"].prefix == "TST"
    rules = load_rules(plugins, ["by-name"]).rules
    assert [item.code for item in rules.rules] == ["TST001"]


def _library(folder: Path) -> PackLibrary:
    return PackLibrary((folder,))


def test_a_pack_found_by_name_is_the_only_pack_read_whole(tmp_path: Path) -> None:
    wanted = write_pack(tmp_path, "wanted", rule())
    other = write_pack(tmp_path, "other", rule())
    other.write_text(other.read_text(encoding="utf-8") + "\n[[rules]]\ncode = 1\n",
                     encoding="utf-8")
    assert _library(tmp_path).find("wanted").path == wanted
    with pytest.raises(PackError) as caught:
        _library(tmp_path).find("other")
    assert str(caught.value) == f"{other}: rules[1].code: expected a string, got int"


def test_a_name_used_twice_in_a_folder_is_an_error_naming_both(tmp_path: Path) -> None:
    first = write_pack(tmp_path, "same", rule())
    second = tmp_path / "z-same.toml"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    for lookup in ("same", "another"):
        with pytest.raises(PackError) as caught:
            _library(tmp_path).find(lookup)
        assert str(caught.value) == f"{second}: pack name 'same' is also used by {first}"


def test_a_header_that_does_not_read_alone_is_read_with_the_whole_pack(tmp_path: Path) -> None:
    # a line starting "[" inside the description: the header alone is not TOML
    path = write_pack(tmp_path, "odd", rule(),
                      extra='description = """Covers\n[the whole year]"""\ndefault = true\n')
    library = _library(tmp_path)
    assert [pack.path for pack in library.defaults()] == [path]
    assert library.find("odd").description == "Covers\n[the whole year]"
    path.write_text('[pack]\nname = "Not-Kebab"\nversion = "1"\nprefix = "TST"\n',
                    encoding="utf-8")
    with pytest.raises(PackError, match=f"^{re.escape(str(path))}: .*kebab-case"):
        _library(tmp_path).find("Not-Kebab")


def test_only_the_default_packs_are_read_for_a_run_without_pack(tmp_path: Path) -> None:
    chosen = write_pack(tmp_path, "chosen", rule(), extra="default = true\n")
    write_pack(tmp_path, "not-chosen", rule())
    library = _library(tmp_path)
    assert [pack.path for pack in library.defaults()] == [chosen]
    assert sorted(library.available()) == ["chosen", "not-chosen"]


def test_retired_rules_keep_their_code_and_never_run(
    vpp_plugins: Plugins, tmp_path: Path
) -> None:
    from vpp_core import audit
    from vpp_core.loading.bundled import bundled_strategy

    retired = rule("TST002", check="a-check-long-gone").replace(
        'check = "a-check-long-gone"', 'check = "a-check-long-gone"\nstatus = "retired"')
    path = write_pack(tmp_path, "history", rule("TST001"), retired)
    assert [r.code for r in load_rules(vpp_plugins, [str(path)]).rules.rules] == [
        "TST001", "TST002"]
    report = audit(bundled_strategy(), packs=[str(path)], plugins=vpp_plugins)
    assert [result.code for result in report.results] == ["TST001"]
    reused = write_pack(tmp_path, "reuse", rule("TST001"), retired, rule("TST002"))
    assert fails(vpp_plugins, reused) == f"{reused}: rule TST002: duplicate code"


def test_extends_by_name_finds_a_sibling_among_other_toml_files(
    vpp_plugins: Plugins, tmp_path: Path
) -> None:
    (tmp_path / "strategy.toml").write_text('financial_year = "2024-25"\n', encoding="utf-8")
    (tmp_path / "waivers.toml").write_text("[[waivers]]\n", encoding="utf-8")
    write_pack(tmp_path, "national", rule("TST001"))
    local = write_pack(tmp_path, "local", extends='"national"',
                       extra='[[overrides]]\ncode = "TST001"\nseverity = "info"\n')
    resolved = load_rules(vpp_plugins, [str(local)]).rules.get("TST001")
    assert resolved is not None
    assert (resolved.severity, resolved.severity_from) == (Severity.INFO, "local")
