"""Rules loaded from packs for a run: the packs named (or the default ones) resolved against
the plugins' checks and metrics, with the local plugins those packs name registered first.

Apart from :mod:`vpp_core.api`, so that a command that reads its parameters from a pack
(``vpp targets``) imports no audit or report.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from vpp_core.loading.errors import PluginError
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.trust import TRUST_FLAG, TrustList, as_trust, plugin_sha256
from vpp_core.rules.pack_model import Pack
from vpp_core.rules.packs import PackLibrary, RuleSet, plugin_files, resolve

PackInput = str | os.PathLike[str]

NO_DEFAULT_PACKS = "no pack was given and no pack is marked default: no rules ran"


@attrs.frozen
class LoadedRules:
    """Resolved rules and what to say about how they were chosen."""

    rules: RuleSet
    notes: tuple[str, ...] = ()


def _load_pack_plugins(plugins: Plugins, given: Pack, chain: Sequence[Pack],
                       trust: TrustList | None, found: bool | str) -> None:
    """Register the local plugins the packs of ``given``'s chain name.

    A pack the caller named runs them. A pack ``found`` in an input folder (or named by
    settings that came with the input: ``found`` then says where), or any pack when a trust
    list is given, runs only plugins already loaded (``--plugin``) or pinned in ``trust``
    by SHA-256; any other is refused before it is imported."""
    for pack, path in plugin_files(chain):
        if plugins.is_loaded(path):
            continue
        if not path.is_file():
            raise PluginError(f"{pack.path}: plugins: {path}: no such plugin file")
        data, digest = plugin_sha256(path)
        if (found or trust is not None) and not (trust is not None
                                                 and trust.allows(path, digest)):
            how = (f"a pack named in {found}" if isinstance(found, str)
                   else "a pack found beside the strategy" if found else "a pack given")
            through = (f" extends pack {pack.name!r} ({pack.path}), which"
                       if pack.path.resolve() != given.path.resolve() else "")
            raise PluginError(
                f"{given.path}: {how}{through} names plugin {path}, not trusted: give it "
                f"with --plugin, or pin its sha256 {digest} with {TRUST_FLAG}")
        plugins.load_local(path, data)


def load_rules(plugins: Plugins, packs: Sequence[PackInput] | None = None, *,
               found: bool | str = False,
               trust: TrustList | str | os.PathLike[str] | None = None,
               given_as: str = "packs") -> LoadedRules:
    """The packs named (by name or path), or the default packs if ``packs`` is None.

    The local plugins a pack names are registered with ``plugins`` before the rules are
    checked against its checks: a pack the caller names runs them; a pack ``found`` in an
    input folder or named by settings that came with the input (``found`` then names the
    file, as ``"vpp.toml"``), or any pack when a ``trust`` list is given, only those the
    trust list pins by SHA-256. An untrusted plugin is never imported. ``given_as``: what an error
    about a pack name calls where it was given (``--pack`` for the command line).
    """
    trusted = as_trust(trust)
    library = PackLibrary(tuple(plugins.pack_folders()), given_as)
    notes: list[str] = []
    references: list[str | Path] = ([pack.path for pack in library.defaults()]
                                    if packs is None else [str(pack) for pack in packs])
    chosen = library.collect(references)
    if packs is None and not chosen:
        notes.append(NO_DEFAULT_PACKS)
    for reference in references:
        chain = library.collect([reference])
        _load_pack_plugins(plugins, chain[-1], chain, trusted, found)
    checks = {name: spec for name, (spec, _) in plugins.checks().items()}
    metrics = {name: spec for name, (spec, _) in plugins.metrics().items()}
    return LoadedRules(resolve(library, chosen, checks, metrics), tuple(notes))
