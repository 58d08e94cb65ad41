"""Bytes → text: encoding detection and binary refusal.

Order of decisions in :func:`decode_bytes`:

1. known binary formats by magic number (PNG, JPEG, GIF, PDF, ZIP/DOCX/EPUB,
   ELF, gzip, …) → :class:`NotText` naming the format;
2. byte-order marks: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE;
3. NUL bytes: BOM-less UTF-16 when the NULs sit on one byte parity and the
   result is plausible text, otherwise :class:`NotText`;
4. strict UTF-8;
5. GB18030 (covers GBK/GB2312) vs Big5 (cp950, then Big5-HKSCS): each must
   decode strictly, the winner is the one whose non-ASCII characters are most
   often common Chinese characters (3,500 most frequent Simplified characters,
   their Traditional forms from OpenCC, and CJK punctuation);
6. charset-normalizer as a fallback (e.g. Windows-1252 English);
7. otherwise :class:`DecodingError` naming the encodings tried.

Any decoded text whose share of control characters is high is refused as
binary.
"""

from __future__ import annotations

import codecs
import os
import re
from functools import lru_cache
from importlib import resources

from ..errors import DecodingError, InputFileError, InputTooLong, NotText
from ..config import settings

_TRIED = "UTF-8, UTF-16, GB18030 (GBK/GB2312) and Big5"

# (prefix, offset, description)
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"%PDF-", 0, "a PDF document"),
    (b"PK\x03\x04", 0, "a ZIP archive (Word .docx, .epub and .odt files are ZIP archives too)"),
    (b"PK\x05\x06", 0, "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Microsoft Office document (.doc/.xls)"),
    (b"{\\rtf", 0, "an RTF document"),
    (b"\x7fELF", 0, "an executable program (ELF)"),
    (b"\xcf\xfa\xed\xfe", 0, "an executable program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", 0, "a compiled program (Mach-O or Java class)"),
    (b"\x00asm", 0, "a WebAssembly module"),
    (b"\x1f\x8b", 0, "a gzip-compressed file"),
    (b"BZh", 0, ""),  # checked further below
    (b"\xfd7zXZ\x00", 0, "an XZ-compressed file"),
    (b"\x28\xb5\x2f\xfd", 0, "a Zstandard-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
    (b"ID3", 0, "an MP3 audio file"),
    (b"OggS", 0, "an Ogg audio/video file"),
    (b"fLaC", 0, "a FLAC audio file"),
    (b"ftyp", 4, "an MP4/MOV video or HEIC image"),
    (b"wOFF", 0, "a web font"),
    (b"wOF2", 0, "a web font"),
)
_RIFF_KINDS = {b"WAVE": "a WAV audio file", b"WEBP": "a WebP image", b"AVI ": "an AVI video"}

# Control characters that never occur in text (tab, newlines, form feed and
# ESC are tolerated).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_LATIN_CODE_PAGES = frozenset(
    "cp1250 cp1252 cp1254 cp1257 windows_1250 windows_1252 latin_1 iso8859_1 iso8859_2 "
    "iso8859_3 iso8859_4 iso8859_9 iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 "
    "mac_roman mac_latin2 mac_iceland mac_turkish".split()
)
_COMMON_PUNCT = "，。、！？；：“”‘’（）《》〈〉「」『』【】…—·～　"


def _sniff_binary(data: bytes) -> str | None:
    """Describe ``data`` if it starts like a known binary format."""
    for magic, offset, what in _MAGIC:
        if data.startswith(magic, offset):
            if magic == b"BZh":
                if len(data) >= 10 and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
                    return "a bzip2-compressed file"
                continue
            return what
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return "a Windows program (.exe/.dll)"
    return None


def _not_text(what: str | None) -> NotText:
    if what:
        return NotText(f"This looks like {what}, not a text file. Save your story as plain text (.txt) and try again.")
    return NotText(
        "This looks like binary data (an image, archive or program), not a text file. "
        "Save your story as plain text (.txt) and try again."
    )


def _check_text(text: str) -> str:
    """Refuse decoded text that is mostly control characters."""
    if text and _CONTROL.search(text):
        n = len(_CONTROL.findall(text))
        if "\x00" in text or n * 100 > 5 * len(text):
            raise _not_text(None)
    return text


def derive_common_hanzi(n: int = 3500) -> str:
    """The ``n`` most frequent Han characters in jieba's dictionary (slow, ~1 s)."""
    from collections import Counter

    import jieba

    freq: Counter[str] = Counter()
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, count, *_ = line.split(" ")
            c = int(count)
            for ch in word:
                freq[ch] += c
    return "".join([ch for ch, _ in freq.most_common() if "\u4e00" <= ch <= "\u9fff"][:n])


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """Common Simplified + Traditional characters and CJK punctuation (cached)."""
    try:
        raw = resources.files("storyloom.resources").joinpath("text/common_hanzi.txt").read_text("utf-8")
        simplified = "".join(line.strip() for line in raw.splitlines() if not line.startswith("#"))
    except (OSError, ModuleNotFoundError):  # pragma: no cover - resource missing
        simplified = derive_common_hanzi()
    from .script import _opencc_dictionary

    st = _opencc_dictionary("STCharacters.txt")
    chars = set(simplified)
    for ch in simplified:
        chars.update(v for v in st.get(ch, ()) if len(v) == 1)
    chars.update(_COMMON_PUNCT)
    return frozenset(chars)


def chinese_score(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese ones."""
    common = common_chars()
    total = hits = 0
    for ch in text[:50_000]:
        if ch >= "\x80":
            total += 1
            if ch in common:
                hits += 1
    return hits / total if total else 0.0


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _plausibility(text: str) -> float:
    """Share of characters that are printable ASCII, whitespace or common Chinese."""
    if not text:
        return 0.0
    sample = text[:20_000]
    common = common_chars()
    good = sum(1 for ch in sample if (" " <= ch <= "~") or ch in "\n\r\t" or ch in common)
    return good / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode BOM-less UTF-16, recognised by its NUL bytes and plausible content.

    ASCII characters give a NUL on one byte parity (``a`` is ``61 00`` in
    little-endian), so the parity with more NULs suggests the byte order; the
    text must also decode strictly and read as ASCII/common Chinese.
    """
    if len(data) < 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    order = ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
    body = data[: len(data) - (len(data) % 2)]
    best, best_score = None, 0.0
    for encoding in order:
        text = _strict(body, encoding)
        if text is None:
            continue
        score = _plausibility(text)
        if score > best_score:
            best, best_score = text, score
    return best if best_score >= 0.8 else None


def _decode_chinese(data: bytes) -> str | None:
    """Pick GB18030 or Big5 by which decodes strictly into common Chinese."""
    candidates = []
    gb = _strict(data, "gb18030")
    if gb is not None:
        candidates.append((chinese_score(gb), 1, gb))
    big5 = _strict(data, "cp950")
    if big5 is None:
        big5 = _strict(data, "big5hkscs")
    if big5 is not None:
        candidates.append((chinese_score(big5), 0, big5))
    if not candidates:
        return None
    score, _, text = max(candidates)
    # Demand plausible Chinese; a lone strict decoding with a weak score may
    # still be right when charset-normalizer has nothing better.
    if score >= 0.4:
        return text
    return None


def _charset_normalizer(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency missing
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    encoding = (best.encoding or "").lower().replace("-", "_")
    # Among the single-byte Latin code pages, Windows-1252 is by far the most
    # likely for English text (charset-normalizer may pick cp1250 for a short
    # English text with “smart quotes”).
    if encoding in _LATIN_CODE_PAGES:
        text = _strict(data, "cp1252")
        if text is not None:
            return text
    return str(best)


def decode_bytes(data: bytes) -> str:
    """Decode a text file's bytes, detecting the encoding (see module docstring).

    Raises :class:`NotText` for binary data and :class:`DecodingError` when no
    supported encoding fits.
    """
    if not data:
        return ""
    what = _sniff_binary(data)
    if what:
        raise _not_text(what)

    # byte-order marks (UTF-32 first: its LE BOM starts with UTF-16's)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = _strict(data[len(bom):], encoding)
            if text is None:
                raise DecodingError(
                    f"The file starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()}. Save it again as UTF-8 and retry."
                )
            return _check_text(text)

    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise _not_text(None)
        return _check_text(text)

    text = _strict(data, "utf-8")
    if text is not None:
        return _check_text(text)

    text = _decode_chinese(data)
    if text is None:
        text = _charset_normalizer(data)
    if text is None:
        # last chance: a lone strict Chinese decoding with a weak score
        for encoding in ("gb18030", "cp950", "big5hkscs"):
            text = _strict(data, encoding)
            if text is not None and chinese_score(text) > 0.2:
                break
            text = None
    if text is None:
        raise DecodingError(
            f"Could not read the file as text: it is not valid {_TRIED}, and no other encoding "
            "fitted. Save it as UTF-8 and try again."
        )
    return _check_text(text)


def read_text_file(path: str | os.PathLike[str]) -> str:
    """Read and decode a text file, refusing directories, missing and huge files."""
    limit = settings().max_file_bytes
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputFileError(f"No such file: {name}") from None
    except PermissionError:
        raise InputFileError(f"Permission denied: cannot read {name}") from None
    except OSError as exc:
        raise InputFileError(f"Cannot read {name}: {exc.strerror or exc}") from None
    if os.path.isdir(name):
        raise InputFileError(f"{name} is a directory; give the path of a text file.")
    if st.st_size > limit:
        raise InputTooLong(
            f"The file {name} is {st.st_size:,} bytes, over the limit of {limit:,} bytes. "
            "Split it into chapters, or raise the limit with STORYLOOM_MAX_FILE_BYTES."
        )
    try:
        with open(name, "rb") as fh:
            data = fh.read(limit + 1)
    except PermissionError:
        raise InputFileError(f"Permission denied: cannot read {name}") from None
    except OSError as exc:
        raise InputFileError(f"Cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputTooLong(
            f"The file {name} is over the limit of {limit:,} bytes. "
            "Split it into chapters, or raise the limit with STORYLOOM_MAX_FILE_BYTES."
        )
    return decode_bytes(data)
