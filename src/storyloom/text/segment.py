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

from ._config import current as settings
from ..errors import InputFileError
from ._chars import EMOJI_SEQ, HAN, LATIN
from .document import Token
from .script import has_traditional, to_simplified, to_simplified_chars

_L = LATIN
_TOKEN = re.compile(
    rf"(?P<han>[{HAN}]+)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"“”‘’「」（）()\[\]，。！？、]*[^\s<>\"“”‘’「」（）()\[\]，。！？、.,!?:;'])"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    rf"|(?P<word>[{_L}][{_L}0-9]*(?:['’][{_L}]+)*(?:-[{_L}0-9]+(?:['’][{_L}]+)*)*)"
    rf"|(?P<num>\d+(?:[.,:/]\d+)*(?:%|[{_L}]+)?)"
    r"|(?P<other>[^\W\d_]+)"
    rf"|(?P<emoji>{EMOJI_SEQ})"
    r"|(?P<punct>\.{2,}|…+|—+|-{2,}|\S)"
)

def _token_factory() -> Callable[[str, int, int, str, bool], Token]:
    """A constructor for :class:`Token` about twice as fast as ``Token(...)``.

    The frozen dataclass ``__init__`` goes through ``object.__setattr__`` for
    every field; setting the slots through their descriptors skips that.
    Used only while ``Token`` has exactly the five fields below, otherwise
    the normal constructor is returned.
    """
    names = tuple(f.name for f in dataclasses.fields(Token))
    if names != ("text", "start", "end", "norm", "is_punct") or not hasattr(Token, "__slots__"):
        return Token  # pragma: no cover - Token grew a field
    new = object.__new__
    set_text = Token.text.__set__  # type: ignore[attr-defined]
    set_start = Token.start.__set__  # type: ignore[attr-defined]
    set_end = Token.end.__set__  # type: ignore[attr-defined]
    set_norm = Token.norm.__set__  # type: ignore[attr-defined]
    set_punct = Token.is_punct.__set__  # type: ignore[attr-defined]

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
    han = latin = 0
    for m in _TOKEN.finditer(src):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "han":
            han += e - s
            pos = start + s
            if conv is None and not char_norm:
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
