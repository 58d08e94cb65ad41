"""English valence/arousal word model (trained on EmoBank, see MODEL_CARD.md).

The model is a table ``word -> (valence, arousal, weight)`` on the 1–9 scale
(5 = neutral).  A sentence's prediction is the weighted average of its known
words' values, shrunk toward :data:`PRIOR`::

    valence = (K * PRIOR_v + U * n_unknown * PRIOR_v + sum(w * v)) /
              (K + U * n_unknown + sum(w))

where ``K`` (prior weight) and ``U`` (weight of each unknown word) are stored
with the model.  Arousal is computed the same way with the same weights.

The model has no negation or degree handling: negators ("not", "never",
"don't", ...) and intensifiers ("very", "so", ...) were deliberately kept out
of the vocabulary so that the runtime's rules can treat them without double
counting.

Only the standard library is needed at runtime.  The JSON file is read once,
lazily, through :mod:`importlib.resources`, so it works from an installed
wheel.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "PRIOR",
    "EnVaModel",
    "load_model",
    "tokenize",
    "word_va",
    "predict",
    "resolve",
    "NEGATORS",
    "INTENSIFIERS",
    "EXCLUDED",
    "excluded",
]

#: Neutral prior (valence, arousal) on the 1–9 scale: the EmoBank training-set
#: means mapped with x9 = 1 + (x5 - 1) * 2.  Must equal ``prior`` in en_va.json
#: (checked by tests/test_en_va.py; scripts/train_en_va.py writes the same
#: values).
PRIOR: tuple[float, float] = (4.957, 5.088)

_RESOURCE = ("resources", "en_va", "en_va.json")

# --------------------------------------------------------------------------
# Tokenizer (shared by training and runtime)
# --------------------------------------------------------------------------

# Letters (any script), optionally joined by apostrophes ("don't", "o'clock",
# "dog's"), or numbers.  Hyphens, punctuation and other symbols split words.
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'", "`": "'"})


def tokenize(text: str) -> list[str]:
    """Split English text into lower-cased word tokens.

    Contractions and possessives stay one token ("don't", "dog's"); curly
    apostrophes are normalised to ``'``; hyphenated words are split
    ("well-being" -> "well", "being"); punctuation is dropped.
    """
    return _TOKEN_RE.findall(text.translate(_APOSTROPHES).lower())


# --------------------------------------------------------------------------
# Words kept out of the model (handled by the runtime's rules)
# --------------------------------------------------------------------------

NEGATORS: frozenset[str] = frozenset(
    """not no never nor neither none nobody nothing nowhere without cannot
    ain't aint dont cant wont isnt wasnt arent werent didnt doesnt hasnt
    havent hadnt couldnt shouldnt wouldnt mustnt neednt""".split()
)

INTENSIFIERS: frozenset[str] = frozenset(
    """very so too really extremely quite rather somewhat slightly barely
    hardly scarcely totally completely absolutely utterly highly incredibly
    especially particularly truly deeply fairly most more less least""".split()
)


#: Every word the model deliberately has no entry for (besides ``n't`` forms).
EXCLUDED: frozenset[str] = NEGATORS | INTENSIFIERS


def excluded(word: str) -> bool:
    """True for negators/intensifiers, which the model leaves to the rules."""
    return word in EXCLUDED or word.endswith("n't")


# --------------------------------------------------------------------------
# Look-up with light de-inflection fallback
# --------------------------------------------------------------------------

_VOWELS = frozenset("aeiou")


def _candidates(word: str) -> list[str]:
    """Base forms to try, in order, when ``word`` itself is not in the table."""
    out: list[str] = []
    w = word
    if w.endswith("'s") and len(w) > 3:
        w = w[:-2]
        out.append(w)
    n = len(w)

    def add(stem: str) -> None:
        if len(stem) >= 3 and stem not in out:
            out.append(stem)

    if n >= 5 and w.endswith("iest"):
        add(w[:-4] + "y")
    if n >= 4 and w.endswith("ier"):
        add(w[:-3] + "y")
    if n >= 5 and w.endswith("ily"):
        add(w[:-3] + "y")
    if n >= 4 and w.endswith("ly"):
        add(w[:-2])
        add(w[:-2] + "le")  # gently -> gentle
    if n >= 4 and w.endswith("ies"):
        add(w[:-3] + "y")
    if n >= 4 and w.endswith("ied"):
        add(w[:-3] + "y")
    if n >= 4 and w.endswith("es"):
        add(w[:-2])
    if n >= 4 and w.endswith("s") and not w.endswith("ss"):
        add(w[:-1])
    for suffix in ("ed", "ing"):
        if n >= len(suffix) + 3 and w.endswith(suffix):
            stem = w[: -len(suffix)]
            add(stem)
            add(stem + "e")  # loved -> love, smiling -> smile
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                add(stem[:-1])  # stopped -> stop, running -> run
    return out


def resolve(word: str, table) -> str | None:
    """The key of ``table`` that ``word`` (lower-case) maps to, or None.

    Exact match first; then the possessive/de-inflection fallbacks.  Used by
    both the runtime and the training script, so they agree on every token.
    """
    if word in table:
        return word
    if excluded(word):
        return None
    for cand in _candidates(word):
        if cand in table:
            return cand
    return None


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class EnVaModel:
    """The loaded model.  ``words`` maps word -> (valence, arousal, weight)."""

    version: str
    prior: tuple[float, float]
    prior_weight: float
    unknown_weight: float
    words: dict[str, tuple[float, float, float]]
    # per-token resolution cache: token -> triple | None (unknown word) | False (not a word)
    _cache: dict


def _read_json() -> dict:
    ref = resources.files("storyloom")
    for part in _RESOURCE:
        ref = ref / part
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        from ..errors import ResourceMissing

        raise ResourceMissing(
            "The English valence–arousal model (storyloom/resources/en_va/en_va.json) is missing from "
            "this installation; reinstall StoryLoom, or rebuild it with scripts/train_en_va.py."
        ) from None


@lru_cache(maxsize=1)
def load_model() -> EnVaModel:
    """Load ``resources/en_va/en_va.json`` once."""
    data = _read_json()
    words = {w: (float(v[0]), float(v[1]), float(v[2])) for w, v in data["words"].items()}
    prior = data["prior"]
    return EnVaModel(
        version=str(data["version"]),
        prior=(float(prior["valence"]), float(prior["arousal"])),
        prior_weight=float(data["prior_weight"]),
        unknown_weight=float(data["unknown_weight"]),
        words=words,
        _cache={},
    )


_CACHE_LIMIT = 200_000
_MISS = object()


def _entry(model: EnVaModel, token: str):
    cache = model._cache
    hit = cache.get(token, _MISS)
    if hit is not _MISS:
        return hit
    word = token.translate(_APOSTROPHES).lower()
    if not word or not (word[0].isalnum()):
        value = False
    else:
        key = resolve(word, model.words)
        value = model.words[key] if key is not None else None
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[token] = value
    return value


def word_va(word: str) -> tuple[float, float, float] | None:
    """(valence, arousal, weight) of a word on the 1–9 scale, or None.

    Falls back to the base form for possessives ('s) and simple inflections
    (-s, -es, -ed, -ing, -ly, -ier, ...) when the exact word is missing.
    Negators and intensifiers always return None.
    """
    value = _entry(load_model(), word)
    return value or None


def predict(tokens: list[str]) -> tuple[float, float, float]:
    """(valence, arousal, coverage) of a tokenised sentence.

    Valence and arousal are on the 1–9 scale.  ``coverage`` in [0, 1] is the
    share of the prediction's total weight that comes from known words:
    0 when no word is known (the result is then exactly :data:`PRIOR`),
    approaching 1 when the sentence has many confident words.  Tokens that
    are not words (punctuation) are ignored; unknown words pull the result
    toward the prior with the model's ``unknown_weight`` each.
    """
    model = load_model()
    cache = model._cache
    sv = sa = sw = 0.0
    n_unknown = 0
    for tok in tokens:
        hit = cache.get(tok, _MISS)
        if hit is _MISS:
            hit = _entry(model, tok)
        if hit:
            w = hit[2]
            sv += w * hit[0]
            sa += w * hit[1]
            sw += w
        elif hit is None:
            n_unknown += 1
    pv, pa = model.prior
    if sw == 0.0:
        return pv, pa, 0.0
    k = model.prior_weight + model.unknown_weight * n_unknown
    den = k + sw
    return (k * pv + sv) / den, (k * pa + sa) / den, sw / den
