"""Text from inputs made safe for XML: every character XML 1.0 forbids is replaced."""

from __future__ import annotations

from vpp_core.model.escaping import xml_text


def _allowed_in_xml(code: int) -> bool:
    """XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
    [#x10000-#x10FFFF]."""
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def test_every_character_xml_forbids_is_replaced_and_no_other() -> None:
    every = "".join(chr(code) for code in range(0x110000))
    expected = "".join(chr(code) if _allowed_in_xml(code) else "\ufffd"
                       for code in range(0x110000))
    assert xml_text(every) == expected


def test_text_from_toml_with_a_control_character_still_parses_as_xml() -> None:
    assert xml_text("Hospital\u0001 Navigators\ufffe") == "Hospital\ufffd Navigators\ufffd"
