"""The command-line options every table of people shares: internal or published, and how."""

from __future__ import annotations

import argparse

from vpp_core.records.disclosure import INTERNAL, Audience, DisclosurePolicy


def positive_whole_number(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def add_disclosure_arguments(parser: argparse.ArgumentParser) -> None:
    """``--published``, ``--threshold N`` and ``--round-to BASE``."""
    parser.add_argument("--published", action="store_true",
                        help="for publication: suppress small counts of people (and figures "
                             "derived from them); the default is an internal table, exact")
    parser.add_argument("--threshold", type=positive_whole_number, default=5, metavar="N",
                        help="with --published: counts from 1 to N-1 shown as <N (default 5)")
    parser.add_argument("--round-to", type=positive_whole_number, default=None, metavar="BASE",
                        help="with --published: round other counts of people to this base")


def disclosure_policy(options: argparse.Namespace) -> DisclosurePolicy:
    """The policy the options ask for: exact unless ``--published``."""
    if not options.published:
        return INTERNAL
    return DisclosurePolicy(Audience.PUBLISHED, options.threshold, options.round_to)
