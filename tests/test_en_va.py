"""Tests for the English valence/arousal word model (storyloom.affect.en_va)."""

from __future__ import annotations

import csv
import json
import math
import random
import timeit
from importlib import resources
from pathlib import Path

import pytest

from storyloom.affect import en_va
from storyloom.affect.en_va import PRIOR, predict, tokenize, word_va

REPO_ROOT = Path(__file__).resolve().parents[1]
EMOBANK = REPO_ROOT.parent / "shared" / "data" / "EmoBank" / "emobank.csv"


def va(text: str) -> tuple[float, float, float]:
    return predict(tokenize(text))


# ---------------------------------------------------------------- tokenizer


def test_tokenize_lowercases_and_keeps_contractions():
    assert tokenize("I Don't know, it's Tom's well-being!") == [
        "i", "don't", "know", "it's", "tom's", "well", "being",
    ]


def test_tokenize_normalises_curly_apostrophes_and_drops_punctuation():
    assert tokenize("She didn\u2019t cry \u2014 not once\u2026") == ["she", "didn't", "cry", "not", "once"]
    assert tokenize("...!?") == []


# ---------------------------------------------------------------- shipped file


def test_shipped_file_loads_and_is_small():
    ref = resources.files("storyloom") / "resources" / "en_va" / "en_va.json"
    raw = ref.read_bytes()
    assert len(raw) < 2 * 1024 * 1024
    data = json.loads(raw)
    assert data["scale"] == "1-9"
    assert len(data["words"]) > 5000
    model = en_va.load_model()
    assert len(model.words) == len(data["words"])
    for v, a, w in list(model.words.values())[:2000]:
        assert 1.0 <= v <= 9.0 and 1.0 <= a <= 9.0 and w > 0


def test_prior_constant_matches_file():
    model = en_va.load_model()
    assert math.isclose(model.prior[0], PRIOR[0], abs_tol=1e-6)
    assert math.isclose(model.prior[1], PRIOR[1], abs_tol=1e-6)
    assert 4.5 < PRIOR[0] < 5.5 and 4.5 < PRIOR[1] < 5.5


# ---------------------------------------------------------------- word look-up


def test_word_values_point_the_right_way():
    happy, sad = word_va("happy"), word_va("sad")
    assert happy is not None and sad is not None
    assert happy[0] > 6.0 > PRIOR[0] > 4.0 > sad[0]
    furious, calm = word_va("furious"), word_va("calm")
    assert furious is not None and calm is not None
    assert furious[1] > calm[1]


def test_resolve_fallbacks_on_a_toy_table():
    table = {"hug": 1, "love": 1, "happy": 1, "cry": 1, "stop": 1, "sad": 1, "story": 1, "box": 1, "gentle": 1}
    cases = {
        "hug": "hug", "hugs": "hug", "hugged": "hug", "hugging": "hug",
        "loved": "love", "loving": "love", "happier": "happy", "happiest": "happy",
        "happily": "happy", "cried": "cry", "cries": "cry", "stopped": "stop",
        "sadly": "sad", "stories": "story", "boxes": "box", "gently": "gentle",
        "story's": "story", "hug's": "hug", "unrelated": None, "dance": None,
    }
    for form, base in cases.items():
        assert en_va.resolve(form, table) == base, form
    # negators/intensifiers never resolve, even to a base form
    assert en_va.resolve("didn't", {"didn": 1, "did": 1}) is None
    assert en_va.resolve("extremely", {"extreme": 1}) is None


def test_word_va_fallbacks_on_the_shipped_model():
    words = en_va.load_model().words
    for form, base in [("dog's", "dog"), ("friend's", "friend"), ("lovelier", "lovely")]:
        assert form not in words and base in words
        assert word_va(form) == words[base]
    assert word_va("Happy") == word_va("happy") == words["happy"]
    assert word_va("qwzxv") is None


def test_negators_and_intensifiers_are_left_to_the_rules():
    for w in ["not", "never", "don't", "didn't", "very", "extremely", "so"]:
        assert word_va(w) is None, w


# ---------------------------------------------------------------- sentences


def test_happy_sentence_is_positive():
    v, _, cov = va("I am so happy and grateful today")
    assert v > 6.0
    assert cov > 0.5


def test_sad_sentence_is_negative():
    v, _, _ = va("My dog died and I cried all night")
    assert v < 4.0


def test_angry_sentence_is_more_aroused_than_calm_scene():
    _, a_hot, _ = va("I was furious and screaming")
    _, a_calm, _ = va("a quiet, calm afternoon by the lake")
    assert a_hot > a_calm + 0.5


def test_unknown_words_return_prior_with_zero_coverage():
    assert predict(["qwzxv", "blorptastic", "zzyzx"]) == (PRIOR[0], PRIOR[1], 0.0)
    assert predict([]) == (PRIOR[0], PRIOR[1], 0.0)
    assert predict(tokenize("!!! ...")) == (PRIOR[0], PRIOR[1], 0.0)


def test_few_known_words_are_shrunk_toward_the_prior():
    v1, _, c1 = predict(["happy"])
    v3, _, c3 = predict(["happy", "happy", "happy"])
    happy = word_va("happy")[0]
    assert PRIOR[0] < v1 < v3 < happy
    assert 0.0 < c1 < c3 < 1.0


def test_predict_is_fast():
    toks = tokenize("When I finally got home that night I hugged my mother and we both cried with relief and joy")
    toks = (toks + toks)[:20]
    predict(toks)  # warm the cache
    best = min(timeit.repeat(lambda: predict(toks), number=2000, repeat=5)) / 2000
    assert best < 50e-6, f"{best * 1e6:.1f} µs per call"


# ---------------------------------------------------------------- dev-set check


def _pearson(x: list[float], y: list[float]) -> float:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def test_dev_valence_correlation():
    if not EMOBANK.exists():
        pytest.skip(f"EmoBank not found at {EMOBANK}")
    with open(EMOBANK, newline="", encoding="utf-8") as fh:
        dev = [row for row in csv.DictReader(fh) if row["split"] == "dev"]
    sample = random.Random(300).sample(dev, 300)
    pred_v, gold_v = [], []
    for row in sample:
        v, _, _ = va(row["text"])
        pred_v.append(v)
        gold_v.append(1.0 + (float(row["V"]) - 1.0) * 2.0)
    r = _pearson(pred_v, gold_v)
    assert r >= 0.45, f"dev valence r = {r:.3f}"
