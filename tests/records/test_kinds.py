"""Record kinds are registered by plugins with their columns; an unknown kind is refused
wherever it is named, before its file is opened or hashed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.local_plugins import one_rule_pack
from tests.spend.conftest import write
from vpp_core import (
    Column,
    ColumnType,
    PluginError,
    PluginInfo,
    Plugins,
    RecordKind,
    RecordSchema,
    RecordsError,
    RecordSource,
    Status,
    Strategy,
    audit,
    hookimpl,
    make_plugins,
)
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy

DID_YOU_MEAN = "unknown record kind 'participant' (did you mean 'participants'?)"


def _kind(name: str) -> RecordKind:
    return RecordKind(RecordSchema(name, (Column("visit_id", ColumnType.ID),)), "visits")


class Visits:
    @staticmethod
    @hookimpl
    def vpp_register_record_kinds() -> list[RecordKind]:
        return [_kind("visits")]


def test_the_first_party_plugins_register_their_kinds() -> None:
    kinds = make_plugins().record_kinds()
    assert {name: info.name for name, (_, info) in kinds.items()} == {
        "campaign-delivery": "reach", "campaign-training": "reach", "exposures": "reach",
        "population": "reach", "participants": "targets", "training": "targets",
        "police-incidents": "violence", "csp-offences": "violence", "street-crime": "violence",
        "knife-offences": "violence",
        "lsoa-lookup": "violence", "area-population": "violence",
        "spend": "spend", "spend-profile": "spend", "match-funding": "spend",
        "carry-over": "spend", "evaluation-milestones": "spend",
    }
    participants = kinds["participants"][0].schema
    assert participants.column("person_id").required
    assert not participants.column("local_partnership").required
    assert participants.column("event_date").type is ColumnType.DATE


def test_the_strategy_fills_in_the_values_it_allows(thames_valley: Strategy) -> None:
    kind = make_plugins().record_kinds()["participants"][0]
    allowed = kind.schema_for(thames_valley).column("intervention").allowed
    assert allowed is not None and "hospital-navigators" in allowed
    assert kind.schema.column("intervention").allowed is None  # as registered


def test_vpp_records_kinds_lists_kind_plugin_and_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["records", "kinds"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["kind", "plugin", "columns", "(?", "optional)"]
    participants = next(line for line in lines if line.startswith("participants "))
    assert participants.split(None, 2)[1] == "targets"
    assert "person_id, intervention, event_date, date_of_birth?" in participants
    assert any(line.startswith("exposures ") and " reach " in line for line in lines)


def test_vpp_records_kinds_kind_shows_its_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["records", "kinds", "participants"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("participants  (plugin targets)\n")
    row = next(line for line in out.splitlines() if line.startswith("event_type "))
    assert row.split()[:4] == ["event_type", "id", "required", "exit,"]
    assert "from the strategy" in next(line for line in out.splitlines()
                                       if line.startswith("intervention "))
    assert "at least one of date_of_birth, age_at_event" in out


def test_vpp_records_kinds_unknown_is_exit_2_with_did_you_mean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["records", "kinds", "participant"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: vpp records kinds: {DID_YOU_MEAN}; allowed: ")


def test_a_local_plugin_registers_a_kind(
    vpp_make_plugins: Callable[..., Plugins],
) -> None:
    plugins = vpp_make_plugins(extra=[(Visits(), PluginInfo("visits-plugin", "1", "test"))])
    kind, info = plugins.record_kinds()["visits"]
    assert (kind.schema.column_names, info.name) == (("visit_id",), "visits-plugin")


def test_vpp_records_kinds_shows_a_local_plugins_kind_named_after_the_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # As `vpp audit ... --plugin FILE` and `vpp schema records --plugin FILE` take it.
    plugin = tmp_path / "our_kinds.py"
    plugin.write_text(
        "from vpp_core import Column, ColumnType, RecordKind, RecordSchema, hookimpl\n\n\n"
        "@hookimpl\ndef vpp_register_record_kinds():\n"
        "    return [RecordKind(RecordSchema('yos-referrals', (Column('referral_ref', "
        "ColumnType.ID),)), 'youth offending service referrals')]\n", encoding="utf-8")
    assert main(["records", "kinds", "yos-referrals", "--plugin", str(plugin)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("yos-referrals  (plugin local:our_kinds)\n"
                          "youth offending service referrals\n")
    assert main(["records", "kinds", "--plugin", str(plugin)]) == 0
    assert "yos-referrals" in capsys.readouterr().out


def test_two_plugins_offering_one_kind_are_refused(
    vpp_make_plugins: Callable[..., Plugins],
) -> None:
    class Again(Visits):
        pass

    plugins = vpp_make_plugins(extra=[(Visits(), PluginInfo("one", "1", "test")),
                                      (Again(), PluginInfo("two", "1", "test"))])
    with pytest.raises(PluginError, match="record kind 'visits' is also offered by plugin"):
        plugins.record_kinds()


def test_a_hook_returning_something_else_is_refused_naming_the_plugin(
    vpp_make_plugins: Callable[..., Plugins],
) -> None:
    class Wrong:
        @staticmethod
        @hookimpl
        def vpp_register_record_kinds() -> object:
            return "visits"

    plugins = vpp_make_plugins(extra=[(Wrong(), PluginInfo("wrong", "1", "test"))])
    with pytest.raises(PluginError, match=r"plugin 'wrong' .*hook vpp_register_record_kinds "
                       r"returned str, not a list of RecordKind"):
        plugins.record_kinds()


# -------------------------------------------------------------------------
# An unknown kind anywhere: never read, never hashed, never in provenance
# -------------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.csv"
    path.write_text("person_id\nsomeone\n", encoding="utf-8")
    return path


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the audit hashes."""
    import vpp_core.api

    seen: list[Path] = []
    real = vpp_core.api.sha256_of

    def spy(path: Path) -> str:
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(vpp_core.api, "sha256_of", spy)
    return seen


def test_kind_equals_path_with_an_unknown_kind_is_exit_2(
    secret: Path, hashed: list[Path], capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["audit", str(bundled_strategy()), "--records", f"participant={secret}",
                 "--format", "json"])
    assert code == 2
    assert f"error: participant={secret}: kind: {DID_YOU_MEAN}" in capsys.readouterr().err
    assert secret not in hashed


def test_a_manifest_with_an_unknown_kind_is_refused_and_its_file_never_opened(
    secret: Path, hashed: list[Path],
) -> None:
    manifest = secret.parent / "records.toml"
    manifest.write_text(f'[[sources]]\nkind = "participant"\npath = "{secret.name}"\n',
                        encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        audit(bundled_strategy(), records=[str(manifest)])
    assert caught.value.problems[0].startswith(f"{manifest}: sources[0].kind: {DID_YOU_MEAN}")
    assert hashed == []


def test_a_record_source_object_of_an_unknown_kind_is_refused(
    secret: Path, hashed: list[Path],
) -> None:
    with pytest.raises(RecordsError, match="did you mean 'participants'"):
        audit(bundled_strategy(), records=[RecordSource("participant", secret)])
    assert hashed == []


def test_vpp_targets_refuses_an_unknown_kind(
    secret: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["targets", str(bundled_strategy()), "--records", f"participant={secret}"]) == 2
    assert DID_YOU_MEAN in capsys.readouterr().err


def test_a_check_asking_for_a_kind_no_plugin_registered_is_an_error_not_no_records(
        tmp_path: Path) -> None:
    # A typo in records_of() made the rule say "no records given" beside the file given.
    plugin = tmp_path / "typo_kind.py"
    plugin.write_text(
        "from vpp_core import (CheckSpec, Column, ColumnType, Finding, RecordKind,\n"
        "                      RecordSchema, Status, hookimpl, whole_strategy)\n\n\n"
        "def counted(ctx):\n"
        "    given = ctx.records_of('yos-referral')\n"
        "    yield Finding(whole_strategy(ctx.strategy), Status.PASS if given else\n"
        "                  Status.NOT_APPLICABLE, f'{len(given)} files')\n\n\n"
        "@hookimpl\ndef vpp_register_record_kinds():\n"
        "    return [RecordKind(RecordSchema('yos-referrals', (Column('referral_ref', "
        "ColumnType.ID),)), 'referrals')]\n\n\n"
        "@hookimpl\ndef vpp_register_checks():\n"
        "    return [CheckSpec('counted', counted, 'counted')]\n", encoding="utf-8")
    pack = one_rule_pack(tmp_path, "TYP", "counted")
    referrals = write(tmp_path, "refs.csv", "referral_ref\nR1\n")
    report = audit(bundled_strategy(), packs=[str(pack)],
                   records=[f"yos-referrals={referrals}"], plugins=make_plugins(local=[plugin]))
    (result,) = report.results
    assert result.status is Status.ERROR
    assert result.message.startswith(
        "the check raised LookupError: records_of('yos-referral'): no plugin registered the "
        "record kind 'yos-referral' (did you mean 'yos-referrals'?)")
    assert report.exit_code() == 3
