"""`vpp schema`: JSON Schemas and reference pages generated from the loading code.

The pages and schemas under docs/formats/ must be what the command prints today; every
shipped file of a format validates against its schema, and a key the loader refuses the
schema refuses too.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from vpp_core import StrategyError
from vpp_core.cli.main import main
from vpp_core.cli.schema_command import FORMATS, page_of, schema_of, schema_text
from vpp_core.loading.bundled import bundled_records, fixtures_folder, rules_folder
from vpp_core.loading.strategy_io import read_toml, strategy_from_data

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "formats"
PLUGIN = ROOT / "tests" / "engine" / "data" / "plugins" / "csp_allocations.py"


def _json(value: Any) -> Any:
    """Parsed TOML as the JSON a TOML editor validates: dates become ISO strings."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def _errors(name: str, data: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema_of(name))
    return [error.message for error in validator.iter_errors(_json(data))]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_checked_in_reference_is_current(name: str) -> None:
    stale = "is stale: regenerate it with `vpp schema {}{} > {}`"
    page = DOCS / f"{name}.md"
    assert page.read_text(encoding="utf-8") == page_of(name), \
        stale.format("--markdown ", name, page.relative_to(ROOT))
    schema = DOCS / f"{name}.schema.json"
    assert schema.read_text(encoding="utf-8") == schema_text(name), \
        stale.format("", name, schema.relative_to(ROOT))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = schema_of(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


SHIPPED = [
    *(("strategy", path) for path in sorted(fixtures_folder().glob("*/strategy.toml"))),
    *(("pack", path) for path in sorted(rules_folder().glob("*.toml"))),
    ("pack", fixtures_folder() / "essex-2024-25" / "essex.toml"),
    *(("records", path) for path in bundled_records()),
    ("waivers", ROOT / "tests" / "engine" / "data" / "waivers" / "waivers.toml"),
]


@pytest.mark.parametrize(("name", "path"), SHIPPED,
                         ids=[f"{name}:{path.parent.name}/{path.name}" for name, path in SHIPPED])
def test_every_shipped_file_validates(name: str, path: Path) -> None:
    assert _errors(name, read_toml(path)) == []


def test_a_key_the_loader_refuses_the_schema_refuses(thames_valley_path: Path) -> None:
    data = read_toml(thames_valley_path)
    data["grants"][1]["allocations"] = [1]
    assert _errors("strategy", data) == [
        "Additional properties are not allowed ('allocations' was unexpected)"]
    with pytest.raises(StrategyError):
        strategy_from_data(data, thames_valley_path)
    del data["grants"][1]["allocations"]
    del data["budget"]["grant"]
    assert _errors("strategy", data) == ["'grant' is a required property"]


def test_pages_give_every_key_its_type_requirement_meaning_and_example() -> None:
    page = page_of("strategy")
    assert ("| `kind` | one of `core`, `duty-burden`, `uplift`, `other` | yes | what sort of "
            'grant it is | `"core"` |') in page
    assert "## `[[budget.lines]]`" in page
    assert ("| `extensions` | tables `[grants.extensions.NAME]` | no | local data: one "
            "[extensions.NAME] table per extension") in page


def test_vpp_schema_prints_the_schema_with_the_extensions_plugins_claim(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "strategy", "--plugin", str(PLUGIN)]) == 0
    schema = json.loads(capsys.readouterr().out)
    claimed = schema["$defs"]["Grant"]["properties"]["extensions"]["properties"]
    assert claimed == {"csp-allocations": {"$ref": "#/$defs/CspAllocations"}}
    assert "properties" not in schema["properties"]["extensions"]  # claimed for grants only
    assert schema["$defs"]["CspAllocations"]["required"] == ["allocations"]
    assert main(["schema", "--markdown", "waivers"]) == 0
    assert capsys.readouterr().out == (DOCS / "waivers.md").read_text(encoding="utf-8")
    assert main(["schema", "manifest"]) == 2
    assert "invalid choice: 'manifest'" in capsys.readouterr().err


def test_an_extension_shape_named_like_a_model_class_gets_its_own_definition() -> None:
    import attrs

    from vpp_core.loading.schema import json_schema
    from vpp_core.model import Strategy

    @attrs.frozen
    class Money:
        currency: str

    schema = json_schema(Strategy, title="t", extensions={Strategy: {"local-money": Money}})
    local = schema["properties"]["extensions"]["properties"]["local-money"]["$ref"]
    ours = schema["$defs"]["Grant"]["properties"]["amount"]["$ref"]
    assert local != ours
    assert schema["$defs"][local.removeprefix("#/$defs/")]["required"] == ["currency"]
    assert schema["$defs"][ours.removeprefix("#/$defs/")]["required"] == ["amount"]


def test_vpp_schema_markdown_documents_the_extensions_plugins_claim(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--markdown", "strategy", "--plugin", str(PLUGIN)]) == 0
    page = capsys.readouterr().out
    assert "## `[grants.extensions.csp-allocations]`" in page
    assert "## `[[grants.extensions.csp-allocations.allocations]]`" in page
    assert "| `amount` | number (integer or decimal string) | yes |" in page


def test_a_parameter_table_not_keyed_by_year_fails_the_pack_schema() -> None:
    data = read_toml(rules_folder() / "home-office-vru-core.toml")
    assert _errors("pack", data) == []
    data["rules"][0]["parameters"] = {"threshold": {"next year": "0.2"}, "metric": "x"}
    assert len(_errors("pack", data)) == 1
