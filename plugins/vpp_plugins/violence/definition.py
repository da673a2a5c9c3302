"""A local definition of serious violence, as data: categories of recorded crime, each
defined by Home Office offence codes, crime flags, ages and exclusions, dated by financial
year.

A category is one or more clauses; a record falls in the category when it meets any clause,
and meets a clause when every criterion the clause states holds: its offence code is one of
the clause's codes (when it lists any), at least one of the clause's flags is set on it
(when it lists any), and the victim's and suspect's ages lie in the ranges given (when
given; a record with no age recorded does not meet an age criterion). It is then left out
again by the first exclusion it meets (the category's own, then the definition's).
Categories may overlap: a knife-enabled GBH is in both; "any category" counts each record
once.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import attrs
import tomli

from vpp_core import (
    FinancialYear,
    UsageError,
    VppError,
    load_toml_as,
    package_folder,
    structure_as,
)


def normalise_code(code: str) -> str:
    """A Home Office offence code as the definition and every source compare it: trimmed
    (the reader trims ids), upper case, ``/`` read as ``.`` (the Counting Rules print
    ``4/1``, the open data ``4.1``)."""
    return code.strip().upper().replace("/", ".")


class Flag(StrEnum):
    """The Home Office crime flags a definition may use."""

    KNIFE = "knife"  # knife or sharp instrument involved
    FIREARM = "firearm"
    DOMESTIC_ABUSE = "domestic_abuse"
    COUNTY_LINES = "county_lines"


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise_code(value) for value in values)


@attrs.frozen
class AgeRange:
    """Whole years, both ends included; an end left out is open."""

    min: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.and_(attrs.validators.ge(0), attrs.validators.le(120))))
    max: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.and_(attrs.validators.ge(0), attrs.validators.le(120))))

    def __attrs_post_init__(self) -> None:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"age range {self.min}–{self.max} is empty")

    def text(self) -> str:
        if self.max is None:
            return f"{self.min}+"
        return f"{self.min or 0}–{self.max}"


@attrs.frozen
class Citation:
    """Where a mapping comes from: the document and its place."""

    document: str
    section: str = ""
    url: str = ""


@attrs.frozen
class Criteria:
    """A clause: what a record must meet to be taken in (all of it), or taken out again."""

    offence_codes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    flags: tuple[Flag, ...] = ()
    victim_age: AgeRange | None = None
    suspect_age: AgeRange | None = None

    def states_anything(self) -> bool:
        return bool(self.offence_codes or self.flags or self.victim_age or self.suspect_age)


@attrs.frozen
class Exclusion:
    id: str
    reason: str
    criteria: Criteria


@attrs.frozen
class Category:
    """One category of the definition, with the words it was mapped from and why."""

    id: str
    label: str
    clauses: tuple[Criteria, ...] = attrs.field(validator=attrs.validators.min_len(1))
    #: Coarse crime types (police.uk) that hold exactly this category and nothing else: a
    #: coarse source resolves the category only through these.
    coarse_exact: tuple[str, ...] = ()
    #: Coarse crime types that hold this category among other crimes: from a coarse source
    #: their count is an upper bound, shown as one, never as the category's count.
    coarse_within: tuple[str, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    mapped_from: str = ""
    judgement: str = ""
    references: tuple[Citation, ...] = ()

    def __attrs_post_init__(self) -> None:
        for number, clause in enumerate(self.clauses, 1):
            if not clause.states_anything():
                raise ValueError(f"clause {number} of category {self.id!r} states no "
                                 "offence code, flag or age")


@attrs.frozen
class Definition:
    """A definition of serious violence for the years it applies to."""

    id: str
    title: str
    source: Citation
    valid_from: FinancialYear
    categories: tuple[Category, ...] = attrs.field(validator=attrs.validators.min_len(1))
    valid_to: FinancialYear | None = None
    exclusions: tuple[Exclusion, ...] = ()
    note: str = ""

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for category in self.categories:
            if category.id in seen:
                raise ValueError(f"category {category.id!r} is defined twice")
            seen.add(category.id)

    def applies_to(self, year: FinancialYear) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)


class DefinitionError(VppError):
    """A definition file that cannot be read or does not fit the model."""


def bundled_definitions_folder() -> Path:
    return package_folder("vpp_plugins.violence", "definitions")


def bundled_definitions() -> dict[str, Path]:
    """The definitions shipped with the plugin, by file stem."""
    return {path.stem: path for path in sorted(bundled_definitions_folder().glob("*.toml"))}


def definition_path(reference: str | Path) -> Path:
    """A definition's file: a bundled one by name (``thames-valley``), or a path."""
    path = Path(reference)
    if not path.suffix and str(reference) in bundled_definitions():
        return bundled_definitions()[str(reference)]
    if not path.is_file():
        known = ", ".join(bundled_definitions())
        raise UsageError(f"{reference}: no such definition file or bundled definition "
                         f"(bundled: {known})")
    return path


def parse_definition(data: bytes, where: str) -> Definition:
    """A definition from the bytes of its TOML file (``where`` names it in errors)."""
    try:
        parsed = tomli.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        raise DefinitionError(f"{where}: not a definition file: {exc}") from None
    return structure_as(parsed, Definition, where, DefinitionError)


def load_definition(reference: str | Path) -> Definition:
    """A definition by bundled name or by path to its TOML file."""
    path = definition_path(reference)
    return load_toml_as(path, Definition, DefinitionError)
