"""Input text made inert for each output format: one escaper per syntax.

Strategies, packs and records come from other organisations, so any text in them may be
hostile: markup, links with a ``javascript:`` scheme, spreadsheet formulas, terminal escape
sequences, characters XML forbids. Every reporter and export passes input text through
the escaper of its format here, and nowhere else. (The Jinja report escapes with
:func:`html.escape` after :func:`xml_text`, a page written by hand with :func:`html_text`;
JSON and SARIF are data, escaped by :mod:`json` and then :func:`json_text`.)
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, TextIO
from urllib.parse import quote, urlsplit

# An escape sequence: CSI (ESC [ … final byte), OSC/DCS/APC/PM/SOS strings (to BEL or ST,
# or the end of the line), or ESC and one more character; then the same introduced by the
# single-byte C1 controls. A sequence never runs past a line break.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)"
    r"|\x1b.?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x9c|$)",
    re.MULTILINE,
)
# Control characters (C0 but tab and line feed, DEL, C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The bidirectional embedding, override and isolate controls ("Trojan Source"): text after
# one is shown in another order than it is stored, so a reader sees what is not there.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def terminal_text(text: str, *, newlines: bool = False) -> str:
    """``text`` safe to print on a terminal: escape sequences, control characters and
    bidirectional overrides removed; line breaks and tabs become spaces unless ``newlines``
    (for text of several lines) keeps line feeds and tabs."""
    text = _BIDI.sub("", _ESCAPE_SEQUENCE.sub("", text))
    if not newlines:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def html_text(text: str) -> str:
    """``text`` for an HTML page written by hand (a plugin's, without Jinja): as on a
    terminal (no escape sequences, control characters or overrides), then markup and both
    quotes escaped, so it is safe in an element or a quoted attribute."""
    return html.escape(terminal_text(text), quote=True)


# Characters JSON may hold raw that a terminal or an editor acts on: DEL and the C1 controls
# (U+009B starts an escape sequence), the bidirectional overrides, and the line and paragraph
# separators (which end a line in JavaScript).
_JSON_INERT = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(text: str) -> str:
    """JSON text (from :func:`json.dumps` with ``ensure_ascii=False``) with the characters a
    terminal would act on written as ``\\uXXXX`` escapes: the same data, shown inert. Such
    characters only occur inside strings, where an escape means the same character."""
    return _JSON_INERT.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def json_document(data: Any, *, sort_keys: bool = False,
                  default: Callable[[Any], Any] | None = None) -> str:
    """``data`` as a JSON document, as every report writes one: indented, text as written
    (not ``\\u``-escaped) but for what :func:`json_text` escapes, ending with a newline."""
    return json_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys,
                                default=default)) + "\n"


# What XML 1.0 allows: tab, line feed, carriage return, and #x20–#xD7FF, #xE000–#xFFFD,
# #x10000–#x10FFFF (no other controls, no lone surrogates, no U+FFFE or U+FFFF). Written as
# what it forbids: the same characters, and compiled in a fraction of the time.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids (``\\u0001``, valid in TOML, among
    them) replaced by U+FFFD, so the document always parses, and bidirectional overrides
    removed, so it reads in the order it is stored."""
    return _NOT_XML.sub("\ufffd", _BIDI.sub("", text))


# Characters with a meaning inside a line of Markdown (CommonMark, GitHub's tables,
# strikethrough and maths) or HTML; a backslash before ASCII punctuation makes it literal.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&#$])")


# What makes a line a list item, a thematic break or a heading's underline when it starts
# the line: a bullet or ``1.``/``1)`` before a space, or a line of only ``-`` or ``=``.
_BLOCK_START = re.compile(r"[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=]+$")


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown on one line: markup, raw HTML, links and a table's
    ``|`` shown as written, line breaks as spaces (so it also fits a table cell), and
    nothing that would make a list or a heading of the line it starts."""
    text = _MARKDOWN.sub(r"\\\1", " ".join(terminal_text(text).split()))
    start = _BLOCK_START.match(text)
    if start is None:
        return text
    if start.group()[0].isdigit():  # 1. → 1\.
        return f"{start.group()}\\{text[start.end():]}"
    return "\\" + text


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced by more backticks than it holds in a row."""
    text = " ".join(terminal_text(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def markdown_link(text: str, url: str) -> str:
    """A Markdown link when ``url`` is http(s), otherwise the text alone."""
    target = http_url(url)
    if target is None:
        return markdown_text(text)
    return f"[{markdown_text(text)}]({quote(target, safe=_URL_SAFE)})"


# Characters a URL keeps as they are in a Markdown link destination (no space, no
# parentheses, no angle brackets, no backslash).
_URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a reference link, or ``None`` for an http(s) URL with a host."""
    if _CONTROL.search(url) or any(character.isspace() for character in url):
        return "a link must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else "none"
        return f"a link must start with http:// or https:// (scheme: {shown!r})"
    if not parts.netloc:
        return "a link must name a host (http://host/...)"
    return None


def http_url(url: str) -> str | None:
    """``url`` if it may be a live link (http or https, with a host), else ``None``."""
    return url if url and url_problem(url) is None else None


def dot_string(text: str) -> str:
    """``text`` as a Graphviz DOT quoted string: quotes and backslashes escaped, control
    characters removed, line breaks as spaces (DOT's ``\\n`` escapes stay literal)."""
    text = xml_text(terminal_text(text))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Mermaid reads ``#name;`` entity codes inside a quoted label, and markup when the label
# is Markdown (backticks) or HTML.
_MERMAID = {'"': "#quot;", "#": "#35;", "<": "#60;", ">": "#62;", "&": "#38;", "`": "#96;",
            "[": "#91;", "]": "#93;", "|": "#124;", "{": "#123;", "}": "#125;"}
_MERMAID_SPECIAL = re.compile("[" + re.escape("".join(_MERMAID)) + "]")


def mermaid_label(text: str) -> str:
    """``text`` as a quoted Mermaid label (``"…"``): every character that could close the
    label or start markup written as an entity code."""
    text = " ".join(terminal_text(text).split())
    return '"' + _MERMAID_SPECIAL.sub(lambda found: _MERMAID[found.group()], text) + '"'


# A spreadsheet reads a cell starting with one of these as a formula; tab and carriage
# return (a line feed, once made safe) before one are skipped.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Values that start like a formula but are data: a number (``-12``, ``+3.5``, ``-£1,200``,
# ``-4.5%``) or a bare operator (``==``, ``-``).
_NOT_FORMULA = re.compile(r"[+-]?[£$€]?\d[\d,]*(\.\d+)?%?|[=<>!+-]{1,2}")


def csv_cell(value: str) -> str:
    """A CSV text cell a spreadsheet will not run: text starting like a formula (``=``,
    ``+``, ``-``, ``@``, tab, carriage return) gets a leading apostrophe; numbers and bare
    operators are left as they are. Escape sequences and control characters are removed
    (the CSV may be printed on a terminal); line breaks stay, quoted."""
    value = terminal_text(value, newlines=True)  # a carriage return becomes a line feed
    if value.startswith(_FORMULA_START) and not _NOT_FORMULA.fullmatch(value):
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    """A row for :mod:`csv`: text cells through :func:`csv_cell`, numbers as they are."""
    return [csv_cell(value) if isinstance(value, str) else value for value in values]


class GuardedWriter:
    """A :func:`csv.writer` whose text cells pass through :func:`csv_cell`."""

    def __init__(self, stream: TextIO, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: TextIO, **options: Any) -> GuardedWriter:
    """:func:`csv.writer` (same options) with the formula guard on every text cell."""
    return GuardedWriter(stream, **options)
