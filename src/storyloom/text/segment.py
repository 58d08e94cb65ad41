"""Word segmentation: jieba for Han runs, a regex tokenizer for everything else.

One tokenizer serves both languages.  A sentence is scanned once with a
precompiled regex; runs of Han characters go to jieba (HMM on), everything
else is tokenised by the regex:

* English words keep contractions and hyphens (``don't``, ``I’m``,
  ``well-known``), numbers keep decimals/thousands/percent (``3.14``,
  ``2,500``, ``80%``, ``1990s``), URLs and e-mail addresses are one token;
* every other non-space character is a punctuation token, except ``……``,
  ``...``, ``——`` and ``--`` runs (one token each) and emoji sequences
  (one token, ``is_punct=True``);
* ``norm`` is lower-cased for Latin words (’ becomes '), the Simplified form
  for Chinese.

Traditional Chinese: when the sentence contains a character OpenCC ``t2s``
could change, the sentence is converted; if the conversion keeps the length
(almost always), the *converted* text is segmented and each token gets
``text`` from the original and ``norm`` from the conversion; otherwise the
original is segmented and ``norm`` is a character-by-character conversion.

jieba is initialised lazily and quietly; a user dictionary from
``STORYLOOM_USER_DICT`` is loaded before the first segmentation, and
:func:`load_user_dict` adds more.  Dictionary words containing Latin letters
(卡拉OK) are not matched, because only Han runs reach jieba.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable

from ..errors import InputFileError
from ._chars import EMOJI_SEQ, HAN, LATIN
from ..config import settings
from .document import Token
from .script import has_traditional, to_simplified, to_simplified_chars

_L = LATIN
_TOKEN = re.compile(
    rf"(?P<han>[{HAN}]+)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"“”‘’「」（）()\[\]，。！？、]*[^\s<>\"“”‘’「」（）()\[\]，。！？、.,!?:;'])"
    r"|(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)"
    rf"|(?P<word>[{_L}][{_L}0-9]*(?:['’][{_L}]+)*(?:-[{_L}0-9]+(?:['’][{_L}]+)*)*)"
    rf"|(?P<num>\d+(?:[.,:/]\d+)*(?:%|[{_L}]+)?)"
    r"|(?P<other>[^\W\d_]+)"
    rf"|(?P<emoji>{EMOJI_SEQ})"
    r"|(?P<punct>\.{2,}|…+|—+|-{2,}|\S)"
)

def _slot_setters() -> tuple[Callable[..., None], ...] | None:
    """Descriptor setters of Token's slots, for building tokens about 3× faster.

    The frozen dataclass ``__init__`` goes through ``object.__setattr__`` for
    every field; creating the object and setting its slots through their
    descriptors skips that.  Only used while ``Token`` has exactly these five
    slotted fields (``None`` otherwise, and the normal constructor is used).
    """
    names = tuple(f.name for f in dataclasses.fields(Token))
    if names != ("text", "start", "end", "norm", "is_punct") or "__slots__" not in Token.__dict__:
        return None  # pragma: no cover - Token grew a field
    return tuple(getattr(Token, name).__set__ for name in names)


_SETTERS = _slot_setters()


def _token_factory() -> Callable[[str, int, int, str, bool], Token]:
    if _SETTERS is None:  # pragma: no cover - Token grew a field
        return Token
    new = object.__new__
    set_text, set_start, set_end, set_norm, set_punct = _SETTERS

    def make(text: str, start: int, end: int, norm: str, is_punct: bool) -> Token:
        t = new(Token)
        set_text(t, text)
        set_start(t, start)
        set_end(t, end)
        set_norm(t, norm)
        set_punct(t, is_punct)
        return t

    return make


_make_token = _token_factory()
# jieba is quadratic on very long runs of Han characters without punctuation
# (a pasted wall of text): longer runs are segmented in pieces of this size.
_MAX_RUN = 256

_lock = threading.Lock()
_cut: Callable[[str], Iterable[str]] | None = None
_jieba_dt = None
_loaded_dicts: set[str] = set()


def _init_jieba() -> Callable[[str], Iterable[str]]:
    global _cut, _jieba_dt
    with _lock:
        if _cut is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            dt = jieba.dt
            dt.initialize()
            _jieba_dt = dt
            # The block cutter jieba.cut uses on Han text (DAG + HMM); calling it
            # directly on a Han run skips jieba's per-call re-splitting.
            cut_dag = getattr(dt, "_Tokenizer__cut_DAG", None)
            if cut_dag is None:  # pragma: no cover - other jieba versions
                def cut_dag(s: str, _cut=dt.cut) -> Iterable[str]:
                    return _cut(s, HMM=True)
            _cut = cut_dag
    return _cut


def jieba_cut() -> Callable[[str], Iterable[str]]:
    """The jieba cutter for a run of Han characters (initialised on first use).

    Also loads the user dictionary named by ``STORYLOOM_USER_DICT`` if it has
    not been loaded yet (checked on every call; :func:`prepare` calls this
    once per document).
    """
    cut = _cut
    if cut is None:
        cut = _init_jieba()
    user_dict = settings().user_dict
    if user_dict and os.path.abspath(user_dict) not in _loaded_dicts:
        load_user_dict(user_dict)
    return cut


def load_user_dict(path: str | os.PathLike[str]) -> None:
    """Load a jieba user dictionary (``word [freq] [tag]`` per line, UTF-8).

    Loading the same file twice is a no-op.  A missing or unreadable file
    raises :class:`InputFileError`.
    """
    name = os.path.abspath(os.fspath(path))
    if name in _loaded_dicts:
        return
    if not os.path.isfile(name):
        raise InputFileError(f"User dictionary not found: {os.fspath(path)} (check STORYLOOM_USER_DICT).")
    if _cut is None:
        _init_jieba()
    with _lock:
        if name in _loaded_dicts:
            return
        try:
            _jieba_dt.load_userdict(name)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputFileError(
                f"Cannot load user dictionary {os.fspath(path)}: {exc}. "
                "It must be UTF-8 text with one 'word [frequency] [tag]' per line."
            ) from None
        _loaded_dicts.add(name)


def _tokenize_long_run(
    tokens: list[Token],
    sentence: str,
    src: str,
    s: int,
    e: int,
    start: int,
    cut: Callable[[str], Iterable[str]],
    converted: bool,
    char_norm: bool,
) -> None:
    """Segment a Han run longer than ``_MAX_RUN`` piece by piece."""
    make = _make_token
    for a in range(s, e, _MAX_RUN):
        b = min(a + _MAX_RUN, e)
        pos = a
        for w in cut(src[a:b]):
            n = pos + len(w)
            if converted:
                text = sentence[pos:n]
            else:
                text = w
            norm = to_simplified_chars(w) if char_norm else w
            tokens.append(make(text, start + pos, start + n, norm, False))
            pos = n


def tokenize(
    text: str, start: int = 0, end: int | None = None
) -> tuple[list[Token], int, int]:
    """Tokens of ``text[start:end]`` with document offsets, plus Han and Latin letter counts.

    The counts (Han characters, Latin letters) let callers decide the
    sentence language without another pass.
    """
    if end is None:
        end = len(text)
    cut = _cut or jieba_cut()
    sentence = text[start:end]
    conv = None
    if has_traditional(sentence):
        conv = to_simplified(sentence)
        if len(conv) != len(sentence):
            conv = None
            src = sentence
            char_norm = True
        else:
            src = conv
            char_norm = False
    else:
        src = sentence
        char_norm = False
    tokens: list[Token] = []
    append = tokens.append
    make = _make_token
    fast = _SETTERS is not None
    if fast:
        new = object.__new__
        set_text, set_start, set_end, set_norm, set_punct = _SETTERS
    han = latin = 0
    for m in _TOKEN.finditer(src):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "han":
            han += e - s
            pos = start + s
            if e - s > _MAX_RUN:
                _tokenize_long_run(tokens, sentence, src, s, e, start, cut, conv is not None, char_norm)
                continue
            if conv is None and not char_norm:
                if fast:  # the hot path: Simplified Chinese words
                    for w in cut(m.group()):
                        t = new(Token)
                        set_text(t, w)
                        set_start(t, pos)
                        pos += len(w)
                        set_end(t, pos)
                        set_norm(t, w)
                        set_punct(t, False)
                        append(t)
                else:  # pragma: no cover - Token grew a field
                    for w in cut(m.group()):
                        n = pos + len(w)
                        append(make(w, pos, n, w, False))
                        pos = n
            else:
                for w in cut(m.group()):
                    n = pos + len(w)
                    if char_norm:
                        append(make(w, pos, n, to_simplified_chars(w), False))
                    else:
                        append(make(sentence[pos - start : n - start], pos, n, w, False))
                    pos = n
        elif kind == "word":
            w = sentence[s:e]
            latin += e - s
            norm = w.lower()
            if "’" in norm:
                norm = norm.replace("’", "'")
            append(make(w, start + s, start + e, norm, False))
        elif kind == "punct" or kind == "emoji":
            w = sentence[s:e]
            append(make(w, start + s, start + e, w, True))
        else:  # num, url, email, other-script letters
            w = sentence[s:e]
            append(make(w, start + s, start + e, w.lower(), False))
    return tokens, han, latin
