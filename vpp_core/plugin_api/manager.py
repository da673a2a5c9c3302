"""The plugin manager: built-in, installed and local plugins, all through the same hooks.

Built-in and first-party plugins are entry points in the ``vpp`` group, exactly as a
third-party plugin's are. A local plugin (a ``.py`` file) loads only when asked for.
``VPP_DISABLE_PLUGIN_AUTOLOAD=1`` switches entry-point loading off (for tests).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import attrs
import pluggy

from vpp_core.loading.errors import PluginError
from vpp_core.loading.extension_spec import ExtensionSpec
from vpp_core.plugin_api import hookspecs
from vpp_core.plugin_api.exits import ProcessExitRefused, process_exit_refused
from vpp_core.plugin_api.installed import entry_points, version
from vpp_core.plugin_api.markers import PROJECT
from vpp_core.plugin_api.record_kinds import RecordKind
from vpp_core.plugin_api.results import PluginInfo
from vpp_core.plugin_api.specs import CheckSpec, CommandSpec, MetricSpec, ReporterSpec
from vpp_core.plugin_api.trust import plugin_sha256

ENTRY_POINT_GROUP = "vpp"
DISABLE_AUTOLOAD = "VPP_DISABLE_PLUGIN_AUTOLOAD"
CORE_DISTRIBUTION = "vpp-core"
#: The origin of a plugin vpp-core's own distribution installs (its first-party plugins).
CORE_ORIGIN = "core"

S = TypeVar("S", CheckSpec, MetricSpec, ReporterSpec, CommandSpec, RecordKind, ExtensionSpec)
T = TypeVar("T")


ENGINE_VERSION = version(CORE_DISTRIBUTION) or "0+unknown"


class _Manager(pluggy.PluginManager):
    """Treats any ``vpp_``-prefixed function as a hook, marked or not, so that a
    misspelt hook name is refused by ``check_pending`` instead of never being called."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        options = super().parse_hookimpl_opts(plugin, name)
        if options is None and name.startswith(f"{PROJECT}_"):
            function = getattr(plugin, name, None)
            if callable(function) and not isinstance(function, type):
                return pluggy.HookimplOpts(
                    wrapper=False, hookwrapper=False, optionalhook=False,
                    tryfirst=False, trylast=False, specname=None,
                )
        return options


def _offer(gathered: dict[str, tuple[T, PluginInfo]], name: str, offered: T,
           info: PluginInfo, what: str) -> None:
    """Add what a plugin offers under ``name``; two plugins offering one name are refused."""
    if name in gathered:
        # the local plugin first: its file is what a person can change
        first, later = sorted((info, gathered[name][1]),
                              key=lambda item: "local" not in item.origin)
        raise PluginError(
            f"plugin {first.name!r} ({first.origin}): {what} {name!r} is also offered by "
            f"plugin {later.name!r} ({later.origin})"
        )
    gathered[name] = (offered, info)


@attrs.define
class Plugins:
    """A typed facade over a pluggy manager: what every registered plugin contributes.

    ``files`` holds the SHA-256 of every local plugin file loaded, by path, for provenance."""

    manager: pluggy.PluginManager
    info: dict[str, PluginInfo] = attrs.field(factory=dict)
    files: dict[str, str] = attrs.field(factory=dict)
    #: What the plugins offer, by hook, gathered once until another plugin registers.
    _registry: dict[str, dict[str, tuple[Any, PluginInfo]]] = attrs.field(
        factory=dict, init=False)

    def register(self, plugin: object, info: PluginInfo) -> None:
        """Register ``plugin`` under ``info.name`` unless that name is blocked."""
        if self.manager.is_blocked(info.name):
            return
        if self.manager.has_plugin(info.name):
            loaded = self.info.get(info.name)
            already = f" ({loaded.origin})" if loaded is not None else ""
            raise PluginError(f"plugin {info.name!r} ({info.origin}) has the name of plugin "
                              f"{info.name!r}{already} already loaded: rename one (its entry "
                              "point in the 'vpp' group, or its file)")
        try:
            self.manager.register(plugin, name=info.name)
            self.manager.check_pending()
        except pluggy.PluginValidationError as exc:
            self.manager.unregister(name=info.name)
            reason = str(exc).partition(" in plugin <")[0]  # the module's repr says no more
            raise PluginError(f"plugin {info.name!r} ({info.origin}): {reason}") from None
        self.info[info.name] = info
        self._registry.clear()

    def _contributions(self, hook: str) -> Iterator[tuple[object, PluginInfo]]:
        """Each plugin's answer to ``hook``, in pluggy's calling order, with the plugin: a
        hook that raises or exits is a :class:`PluginError` naming the plugin and the hook."""
        caller = getattr(self.manager.hook, hook)
        for implementation in reversed(caller.get_hookimpls()):
            info = self.info.get(implementation.plugin_name) or PluginInfo(
                implementation.plugin_name, "", "unknown")
            try:
                with process_exit_refused():
                    answer = implementation.function()
            except ProcessExitRefused as exc:
                raise PluginError(f"plugin {info.name!r} ({info.origin}): hook {hook}: "
                                  f"{exc}") from None
            except (Exception, SystemExit) as exc:
                raise PluginError(f"plugin {info.name!r} ({info.origin}): hook {hook} "
                                  f"raised {type(exc).__name__}: {exc}") from None
            yield answer, info

    def _gather(self, hook: str, kind: type[S], what: str) -> dict[str, tuple[S, PluginInfo]]:
        """What every plugin offers through ``hook``, by name, with the plugin offering it;
        gathered once, until another plugin registers."""
        if hook not in self._registry:
            self._registry[hook] = self._gathered(hook, kind, what)
        return dict(self._registry[hook])

    def _gathered(self, hook: str, kind: type[S], what: str) -> dict[str, tuple[S, PluginInfo]]:
        gathered: dict[str, tuple[S, PluginInfo]] = {}
        for contribution, info in self._contributions(hook):
            if contribution is None:
                continue
            if not isinstance(contribution, list | tuple) or not all(
                    isinstance(spec, kind) for spec in contribution):
                got = (type(contribution).__name__ if not isinstance(contribution, list | tuple)
                       else "a list holding " + ", ".join(sorted(
                           {type(spec).__name__ for spec in contribution
                            if not isinstance(spec, kind)})))
                raise PluginError(f"plugin {info.name!r} ({info.origin}): hook {hook} "
                                  f"returned {got}, not a list of {kind.__name__}")
            for spec in contribution:
                _offer(gathered, spec.name, spec, info, what)
        return dict(sorted(gathered.items()))

    def checks(self) -> dict[str, tuple[CheckSpec, PluginInfo]]:
        return self._gather("vpp_register_checks", CheckSpec, "check")

    def metrics(self) -> dict[str, tuple[MetricSpec, PluginInfo]]:
        return self._gather("vpp_register_metrics", MetricSpec, "metric")

    def extensions(self) -> dict[str, tuple[ExtensionSpec, PluginInfo]]:
        """Every ``[extensions.NAME]`` table claimed, by name, with the plugin claiming it."""
        gathered = self._gather("vpp_register_extensions", ExtensionSpec, "extension")
        for name, (spec, info) in gathered.items():
            if not attrs.has(spec.shape):
                raise PluginError(f"plugin {info.name!r} ({info.origin}): extension {name!r}: "
                                  f"its shape {spec.shape.__name__} is not an attrs class")
        return gathered

    def reporters(self) -> dict[str, tuple[ReporterSpec, PluginInfo]]:
        return self._gather("vpp_register_reporters", ReporterSpec, "reporter")

    def commands(self) -> dict[str, tuple[CommandSpec, PluginInfo]]:
        return self._gather("vpp_register_commands", CommandSpec, "command")

    def record_kinds(self) -> dict[str, tuple[RecordKind, PluginInfo]]:
        """Every record kind registered, by name, with the plugin that registered it."""
        return self._gather("vpp_register_record_kinds", RecordKind, "record kind")

    def pack_folders(self) -> list[Path]:
        folders: list[Path] = []
        hook = "vpp_register_pack_folders"
        for contribution, info in reversed(list(self._contributions(hook))):
            if not isinstance(contribution, list | tuple) or not all(
                    isinstance(folder, str | os.PathLike) or hasattr(folder, "iterdir")
                    for folder in contribution):
                raise PluginError(f"plugin {info.name!r} ({info.origin}): hook {hook} "
                                  f"returned {type(contribution).__name__}, not a list of "
                                  "folders")
            folders.extend(Path(str(folder)) for folder in contribution)
        return folders

    def is_loaded(self, path: str | Path) -> bool:
        """Whether the local plugin file at ``path`` is registered already."""
        resolved = Path(path).resolve()
        return any(Path(known).resolve() == resolved for known in self.files)

    def load_local(self, path: str | Path, data: bytes | None = None) -> PluginInfo:
        """Load a plugin module from a ``.py`` file and register it (origin ``local``).

        ``data``: the file's bytes, read (and hashed) by the caller: they are what runs."""
        path = Path(path)
        if data is None:
            if not path.is_file():
                raise PluginError(f"{path}: no such plugin file")
            data, _ = plugin_sha256(path)
        module = _import_file(path, data)
        info = PluginInfo(
            name=f"local:{path.stem}",
            version=str(getattr(module, "__version__", "0")),
            origin=f"local file {path}",
        )
        self.register(module, info)
        if not self.manager.is_blocked(info.name) and not self.manager.get_hookcallers(module):
            self.manager.unregister(name=info.name)
            del self.info[info.name]
            hooks = ", ".join(sorted(name for name in dir(self.manager.hook)
                                     if name.startswith(f"{PROJECT}_")))
            raise PluginError(f"plugin {info.name!r} ({info.origin}): implements no vpp hook: "
                              f"name a function after one ({hooks})")
        self.files[str(path)] = hashlib.sha256(data).hexdigest()
        return info


def _import_file(path: Path, data: bytes) -> ModuleType:
    """Run ``data`` (the bytes of ``path``) as a module; a plugin that raises or exits while
    it loads is a :class:`PluginError` naming the file."""
    name = f"vpp_local_plugin_{path.stem}_{abs(hash(path.resolve())) % 10**8}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise PluginError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with process_exit_refused():
            exec(compile(data, str(path), "exec"), module.__dict__)
    except SystemExit as exc:
        del sys.modules[name]
        raise PluginError(f"{path}: failed to import: the plugin called "
                          f"sys.exit({exc.code!r}) while loading") from None
    except ProcessExitRefused as exc:
        del sys.modules[name]
        raise PluginError(f"{path}: failed to import: {exc} while loading") from None
    except Exception as exc:
        del sys.modules[name]
        raise PluginError(f"{path}: failed to import: {type(exc).__name__}: {exc}") from None
    return module


def make_plugins(
    *,
    load_entry_points: bool | None = None,
    blocked: Iterable[str] = (),
    local: Iterable[str | Path] = (),
    extra: Iterable[tuple[object, PluginInfo]] = (),
) -> Plugins:
    """A fresh plugin manager: entry points (unless switched off), then ``extra``, then files.

    ``load_entry_points=None`` follows :data:`DISABLE_AUTOLOAD`; ``blocked`` names plugins
    never to register.
    """
    manager = _Manager(PROJECT)
    manager.add_hookspecs(hookspecs)
    for name in blocked:
        manager.set_blocked(name)
    plugins = Plugins(manager)
    if load_entry_points is None:
        load_entry_points = os.environ.get(DISABLE_AUTOLOAD, "") in ("", "0")
    if load_entry_points:
        for entry_point in sorted(entry_points(ENTRY_POINT_GROUP), key=lambda ep: ep.name):
            if manager.is_blocked(entry_point.name):
                continue
            try:
                with process_exit_refused():
                    module = entry_point.load()
            except (Exception, SystemExit) as exc:
                raise PluginError(
                    f"plugin {entry_point.name!r} ({entry_point.value}) failed to load: "
                    f"{type(exc).__name__}: {exc}"
                ) from None
            dist_name = entry_point.distribution
            plugins.register(
                module,
                PluginInfo(
                    name=entry_point.name,
                    version=entry_point.version,
                    origin=(CORE_ORIGIN if dist_name == CORE_DISTRIBUTION
                            else f"installed ({dist_name})"),
                ),
            )
    for plugin, info in extra:
        plugins.register(plugin, info)
    for path in local:
        plugins.load_local(path)
    return plugins
