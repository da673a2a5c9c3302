"""`vpp rules diff OLD NEW` and `vpp rule CODE` as a user of a pack of their own sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core.cli.main import main
from vpp_core.loading.bundled import fixtures_folder

ESSEX = fixtures_folder() / "essex-2024-25" / "essex.toml"


def test_rules_diff_names_the_argument_whose_pack_is_unknown(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "diff", "default", "defualt"]) == 2
    err = capsys.readouterr().err
    # The user gave no --pack: the line names the argument they gave.
    assert err.startswith("error: vpp rules diff NEW: no pack named 'defualt'")
    assert "--pack" not in err
    assert main(["rules", "diff", "nonexistent", "default"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: vpp rules diff OLD: no pack named 'nonexistent'")


def test_rules_diff_between_two_versions_of_a_local_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "essex.toml"
    newer.write_text(ESSEX.read_text(encoding="utf-8")
                     .replace('version = "2024.1"', 'version = "2025.1"')
                     .replace('"0.25"', '"0.3"'), encoding="utf-8")
    assert main(["rules", "diff", str(ESSEX), str(newer)]) == 0
    out = capsys.readouterr().out
    assert "+++ essex-vvu 2025.1" in out
    assert "parameter threshold: 0.25 → 0.3" in out


def test_rule_of_a_local_pack_hints_at_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "ESX001"]) == 2
    assert "vpp rule ESX001 --pack FILE" in capsys.readouterr().err
    assert main(["rule", "ESX001", "--pack", str(ESSEX)]) == 0
    assert "ESX001" in capsys.readouterr().out


def test_rule_given_by_two_packs_names_both_rather_than_picking_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A local plugin's pack reuses a national code: which rule `vpp rule` shows is not
    # for vpp to guess.
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "ours.toml").write_text(
        '[pack]\nname = "ours"\nversion = "1"\nprefix = "FUND"\n'
        '[[rules]]\ncode = "FUND001"\nname = "our-floor"\ntitle = "Our floor"\n'
        'severity = "info"\ncheck = "field-present"\n'
        'parameters = { path = "definition" }\n', encoding="utf-8")
    plugin = tmp_path / "our_packs.py"
    plugin.write_text("from pathlib import Path\nfrom vpp_core import hookimpl\n\n\n"
                      "@hookimpl\ndef vpp_register_pack_folders():\n"
                      "    return [Path(__file__).parent / 'packs']\n", encoding="utf-8")
    assert main(["rule", "FUND001", "--plugin", str(plugin)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: FUND001: given by 2 packs: home-office-vru-core (")
    assert "ours (" in err and "vpp rule FUND001 --pack NAME" in err
    assert main(["rule", "FUND001", "--plugin", str(plugin), "--pack", "ours"]) == 0
    assert capsys.readouterr().out.startswith("FUND001 our-floor\nOur floor\n")
