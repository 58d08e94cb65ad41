"""Feature extraction for the trained affect models (numpy + scipy only).

A text becomes one sparse row:

* hashed n-grams (``zlib.crc32`` of the feature string, so hashing does not
  depend on ``PYTHONHASHSEED``): Chinese = character 1–3-grams of each
  sentence's normalised (Simplified, lower-cased) tokens with sentence
  boundary marks; English = lower-cased word unigrams + bigrams;
* a few dense lexicon features read from :func:`storyloom.affect.cues.sentence_cues`
  (after negation / degree / contrast rules): positive and negative cue
  polarity, per-emotion cue strength, negations, exclamations, questions,
  mean cue valence / arousal.  They occupy the last :data:`N_LEX` columns.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from ..errors import StoryLoomError

EMOTIONS8 = ("joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral")
LEX_NAMES = ("pos", "neg", *(f"emo_{e}" for e in EMOTIONS8[:7]), "negations", "exclam",
             "question", "valence", "arousal", "n_cues", "bias")
N_LEX = len(LEX_NAMES)
_EMO_INDEX = {e: i for i, e in enumerate(EMOTIONS8[:7])}
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]|[^\sa-z0-9]", re.I)


def _slog(x: float) -> float:
    return math.copysign(math.log1p(abs(x)), x)


def _lex_vector(sentences) -> list[float]:
    from .cues import sentence_cues

    v = [0.0] * N_LEX
    vs: list[float] = []
    ars: list[float] = []
    for s in sentences:
        try:
            sc = sentence_cues(s)
        except Exception:  # a lexicon rule must never break a prediction
            continue
        for c in sc.cues:
            p = c.polarity * c.weight
            if p > 0:
                v[0] += p
            elif p < 0:
                v[1] += -p
            if c.emotion in _EMO_INDEX:
                v[2 + _EMO_INDEX[c.emotion]] += c.strength * c.weight
            if c.negated:
                v[9] += 1
            if c.valence is not None:
                vs.append(c.valence - 5.0)
            if c.arousal is not None:
                ars.append(c.arousal - 5.0)
            v[14] += 1
        v[10] += sc.exclamations
        v[11] += 1.0 if sc.question else 0.0
    v[12] = sum(vs) / len(vs) if vs else 0.0
    v[13] = sum(ars) / len(ars) if ars else 0.0
    v = [_slog(x) for x in v]
    v[15] = 1.0
    return v


def _zh_grams(strings: Sequence[str], nmax: int, words: Sequence[str]) -> list[str]:
    out: list[str] = []
    for s in strings:
        s = "\x02" + s + "\x03"
        n = len(s)
        for k in range(1, nmax + 1):
            pre = "c%d" % k
            for i in range(n - k + 1):
                g = s[i:i + k]
                if k == 1 and (g == "\x02" or g == "\x03"):
                    continue
                out.append(pre + g)
    out.extend("w" + w for w in words)
    return out


def _en_grams(sent_words: Sequence[Sequence[str]], nmax: int) -> list[str]:
    out: list[str] = []
    for ws in sent_words:
        seq = ["<s>", *ws, "</s>"]
        out.extend("u" + w for w in ws)
        if nmax >= 2:
            out.extend("b" + a + " " + b for a, b in zip(seq, seq[1:]))
    return out


def analyse_text(text: str, language: str, cfg: dict) -> tuple[list[str], list[float]]:
    """Feature strings and the dense lexicon vector of one text."""
    from ..text import prepare

    sentences = ()
    try:
        doc = prepare(text, lang=language, max_chars=1_000_000)
        sentences = doc.sentences
    except StoryLoomError:
        pass
    except Exception:  # pragma: no cover - defensive: fall back to raw text
        pass
    if language == "zh":
        if sentences:
            strings = ["".join(t.norm for t in s.tokens) for s in sentences]
            words = [t.norm for s in sentences for t in s.tokens if not t.is_punct and len(t.norm) > 1] \
                if cfg.get("zh_words") else []
        else:
            strings = [text.strip().lower()]
            words = []
        feats = _zh_grams(strings, cfg.get("ngram", 3), words)
    else:
        if sentences:
            sw = [[t.norm for t in s.tokens] for s in sentences]
        else:
            sw = [_WORD_RE.findall(text.lower())]
        feats = _en_grams(sw, cfg.get("ngram", 2))
    lex = _lex_vector(sentences) if cfg.get("lex", True) else [0.0] * (N_LEX - 1) + [1.0]
    return feats, lex


def featurize(texts: Sequence[str], language: str, cfg: dict,
              progress: Callable[[str, float], None] | None = None) -> sparse.csr_matrix:
    """Raw hashed counts (n, dim) + lexicon columns (n, N_LEX), as CSR float32.

    Use :func:`transform` to turn it into model input.
    """
    dim = int(cfg["dim"])
    mask = dim - 1
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    crc = zlib.crc32
    n = len(texts)
    step = max(1, n // 50)
    for r, text in enumerate(texts):
        feats, lex = analyse_text(text, language, cfg)
        counts: dict[int, int] = {}
        for f in feats:
            h = crc(f.encode("utf-8")) & mask
            counts[h] = counts.get(h, 0) + 1
        indices.extend(counts.keys())
        data.extend(counts.values())
        for j, x in enumerate(lex):
            if x != 0.0:
                indices.append(dim + j)
                data.append(x)
        indptr.append(len(indices))
        if progress is not None and (r % step == 0):
            progress("features", r / max(n, 1))
    m = sparse.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(n, dim + N_LEX))
    m.sum_duplicates()
    return m


def transform(raw: sparse.csr_matrix, cfg: dict, nb: np.ndarray | None = None) -> sparse.csr_matrix:
    """Binary / log n-gram values, optional NB ratio scaling, row L2 normalisation; lexicon columns scaled."""
    dim = int(cfg["dim"])
    x = raw.tocsr().copy()
    cols = x.indices
    is_gram = cols < dim
    vals = x.data
    if cfg.get("binary", True):
        vals[is_gram] = 1.0
    else:
        vals[is_gram] = np.log1p(vals[is_gram])
    if nb is not None:
        vals[is_gram] *= nb[cols[is_gram]]
    if cfg.get("l2norm", True):
        sq = np.where(is_gram, vals * vals, 0.0)
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        norms = np.sqrt(np.bincount(rows, weights=sq, minlength=x.shape[0]))
        norms[norms == 0] = 1.0
        vals[is_gram] /= norms[rows[is_gram]]
    vals[~is_gram] *= float(cfg.get("lex_scale", 0.3))
    x.data = vals.astype(np.float32)
    return x
