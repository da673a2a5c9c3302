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
