"""Character classes shared by the text modules (precompiled, C-speed regexes).

Everything here is a plain constant; no module state, no heavy imports.
"""

from __future__ import annotations

import re

# Han ideographs: CJK Unified (+ Ext A, compatibility, Ext B–H) and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Latin letters (ASCII and accented).  × and ÷ are excluded.
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# CJK punctuation and full-width forms (、。〈〉《》「」『』【】〔〕，！？：；（） …).
CJK_PUNCT = "\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef"
# Curly quotes, ellipsis and dashes: used by both languages.
SHARED_PUNCT = "\u2018\u2019\u201c\u201d\u2026\u2014\u2015\u00b7"

EMOJI = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u231a-\u23ff"
    "\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa"
)
# Things that extend an emoji: variation selectors, keycap, skin tones (inside
# the 1F000 block), tag characters, and ZWJ + another emoji.
EMOJI_SEQ = f"[{EMOJI}](?:[\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f]|\u200d[{EMOJI}])*"

HAN_RUN = re.compile(f"[{HAN}]+")
LATIN_RUN = re.compile(f"[{LATIN}]+")
KANA_RUN = re.compile(f"[{KANA}]+")
HANGUL_RUN = re.compile(f"[{HANGUL}]+")
LETTER_RUN = re.compile(r"[^\W\d_]+")
DIGIT_RUN = re.compile(r"\d+")
EMOJI_RE = re.compile(EMOJI_SEQ)

# Scripts we can name when refusing text in another language.
OTHER_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Japanese", KANA_RUN),
    ("Korean", HANGUL_RUN),
    ("Russian or another Cyrillic-script language", re.compile("[\u0400-\u04ff]+")),
    ("Arabic", re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")),
    ("Hebrew", re.compile("[\u0590-\u05ff]+")),
    ("Greek", re.compile("[\u0370-\u03ff]+")),
    ("Thai", re.compile("[\u0e00-\u0e7f]+")),
    ("Hindi or another Devanagari-script language", re.compile("[\u0900-\u097f]+")),
    ("Armenian", re.compile("[\u0530-\u058f]+")),
    ("Georgian", re.compile("[\u10a0-\u10ff]+")),
)


def is_cjk_char(ch: str) -> bool:
    """True for a Han character, kana, CJK punctuation or a full-width form."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3134F
    )


def is_han_char(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
        or o == 0x3007
    )


def run_length(pattern: re.Pattern[str], text: str) -> int:
    """Number of characters matched by ``pattern`` (a ``[...]+`` run regex)."""
    return sum(map(len, pattern.findall(text)))
