"""Vietnamese text without its marks: for file names, and for matching a name as a person may
type it (with or without diacritics, in any case).

    unmarked("Trà Bồng, Đức Phổ") -> "Tra Bong, Duc Pho"
    folded("  ĐỨC   phổ ") -> "duc pho"
"""

from __future__ import annotations

import unicodedata


def unmarked(text: str) -> str:
    """The text's letters without their marks; đ is d (Unicode gives it no mark to take off)."""
    text = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def folded(text: str) -> str:
    """The text as compared when a person typed it: no marks, no case, single spaces."""
    return " ".join(unmarked(text).casefold().split())
