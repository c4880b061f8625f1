"""Text for SMS: brandname gateways take plain ASCII, so no diacritics; long texts go in 160-character parts."""

import unicodedata

SEGMENT = 160


def without_diacritics(text: str) -> str:
    """'Hồ sơ đã được tiếp nhận' → 'Ho so da duoc tiep nhan' (đ/Đ are letters of their own, not accents)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def segments(text: str, size: int = SEGMENT) -> list[str]:
    """Cut at spaces where possible so no word is split between two SMS."""
    parts, rest = [], text.strip()
    while len(rest) > size:
        cut = rest.rfind(" ", 0, size + 1)
        cut = cut if cut > 0 else size
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts + ([rest] if rest else [])
