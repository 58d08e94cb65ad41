"""``prepare()``: raw text → :class:`Document` (normalised, checked, segmented)."""

from __future__ import annotations

import gc
from bisect import bisect_right

from ..errors import EmptyText, InputTooLong, UnsupportedLanguage
from ._chars import DIGIT_RUN, EMOJI_RE
from ..config import settings
from .decoding import decode_bytes
from .document import Document, Language, Script, Sentence
from .langid import count_scripts, foreign_script, language_of_counts, other_latin_language
from .normalization import normalize_ex
from .script import script_counts
from .segment import jieba_cut, tokenize
from .sentences import paragraph_spans, quote_spans, split_sentences

_LANG_ALIASES = {
    "zh": "zh", "zho": "zh", "chi": "zh", "cn": "zh", "chinese": "zh", "中文": "zh",
    "en": "en", "eng": "en", "english": "en", "英文": "en",
}
_RAW_FACTOR = 20  # raw input may be this much larger than the limit (markup, spaces)


def _parse_lang(lang: object) -> Language | None:
    if lang is None:
        return None
    if isinstance(lang, Language):
        return lang
    if not isinstance(lang, str):
        raise UnsupportedLanguage(f"lang must be 'zh' or 'en', got {lang!r}.")
    key = lang.strip().lower()
    if key in ("", "auto"):
        return None
    base = key.replace("_", "-").split("-", 1)[0]
    code = _LANG_ALIASES.get(key) or _LANG_ALIASES.get(base)
    if code is None:
        raise UnsupportedLanguage(
            f"Unsupported language {lang!r}: StoryLoom analyses Chinese ('zh', Simplified or "
            "Traditional) and English ('en'). Leave lang unset to detect it."
        )
    return Language(code)


def _too_long(n: int, limit: int, at_least: bool = False) -> InputTooLong:
    count = f"at least {n:,}" if at_least else f"{n:,}"
    return InputTooLong(
        f"The text has {count} characters, over the limit of {limit:,}. Split it into "
        "chapters and analyse them one at a time, or raise the limit with STORYLOOM_MAX_CHARS."
    )


def _empty_error(raw: str, text: str, had_markup: bool) -> EmptyText:
    if not raw:
        return EmptyText("The text is empty — write a few words of your story.")
    if not raw.strip():
        return EmptyText(
            "The text contains only whitespace (spaces and line breaks) — write a few words of your story."
        )
    if had_markup:
        return EmptyText("The text contains only HTML/markup and no story text — paste the story itself.")
    if EMOJI_RE.search(text):
        return EmptyText("The text contains only emoji — write a few words of your story.")
    if DIGIT_RUN.search(text):
        return EmptyText("The text contains only numbers and punctuation — write a few words of your story.")
    if text:
        return EmptyText("The text contains only punctuation or symbols — write a few words of your story.")
    return EmptyText("The text contains only invisible or control characters — write a few words of your story.")


def prepare(text: str, lang: str | None = None, *, max_chars: int | None = None) -> Document:
    """Normalise ``text`` and split it into paragraphs, sentences and tokens.

    ``lang`` forces the document language (``"zh"`` or ``"en"``; ``None`` or
    ``"auto"`` detects it); per-sentence detection still applies, so a
    sentence clearly in the other script gets that language.  ``max_chars``
    defaults to ``settings().max_chars`` and counts characters after
    normalisation.

    Raises :class:`EmptyText`, :class:`InputTooLong` or
    :class:`UnsupportedLanguage` with a message a person can act on.
    """
    # Building tens of thousands of small objects that all survive triggers
    # cyclic-GC passes that find nothing (~5% of the run time), so collection
    # is paused meanwhile and restored afterwards (any cycle is collected then).
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()
    try:
        return _prepare(text, lang, max_chars)
    finally:
        if gc_was_enabled:
            gc.enable()


def _prepare(text: str, lang: str | None, max_chars: int | None) -> Document:
    forced = _parse_lang(lang)
    if isinstance(text, (bytes, bytearray)):
        text = decode_bytes(bytes(text))
    if not isinstance(text, str):
        raise TypeError(f"prepare() needs a str, got {type(text).__name__}")
    limit = max_chars if max_chars is not None else settings().max_chars
    if len(text) > limit * _RAW_FACTOR:
        raise _too_long(limit * _RAW_FACTOR, limit, at_least=True)

    norm, had_markup = normalize_ex(text)
    if len(norm) > limit:
        raise _too_long(len(norm), limit)

    counts = count_scripts(norm)
    if not counts.letters:
        raise _empty_error(text, norm, had_markup)
    if forced is None:
        foreign = foreign_script(norm, counts)
        if foreign:
            raise UnsupportedLanguage(
                f"This text looks like {foreign}. StoryLoom analyses Chinese and English only; "
                "a few foreign words inside a Chinese or English story are fine."
            )
    elif not counts.supported:
        raise UnsupportedLanguage(
            "The text has no Chinese characters or English letters. StoryLoom analyses "
            "Chinese and English only."
        )

    doc_lang = forced or Language(language_of_counts(counts.han, counts.latin) or "en")

    paragraphs = paragraph_spans(norm)
    para_starts = [s for s, _ in paragraphs]
    quotes: list[tuple[int, int]] = []
    for ps, pe in paragraphs:
        quotes.extend(quote_spans(norm, ps, pe))
    quote_starts = [s for s, _ in quotes]

    jieba_cut()  # initialise outside the loop
    zh, en = Language.zh, Language.en
    sentences: list[Sentence] = []
    n_zh = n_en = 0
    latin_words: list[str] | None = [] if forced is None and counts.han == 0 else None
    for index, (s, e) in enumerate(split_sentences(norm)):
        tokens, han, latin = tokenize(norm, s, e)
        if han and han * 3 >= latin:
            language = zh
            n_zh += 1
        elif latin:
            language = en
            n_en += 1
        else:
            language = doc_lang
            if language is zh:
                n_zh += 1
            else:
                n_en += 1
        # quotes: spans overlapping [s, e)
        k = bisect_right(quote_starts, e - 1)
        if k and quotes[k - 1][1] > s:
            lo = bisect_right(quote_starts, s) - 1
            if lo < 0:
                lo = 0
            spans = [q for q in quotes[lo:k] if q[1] > s]
            flags = []
            quoted_chars = total_chars = 0
            for t in tokens:
                ts = t.start
                inside = False
                for qs, qe in spans:
                    if qs <= ts < qe:
                        inside = True
                        break
                flags.append(inside)
                if not t.is_punct:
                    size = t.end - ts
                    total_chars += size
                    if inside:
                        quoted_chars += size
            in_quote = tuple(flags)
            is_dialogue = total_chars > 0 and quoted_chars * 2 >= total_chars
        else:
            in_quote = (False,) * len(tokens)
            is_dialogue = False
        if latin_words is not None and language is en:
            latin_words.extend(t.norm for t in tokens if not t.is_punct)
        sentences.append(
            Sentence(
                index=index,
                text=norm[s:e],
                start=s,
                end=e,
                language=language,
                paragraph=bisect_right(para_starts, s) - 1,
                tokens=tuple(tokens),
                in_quote=in_quote,
                is_dialogue=is_dialogue,
            )
        )

    if latin_words:
        other = other_latin_language(latin_words)
        if other:
            raise UnsupportedLanguage(
                f"This text looks like {other}. StoryLoom analyses Chinese and English only."
            )

    if counts.han:
        trad, simp = script_counts(norm)
        script = Script.traditional if trad > simp else Script.simplified
    else:
        script = Script.none

    return Document(
        text=norm,
        language=doc_lang,
        script=script,
        sentences=tuple(sentences),
        paragraphs=tuple(paragraphs),
        languages={"zh": n_zh, "en": n_en},
    )
