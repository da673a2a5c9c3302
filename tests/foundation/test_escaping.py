"""Text from inputs made safe for XML: every character XML 1.0 forbids is replaced, and
bidirectional overrides (which would show text in another order) are removed."""

from __future__ import annotations

from vpp_core.model.escaping import xml_text


def _allowed_in_xml(code: int) -> bool:
    """XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
    [#x10000-#x10FFFF]."""
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _bidi_control(code: int) -> bool:
    """The embedding, override and isolate controls: U+202A–U+202E, U+2066–U+2069."""
    return 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069


def test_every_character_xml_forbids_is_replaced_and_no_other() -> None:
    every = "".join(chr(code) for code in range(0x110000))
    expected = "".join("" if _bidi_control(code) else chr(code) if _allowed_in_xml(code)
                       else "\ufffd" for code in range(0x110000))
    assert xml_text(every) == expected


def test_text_from_toml_with_a_control_character_still_parses_as_xml() -> None:
    assert xml_text("Hospital\u0001 Navigators\ufffe") == "Hospital\ufffd Navigators\ufffd"


def test_a_right_to_left_override_is_removed() -> None:
    assert xml_text("invoice\u202efdp.exe\u2067") == "invoicefdp.exe"
