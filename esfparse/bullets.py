r"""Bullet signs, in one place: every list-item and bullet pattern of esfparse is built from these.

>>> import re
>>> bool(re.match(rf"{SIGN}\s", "▪ Arbetsförmedlingen")), bool(re.match(SIGN, "Arbete"))
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["CID", "NUMBERED", "PDF_GLYPHS", "SIGN", "SIGNS"]

# written and pasted bullets; a hyphen and an en dash start list items too
SIGNS = "•❖*–·▪●◦-"
SIGN = "[" + "".join(re.escape(c) for c in SIGNS) + "]"
# pdfminer's name for a glyph it cannot map (`(cid:127)`)
CID = r"\(cid:\d+\)"
# a numbered item: `1.`, `2)`
NUMBERED = r"\d{1,2}[.)]"
# bullets drawn from symbol fonts (private-use code points) and arrows, as PDF text extraction gives them
PDF_GLYPHS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8■□➢►▸‣∙"
