"""Keywords: the words a story is about, in the writer's own script.

``extract_keywords(doc, k)`` returns up to ``k`` :class:`Keyword` s with
``weight`` in [0, 1] (the best keyword has 1.0), strongest first, ties broken
by term, so the result is deterministic for a given text.

* **Chinese** sentences: TF-IDF over the document's own tokens (the jieba
  segmentation :func:`storyloom.text.prepare` already made), blended with
  TextRank centrality (jieba.analyse's weighted PageRank: damping 0.85, ten
  sweeps over sorted nodes, window 5 within a sentence).  Candidates are words
  of two or more Han characters whose dictionary part of speech is a noun,
  verb, adjective, place or time word (or unknown: new words, often names),
  and that are not in ``resources/themes/stopwords_zh.txt``.  Traditional text
  is scored on the Simplified ``norm`` and reported as written
  (``Token.text``).

  IDF is ``ln(total / freq)`` from the frequencies of jieba's own dictionary
  (already in memory after segmentation, user dictionary included) and part
  of speech comes from ``resources/themes/zh_pos.tsv.gz``, a 0.4 MB extract of
  the non-noun tags of jieba 0.42.1's ``dict.txt`` (MIT).  Using
  ``jieba.analyse.TFIDF``/``TextRank`` instead costs 2–6 s on the first call:
  importing ``jieba.analyse`` parses ``idf.txt`` (270k lines) for its
  module-level default and ``jieba.posseg`` parses ``dict.txt`` (349k lines)
  at import and again on ``initialize``.
* **English** sentences: YAKE (``yake``, LGPL-3, offline) for one- and
  two-word terms, then filtered: no stop word (``stopwords_en.txt``), no
  number, no bare participle tail ("grandmother pushing"); a single word
  already inside a stronger two-word keyword is dropped.
* **Mixed** documents: each language is scored on its own sentences; weights
  are scaled by that language's share of the content words, so the main
  language's keywords lead.

Pronouns, function words, numbers and punctuation never appear.
"""

from __future__ import annotations

import gzip
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ResourceMissing
from ..text.document import Document, Language, Sentence, Token

__all__ = ["Keyword", "extract_keywords"]


@dataclass(slots=True)
class Keyword:
    """One keyword: ``term`` as written, ``weight`` in [0, 1], ``count`` occurrences."""

    term: str
    weight: float
    count: int


# --- constants ---------------------------------------------------------------

# Blend of the two Chinese rankings.  TF-IDF carries most of the signal on
# short stories (every word occurs once or twice, so IDF decides); TextRank
# lifts words linked to many others (the protagonist, the central object).
ZH_TFIDF_SHARE = 0.7
ZH_TEXTRANK_SHARE = 0.3
ZH_WINDOW = 5  # co-occurrence window of TextRank, jieba's default span
# Part-of-speech preference (jieba dictionary tags; first letter unless listed).
# Nouns are what a story is "about"; verbs and adjectives count less.
ZH_POS_WEIGHT = {
    "n": 1.0, "nr": 1.0, "ns": 1.0, "nt": 1.0, "nz": 1.0, "nrt": 1.0, "ng": 0.9,
    "vn": 0.9, "v": 0.6, "a": 0.6, "an": 0.8, "s": 0.8, "t": 0.5, "j": 0.8,
}
ZH_UNKNOWN_POS_WEIGHT = 0.9  # words jieba found by HMM: mostly names and new words
# Quantities such as 三个, 十几年, 第一次, 2019年 are never keywords.
_ZH_NUMERIC = re.compile(r"^[0-9零〇一二两三四五六七八九十百千万亿几半多第每]+[个位只辆条次年月日天号岁点分件本张回遍种些块元斤公里米层口把台双份人]*$")
# A word outside the dictionary that jieba's HMM glued together from a particle,
# pronoun or light verb and a neighbour (毫不犹豫地买了 → 地买, 我查, 快去, 做个) is
# not a word; genuine new words (names: 小明, 阿强, 豆豆) rarely start or end so.
_ZH_PARTICLE_EDGE = frozenset("的地得了着著过吗呢吧啊和与在是把被给向从就也都还又很我你他她它")
_ZH_BAD_START = _ZH_PARTICLE_EDGE | frozenset("别快去来做说看想要会能再才这那")
_ZH_BAD_END = _ZH_PARTICLE_EDGE | frozenset("个去来完到住下上起")
_HAN_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")

EN_MAX_WORDS = 2  # YAKE n-gram size: short stories rarely repeat longer phrases
EN_CANDIDATES = 3  # ask YAKE for this many times k, then filter
# Adjectives and participle-like endings that are fine inside a phrase
# ("old woman") but are not keywords on their own.
_EN_WEAK = frozenset(
    "new old little big small good bad great long short high low sure able whole best "
    "better worse worst real true full huge tiny young early late hard easy nice".split()
)
# Nouns ending in -ing, kept although other single -ing words (verb forms) are dropped.
_EN_ING_NOUNS = frozenset(
    "morning evening wedding building painting meeting feeling ceiling clothing pudding "
    "sibling darling offspring dumpling duckling earring stuffing spring string swing wing "
    "king ring sing thing nothing something anything everything icing frosting lightning "
    "stocking sling ending beginning blessing gathering birthday".split()
)
_EN_WORD = re.compile(r"^[a-z][a-z'\-]*$")


# --- resources -------------------------------------------------------------

def _read_words(name: str) -> frozenset[str]:
    try:
        raw = resources.files("storyloom.resources").joinpath("themes", name).read_text("utf-8")
    except (FileNotFoundError, OSError) as exc:  # pragma: no cover - broken install
        raise ResourceMissing(
            f"The keyword stop-word list {name} is missing from storyloom/resources/themes "
            f"({exc}); reinstall StoryLoom."
        ) from None
    words: set[str] = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0]
        words.update(w.strip().lower() for w in line.split() if w.strip())
    return frozenset(words)


@lru_cache(maxsize=1)
def zh_stopwords() -> frozenset[str]:
    """Chinese stop words (Simplified), from ``resources/themes/stopwords_zh.txt``."""
    return _read_words("stopwords_zh.txt")


@lru_cache(maxsize=1)
def en_stopwords() -> frozenset[str]:
    """English stop words (lower case), from ``resources/themes/stopwords_en.txt``."""
    return _read_words("stopwords_en.txt")


ZH_UNKNOWN_IDF = 13.0  # a word outside jieba's dictionary: as rare as 老奶奶 (≈ ln(60M/135))
# Rarer than about 1 in 50,000 tokens all counts the same: the dictionary's counts of
# rare words are noise (推着 has 3, and would otherwise outrank 老奶奶).
ZH_IDF_CAP = 14.0
TEXTRANK_DAMPING = 0.85  # jieba.analyse.textrank's (and PageRank's usual) value
TEXTRANK_SWEEPS = 10  # jieba's fixed iteration count; short stories converge well before


class _ZhTables:
    """jieba's dictionary frequencies (shared with segmentation) and our POS extract."""

    _lock = threading.Lock()
    _loaded: tuple[dict[str, int], float, dict[str, str]] | None = None

    @classmethod
    def get(cls) -> tuple[dict[str, int], float, dict[str, str]]:
        loaded = cls._loaded
        if loaded is not None:
            return loaded
        with cls._lock:
            if cls._loaded is None:
                from ..text.segment import jieba_cut

                import jieba

                jieba_cut()  # makes sure jieba.dt is initialised (and the user dictionary loaded)
                dt = jieba.dt
                tags = _read_pos_table()
                cls._loaded = (dt.FREQ, math.log(max(dt.total, 2)), tags)
            return cls._loaded


def _read_pos_table() -> dict[str, str]:
    try:
        raw = resources.files("storyloom.resources").joinpath("themes", POS_TABLE).read_bytes()
    except (FileNotFoundError, OSError) as exc:  # pragma: no cover - broken install
        raise ResourceMissing(
            f"The part-of-speech table {POS_TABLE} is missing from storyloom/resources/themes "
            f"({exc}); reinstall StoryLoom."
        ) from None
    tags: dict[str, str] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            tag, _, words = line.partition("\t")
            for w in words.split(" "):
                tags[w] = tag
    return tags


POS_TABLE = "zh_pos.tsv.gz"
_NOUN_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "nrt", "nrfg"})  # not stored: weight 1.0


def build_pos_table(out: str | None = None) -> str:
    """Write ``zh_pos.tsv.gz`` from jieba's ``dict.txt``: non-noun tags of words of 2+ Han characters.

    Maintenance only (``python -m storyloom.analysis.keywords``); the file is shipped.
    """
    import os

    import jieba

    src = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    by_tag: dict[str, list[str]] = {}
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 3 or len(parts[0]) < 2 or not _HAN_ONLY.match(parts[0]):
                continue
            if parts[2] in _NOUN_TAGS:
                continue
            by_tag.setdefault(parts[2], []).append(parts[0])
    head = (
        f"# Non-noun part-of-speech tags of jieba {jieba.__version__} dict.txt (words of 2+ Han characters).\n"
        "# jieba: Copyright (c) 2013 Sun Junyi, MIT licence. One line per tag: TAG<TAB>word word ...\n"
    )
    body = "".join(f"{tag}\t{' '.join(sorted(words))}\n" for tag, words in sorted(by_tag.items()))
    target = out or str(resources.files("storyloom.resources").joinpath("themes", POS_TABLE))
    with open(target, "wb") as fh:
        fh.write(gzip.compress((head + body).encode("utf-8"), compresslevel=9, mtime=0))
    return target


def _textrank(edges: dict[str, dict[str, float]]) -> dict[str, float]:
    """Weighted PageRank on an undirected co-occurrence graph (jieba.analyse.textrank's)."""
    nodes = sorted(edges)  # sorted: a stable iteration order, as in jieba
    if not nodes:
        return {}
    out_sum = {n: sum(edges[n].values()) for n in nodes}
    ws = dict.fromkeys(nodes, 1.0 / len(nodes))
    d = TEXTRANK_DAMPING
    for _ in range(TEXTRANK_SWEEPS):
        for n in nodes:
            ws[n] = (1 - d) + d * sum(w / out_sum[m] * ws[m] for m, w in sorted(edges[n].items()))
    return ws


# --- Chinese ---------------------------------------------------------------

def _zh_candidate(
    tok: Token, stop: frozenset[str], tags: dict[str, str], freq: dict[str, int]
) -> float:
    """POS weight of a Chinese candidate word, or 0.0 when it is not a candidate."""
    norm = tok.norm
    if tok.is_punct or len(norm) < 2 or not _HAN_ONLY.match(norm):
        return 0.0
    if norm in stop or _ZH_NUMERIC.match(norm):
        return 0.0
    tag = tags.get(norm)
    if tag is not None:
        return ZH_POS_WEIGHT.get(tag, 0.0)
    if freq.get(norm):
        return 1.0  # a dictionary noun (or a user-dictionary word)
    if norm[0] in _ZH_BAD_START or norm[-1] in _ZH_BAD_END:
        return 0.0
    return ZH_UNKNOWN_POS_WEIGHT


def _zh_scores(sentences: list[Sentence]) -> tuple[dict[str, float], Counter[str], dict[str, str]]:
    """Blended TF-IDF/TextRank scores (max 1.0) by norm, counts, and display forms."""
    freq, log_total, tags = _ZhTables.get()
    stop = zh_stopwords()
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    pos_w: dict[str, float] = {}
    edges: dict[str, dict[str, float]] = {}
    for s in sentences:
        seq: list[str] = []
        for tok in s.tokens:
            w = _zh_candidate(tok, stop, tags, freq)
            if w <= 0.0:
                continue
            norm = tok.norm
            counts[norm] += 1
            forms.setdefault(norm, Counter())[tok.text] += 1
            pos_w[norm] = w
            seq.append(norm)
        for i, a in enumerate(seq):
            for b in seq[i + 1 : i + ZH_WINDOW]:
                if a != b:
                    ea = edges.setdefault(a, {})
                    eb = edges.setdefault(b, {})
                    ea[b] = ea.get(b, 0.0) + 1.0
                    eb[a] = eb.get(a, 0.0) + 1.0
    if not counts:
        return {}, counts, {}

    def idf(word: str) -> float:
        f = freq.get(word)
        return min(ZH_IDF_CAP, log_total - math.log(f)) if f else ZH_UNKNOWN_IDF

    tfidf = {w: n * idf(w) * pos_w[w] for w, n in counts.items()}
    top_tfidf = max(tfidf.values())
    rank = _textrank(edges)
    # TextRank gives isolated words nothing; they keep their TF-IDF share only.
    top_rank = max(rank.values(), default=0.0)
    scores: dict[str, float] = {}
    for w, v in tfidf.items():
        tr = rank.get(w, 0.0) / top_rank if top_rank > 0 else 0.0
        scores[w] = ZH_TFIDF_SHARE * v / top_tfidf + ZH_TEXTRANK_SHARE * tr * pos_w[w]
    best = max(scores.values())
    scores = {w: v / best for w, v in scores.items()}
    display = {
        norm: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for norm, c in forms.items()
    }
    return scores, counts, display


# --- English ---------------------------------------------------------------

def _load_yake():
    try:
        import yake
    except ImportError:
        raise ResourceMissing(
            "English keywords need the 'yake' package: pip install yake==0.7.3"
        ) from None
    return yake


def _en_scores(sentences: list[Sentence]) -> tuple[dict[str, float], Counter[str], dict[str, str]]:
    """YAKE-based scores (max 1.0) by lower-case term, counts, and display forms."""
    stop = en_stopwords()
    words = [t for s in sentences for t in s.tokens if not t.is_punct]
    if not words:
        return {}, Counter(), {}
    # Counts of every 1- and 2-word sequence inside a sentence (lower case).
    # ``forms`` records how each word was written away from a sentence start,
    # where a capital means a name ("Max", "New York") rather than grammar.
    grams: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for s in sentences:
        seq = [t for t in s.tokens if not t.is_punct]
        for i, t in enumerate(seq):
            grams[t.norm] += 1
            if i > 0:
                forms.setdefault(t.norm, Counter())[t.text] += 1
            if i + 1 < len(seq):
                grams[f"{t.norm} {seq[i + 1].norm}"] += 1
    yake = _load_yake()
    text = " ".join(s.text for s in sentences)
    extractor = yake.KeywordExtractor(
        lan="en", n=EN_MAX_WORDS, dedup_lim=0.9, top=60, stopwords=set(stop)
    )
    raw = extractor.extract_keywords(text)
    kept: list[tuple[str, float]] = []
    for term, score in raw:
        key = " ".join(term.lower().replace("’", "'").split())
        parts = key.split(" ")
        if any(p in stop or not _EN_WORD.match(p) for p in parts):
            continue
        if len(parts) == 1 and (parts[0] in _EN_WEAK or _verb_form(parts[0])):
            continue
        if len(parts) == 2 and (parts[1] in _EN_WEAK or parts[1].endswith(("ing", "ed", "ly"))):
            continue  # "tricycle loaded", "grandmother pushing": a noun plus a verb form
        if grams.get(key, 0) == 0:
            continue
        if len(parts) == 2 and len({_display_en(p, forms.get(p))[:1].isupper() for p in parts}) > 1:
            continue  # a name next to an ordinary word ("Sam read", "friend Max") is not a phrase
        kept.append((key, float(score)))
    # YAKE: lower is better.  Weight = best score / score, so the best is 1.0.
    kept.sort(key=lambda kv: (kv[1], kv[0]))
    scores: dict[str, float] = {}
    in_phrase: set[str] = set()
    for key, score in kept:
        if key in scores:
            continue
        parts = key.split(" ")
        if len(parts) == 1 and key in in_phrase:
            continue  # "tricycle" after the stronger "heavy tricycle"
        best = kept[0][1]
        scores[key] = best / score if score > 0 else 1.0
        if len(parts) > 1:
            in_phrase.update(parts)
    display = {key: " ".join(_display_en(p, forms.get(p)) for p in key.split(" ")) for key in scores}
    counts = Counter({key: grams[key] for key in scores})
    return scores, counts, display


def _verb_form(word: str) -> bool:
    """A single word that is most likely a verb form ("loaded", "pushing")."""
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return True
    return len(word) > 5 and word.endswith("ing") and word not in _EN_ING_NOUNS


def _display_en(word: str, variants: Counter[str] | None) -> str:
    """Lower case, unless every mid-sentence use is capitalised (a name: "Paris", "Max")."""
    if variants and all(v[:1].isupper() for v in variants):
        return sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return word


# --- public ------------------------------------------------------------------

def extract_keywords(doc: Document, k: int = 10) -> list[Keyword]:
    """The ``k`` most characteristic words or short phrases of ``doc``.

    Args:
        doc: a prepared :class:`Document`.
        k: how many keywords at most (``k <= 0`` gives ``[]``).

    Returns:
        Keywords strongest first; ``weight`` in [0, 1] with the best at 1.0,
        ``count`` the number of occurrences, ``term`` in the writer's script.
    """
    if k <= 0:
        return []
    zh_sents = [s for s in doc.sentences if s.language is Language.zh]
    en_sents = [s for s in doc.sentences if s.language is not Language.zh]
    parts: list[tuple[dict[str, float], Counter[str], dict[str, str], int]] = []
    if zh_sents:
        scores, counts, display = _zh_scores(zh_sents)
        parts.append((scores, counts, display, sum(len(s.words) for s in zh_sents)))
    if en_sents:
        scores, counts, display = _en_scores(en_sents)
        parts.append((scores, counts, display, sum(len(s.words) for s in en_sents)))
    biggest = max((n for *_, n in parts), default=0)
    merged: dict[str, tuple[float, int]] = {}
    for scores, counts, display, n_words in parts:
        share = n_words / biggest if biggest else 0.0
        for key, w in scores.items():
            term = display.get(key, key)
            weight = w * share
            if term not in merged or merged[term][0] < weight:
                merged[term] = (weight, counts[key])
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k]
    return [Keyword(term=t, weight=round(min(1.0, max(0.0, w)), 4), count=n) for t, (w, n) in ranked]


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print("wrote", build_pos_table())
