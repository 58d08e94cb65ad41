"""Text normalisation: markup, invisible characters, Unicode form, whitespace.

The rules (all applied by :func:`normalize`):

* lone surrogates, control characters (except newline), zero-width and
  bidi-control characters are removed; a ZWJ is kept only inside an emoji
  sequence (👨‍👩‍👧);
* ``\\r\\n``, ``\\r``, U+2028/2029, form feed and vertical tab become ``\\n``;
* HTML/XML is reduced to its text when the input looks like markup:
  ``<script>``, ``<style>``, ``<head>``, comments are dropped, block tags
  (``p div li h1…`` ) become paragraph breaks, ``<br>`` a line break, other
  tags vanish; entities (``&amp; &nbsp; &#x4e2d;``) are decoded;
* Unicode NFC.  Full-width Chinese punctuation (，。！？；：「」“”（）……) is
  kept as written; only full-width *letters and digits* (ＡＢＣ１２３) become
  ASCII;
* runs of spaces/tabs (including NBSP and the ideographic space U+3000) fold
  to one space; lines are trimmed; a space between two CJK characters is
  removed (我 今天 很 开心 → 我今天很开心) while English keeps its spaces;
* three or more newlines fold to a paragraph break (two newlines); the
  whole text is stripped.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ._chars import EMOJI, HAN, KANA

_SURROGATES = re.compile("[\ud800-\udfff]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# C0/C1 controls except \t and \n; zero-width/bidi/invisible format chars;
# non-characters; the replacement character; variation selectors other than
# the emoji one (FE0F) and ideographic variation selectors.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffd\ufffe\uffff"
    "\ufe00-\ufe0e\U000e0100-\U000e01ef]"
)
# A ZWJ survives only between two emoji (or an emoji + VS16 and an emoji).
_STRAY_ZWJ = re.compile(f"(?<![{EMOJI}\ufe0f])\u200d|\u200d(?![{EMOJI}])")
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_EDGES = re.compile(" \n ?|\n ")
_MANY_NEWLINES = re.compile("\n{3,}")

# Characters between which a space is a paste artefact: Han, kana, CJK
# punctuation and full-width forms; plus curly quotes/ellipsis/dash when the
# other side is one of those.
_CJK = f"{HAN}{KANA}\u3001-\u303f\ufe30-\ufe4f\uff01-\uff65"
_CJK_Q = "\u2018\u2019\u201c\u201d\u2026\u2014"
# (written to start with the literal space so the regex engine can skip ahead)
_CJK_SPACE = re.compile(f" (?<=[{_CJK}] )(?=[{_CJK}{_CJK_Q}])| (?<=[{_CJK_Q}] )(?=[{_CJK}])")

# Full-width ASCII letters and digits → ASCII (punctuation is left alone).
_FULLWIDTH_ALNUM_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}

# --- markup -----------------------------------------------------------------
_TAG_NAME = r"[A-Za-z][A-Za-z0-9:_-]*"
_LOOKS_LIKE_MARKUP = re.compile(
    rf"<(?:{_TAG_NAME}(?:\s[^<>]*)?/?|/{_TAG_NAME}\s*|!--|!DOCTYPE|\?xml)(?:>|\s)",
    re.IGNORECASE,
)
_DROP_BLOCKS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<(script|style|head|noscript|template|svg|math|iframe|object)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAGS = (
    "p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|section|article|blockquote|pre|"
    "header|footer|hr|figure|figcaption|nav|aside|main|title|body|html|form|fieldset|"
    "address|details|summary|caption"
)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_CELL_TAG = re.compile(r"</?(?:td|th)\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(
    rf"<(?:/?{_TAG_NAME}(?:\s[^<>]*)?/?|![A-Za-z][^<>]*|\?[^<>]*\?)>", re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def looks_like_markup(text: str) -> bool:
    """True when ``text`` contains HTML/XML tags."""
    return _LOOKS_LIKE_MARKUP.search(text) is not None


def strip_markup(text: str) -> str:
    """Reduce HTML/XML to its text (tags removed, entities decoded)."""
    text = _DROP_BLOCKS.sub("", text)
    text = _BREAK_TAG.sub("\n", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _CELL_TAG.sub(" ", text)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text)


def normalize_ex(text: str) -> tuple[str, bool]:
    """:func:`normalize` that also tells whether markup was removed."""
    if not text:
        return "", False
    text = _SURROGATES.sub("", text)
    had_markup = looks_like_markup(text)
    if had_markup:
        text = strip_markup(text)
    elif "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
        text = _SURROGATES.sub("", text)  # &#xd800; decodes to a surrogate
    text = _NEWLINES.sub("\n", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if _FULLWIDTH_ALNUM_RE.search(text):
            text = text.translate(_FULLWIDTH_ALNUM)
        if "\u200d" in text:
            text = _STRAY_ZWJ.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    if " " in text and not text.isascii():
        text = _CJK_SPACE.sub("", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip(), had_markup


def normalize(text: str) -> str:
    """Clean ``text`` for analysis; see the module docstring for the rules."""
    return normalize_ex(text)[0]
