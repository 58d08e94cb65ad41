"""Text preparation: bytes/str → normalised, segmented :class:`Document`.

Public API (others depend on these names)::

    prepare(text, lang=None, *, max_chars=None) -> Document
    decode_bytes(data) -> str
    read_text_file(path) -> str
    normalize(text) -> str
    detect_language(text) -> "zh" | "en" | None
    is_traditional(text) -> bool
    to_simplified(text) -> str
    load_user_dict(path) -> None
    split_sentences(text) -> list[(start, end)]

Rules for paragraphs, sentences and quotes are documented in
:mod:`storyloom.text.sentences`; tokenisation in :mod:`storyloom.text.segment`;
normalisation in :mod:`storyloom.text.normalization`; decoding in
:mod:`storyloom.text.decoding`.
"""

from __future__ import annotations

from .decoding import decode_bytes, read_text_file
from .document import Document, Language, Script, Sentence, Token
from .langid import detect_language
from .normalization import normalize
from .preparation import prepare
from .script import is_traditional, to_simplified, to_traditional
from .segment import load_user_dict, tokenize
from .sentences import paragraph_spans, quote_spans, split_sentences

__all__ = [
    "Document",
    "Language",
    "Script",
    "Sentence",
    "Token",
    "decode_bytes",
    "detect_language",
    "is_traditional",
    "load_user_dict",
    "normalize",
    "paragraph_spans",
    "prepare",
    "quote_spans",
    "read_text_file",
    "split_sentences",
    "to_simplified",
    "to_traditional",
    "tokenize",
]
