"""Tests for bench/datasets.py (fixed splits) and bench/metrics.py.

Dataset tests are skipped when the shared data directory ($STORYLOOM_DATA or
<repo>/../shared/data) is absent; the metric tests always run.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import datasets as D  # noqa: E402
from bench import metrics as M  # noqa: E402

OWN_SPLIT = ("chnsenticorp", "waimai", "online_shopping", "nlpcc_weibo")
STATS_FILE = {
    "chnsenticorp": "ChnSentiCorp_htl_all/STATS.md",
    "waimai": "waimai_10k/STATS.md",
    "online_shopping": "online_shopping_10_cats/STATS.md",
    "nlpcc_weibo": "NLPCC_weibo_emotion_sentences/STATS.md",
}

needs_data = pytest.mark.skipif(not D.available(), reason=f"shared data not found at {D.data_dir()}")

_CACHE: dict[str, D.Split] = {}


def split_of(name: str) -> D.Split:
    if not D.available(name):
        pytest.skip(f"{name} not in {D.data_dir()}")
    if name not in _CACHE:
        _CACHE[name] = D.load(name)
    return _CACHE[name]


def _fingerprint(split: D.Split) -> str:
    h = hashlib.sha256()
    for p in D.PARTS:
        for ex in split.part(p):
            h.update(f"{p}|{ex.id}|{ex.label}\n".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- splits


@needs_data
@pytest.mark.parametrize("name", OWN_SPLIT + ("goemotions", "emobank", "cped"))
def test_split_is_deterministic(name: str) -> None:
    assert _fingerprint(split_of(name)) == _fingerprint(D.load(name))


@needs_data
def test_split_does_not_depend_on_hash_seed() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from bench import datasets as D; import hashlib\n"
        "for n in ('waimai', 'nlpcc_weibo'):\n"
        "    s = D.load(n); h = hashlib.sha256()\n"
        "    for p in D.PARTS:\n"
        "        for ex in s.part(p): h.update(f'{p}|{ex.id}|{ex.label}\\n'.encode())\n"
        "    print(h.hexdigest())\n"
    )
    expected = [_fingerprint(split_of("waimai")), _fingerprint(split_of("nlpcc_weibo"))]
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, str(REPO)], env=env, capture_output=True,
                             text=True, check=True).stdout.split()
        assert out == expected, f"split changed under PYTHONHASHSEED={seed}"


@needs_data
@pytest.mark.parametrize("name", OWN_SPLIT + ("goemotions", "emobank", "cped"))
def test_parts_are_disjoint(name: str) -> None:
    s = split_of(name)
    ids = {p: [ex.id for ex in s.part(p)] for p in D.PARTS}
    for p in D.PARTS:
        assert len(ids[p]) == len(set(ids[p])), f"duplicate ids in {p}"
    assert not set(ids["train"]) & set(ids["dev"])
    assert not set(ids["train"]) & set(ids["test"])
    assert not set(ids["dev"]) & set(ids["test"])
    if name in OWN_SPLIT:  # our own splits keep identical texts together
        keys = {p: {D.text_key(ex.text) for ex in s.part(p)} for p in D.PARTS}
        assert not keys["train"] & keys["test"]
        assert not keys["train"] & keys["dev"]
        assert not keys["dev"] & keys["test"]
    if name == "cped":  # ... and CPED dialogues together
        dia = {p: {ex.meta["dialogue"] for ex in s.part(p)} for p in D.PARTS}
        assert not dia["train"] & dia["test"] and not dia["train"] & dia["dev"] and not dia["dev"] & dia["test"]


@needs_data
@pytest.mark.parametrize("name", OWN_SPLIT)
def test_splits_are_stratified_80_10_10(name: str) -> None:
    s = split_of(name)
    overall = Counter(ex.label for ex in s.all())
    total = len(s)
    for p, frac in zip(D.PARTS, D.FRACTIONS):
        part = s.part(p)
        assert abs(len(part) / total - frac) < 0.005, (p, len(part), total)
        c = Counter(ex.label for ex in part)
        assert set(c) == set(overall)
        for lab in overall:
            share_all = overall[lab] / total
            share_part = c[lab] / len(part)
            assert abs(share_all - share_part) <= 0.02, (p, lab, share_all, share_part)


def _stats_rows(rel: str) -> int:
    text = (D.data_dir() / rel).read_text(encoding="utf-8")
    return int(re.search(r"^rows:\s*(\d+)", text, re.M).group(1))


def _nonempty_rows(path: Path, text_col: int, header: bool = True) -> int:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if header:
        rows = rows[1:]
    return sum(1 for r in rows if r[text_col].replace("\ufeff", "").strip())


@needs_data
@pytest.mark.parametrize("name", OWN_SPLIT)
def test_sizes_add_up_to_dataset(name: str) -> None:
    s = split_of(name)
    assert len(s.train) + len(s.dev) + len(s.test) == len(s) == _stats_rows(STATS_FILE[name])
    path = Path(s.info["source"])
    n = _nonempty_rows(path, -1, header=(name != "nlpcc_weibo"))
    assert len(s) == n
    assert s.info["rows_read"] - s.info["dropped_empty"] == len(s)
    assert all(ex.text and ex.text == ex.text.strip() and "\ufeff" not in ex.text for ex in s.all())


@needs_data
def test_known_empty_rows_are_dropped() -> None:
    assert split_of("chnsenticorp").info["dropped_empty"] == 1
    assert split_of("online_shopping").info["dropped_empty"] == 1
    assert split_of("waimai").info["dropped_empty"] == 0


@needs_data
def test_polarity_labels() -> None:
    for name, pos in (("chnsenticorp", 5322), ("waimai", 4000), ("online_shopping", 31727)):
        c = Counter(ex.label for ex in split_of(name).all())
        assert set(c) == {"positive", "negative"}
        assert c["positive"] == pos


@needs_data
def test_nlpcc_labels_are_mapped() -> None:
    s = split_of("nlpcc_weibo")
    c = Counter(ex.label for ex in s.all())
    assert set(c) == set(D.EMOTIONS7)
    raw = Counter(ex.labels[0] for ex in s.all())
    assert c["love"] == raw["like"] and c["joy"] == raw["happiness"]


def test_nlpcc_map_accepts_chinese_names() -> None:
    for zh, ours in (("喜好", "love"), ("高兴", "joy"), ("悲伤", "sadness"), ("愤怒", "anger"),
                     ("恐惧", "fear"), ("厌恶", "disgust"), ("惊讶", "surprise")):
        assert D.NLPCC_MAP[zh] == ours


# --------------------------------------------------------------------------- GoEmotions / EmoBank / CPED


@needs_data
def test_goemotions_mapping_covers_all_28_labels() -> None:
    names = D.goemotion_names()
    assert len(names) == 28 and "neutral" in names
    assert set(names) == set(D.GOEMOTIONS_MAP)
    assert set(D.GOEMOTIONS_MAP.values()) == set(D.EMOTIONS)


def test_goemotions_mapping_is_the_documented_one() -> None:
    assert len(D.GOEMOTIONS_MAP) == 28
    inverse: dict[str, set[str]] = {}
    for k, v in D.GOEMOTIONS_MAP.items():
        inverse.setdefault(v, set()).add(k)
    assert inverse["joy"] == {"amusement", "excitement", "joy", "optimism", "pride", "relief"}
    assert inverse["love"] == {"admiration", "love", "gratitude", "caring", "approval", "desire"}
    assert inverse["sadness"] == {"sadness", "grief", "disappointment", "remorse"}
    assert inverse["anger"] == {"anger", "annoyance", "disapproval"}
    assert inverse["fear"] == {"fear", "nervousness"}
    assert inverse["disgust"] == {"disgust", "embarrassment"}
    assert inverse["surprise"] == {"surprise", "realization", "confusion", "curiosity"}
    assert inverse["neutral"] == {"neutral"}
    assert D.map_goemotions(["joy", "optimism"]) == "joy"
    assert D.map_goemotions(["joy", "anger"]) is None


@needs_data
def test_goemotions_uses_official_split_single_label() -> None:
    s = split_of("goemotions")
    for p in D.PARTS:
        dropped = s.info["dropped_multiclass"][p]
        assert len(s.part(p)) + dropped == s.info["rows_read"][p]
    assert s.info["rows_read"] == {"train": 43410, "dev": 5426, "test": 5427}
    for ex in s.all():
        assert ex.label in D.EMOTIONS
        assert {D.GOEMOTIONS_MAP[n] for n in ex.labels} == {ex.label}


@needs_data
def test_emobank_split_and_scale() -> None:
    s = split_of("emobank")
    assert s.sizes() == {"train": 8062, "dev": 1000, "test": 1000}
    for ex in s.all():
        assert 1.0 <= ex.valence <= 9.0 and 1.0 <= ex.arousal <= 9.0
        assert math.isclose(ex.valence, 1 + (ex.meta["V"] - 1) * 2)
        assert math.isclose(ex.arousal, 1 + (ex.meta["A"] - 1) * 2)
    assert any(ex.text == "None" for ex in s.all()), "the literal text 'None' must stay text"


@needs_data
def test_cped_sentiment_labels() -> None:
    s = split_of("cped")
    assert {ex.label for ex in s.all()} == {"positive", "negative", "neutral"}
    assert {ex.meta["emotion"] for ex in s.all()} <= set(D.CPED_EMOTION_MAP)


# --------------------------------------------------------------------------- metrics


def test_accuracy() -> None:
    assert M.accuracy(["a", "b", "c", "d"], ["a", "b", "x", "x"]) == 0.5
    with pytest.raises(ValueError):
        M.accuracy(["a"], ["a", "b"])


def test_macro_f1_hand_computed() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["a", "a", "b", "b", "c", "c"]
    # a: P=2/2 R=2/3 F1=0.8 | b: P=1/2 R=1/2 F1=0.5 | c: P=1/2 R=1/1 F1=2/3  -> mean 59/90
    assert math.isclose(M.macro_f1(gold, pred), 59 / 90)
    scores = {s.label: s for s in M.per_class(gold, pred)}
    assert math.isclose(scores["a"].f1, 0.8) and math.isclose(scores["c"].f1, 2 / 3)
    assert scores["b"].support == 2 and scores["c"].predicted == 2


def test_macro_f1_prediction_outside_label_set_is_a_miss() -> None:
    # "neutral" is not one of the scored classes but still costs recall of "x"
    assert math.isclose(M.macro_f1(["x", "y"], ["neutral", "y"], labels=["x", "y"]), 0.5)
    # a listed class never seen anywhere scores 0 and pulls the average down
    assert math.isclose(M.macro_f1(["y"], ["y"], labels=["x", "y"]), 0.5)


def test_confusion_matrix_rows_gold_cols_pred() -> None:
    gold = ["a", "a", "b", "b", "b"]
    pred = ["a", "b", "b", "b", "n"]
    assert M.confusion_matrix(gold, pred, ["a", "b"], ["a", "b", "n"]) == [[1, 1, 0], [0, 2, 1]]
    assert M.confusion_matrix(gold, pred, ["a", "b"]) == [[1, 1], [0, 2]]
    text = M.format_confusion([[1, 1, 0], [0, 2, 1]], ["a", "b"], ["a", "b", "n"])
    assert text.splitlines()[1].split()[:4] == ["a", "1", "1", "0"]


def test_pearson_r_and_mae() -> None:
    x = [1, 2, 3, 4, 5]
    y = [2, 4, 5, 4, 5]
    assert math.isclose(M.pearson_r(x, y), 6 / math.sqrt(60))  # 0.7746
    assert math.isclose(M.pearson_r(x, [10, 8, 6, 4, 2]), -1.0)
    assert math.isnan(M.pearson_r(x, [3, 3, 3, 3, 3]))
    assert math.isnan(M.pearson_r([1], [2]))
    assert math.isclose(M.mae(x, y), (1 + 2 + 2 + 0 + 0) / 5)


# --------------------------------------------------------------------------- harness smoke tests


def test_story_grouping_lengths() -> None:
    from bench.throughput import group_by_chars, group_by_words

    texts = ["好" * n for n in (50, 120, 900, 30, 400, 260, 10, 700, 80)] * 20
    stories = group_by_chars(texts)
    assert stories and all(300 <= len(s) <= 800 for s in stories)
    words = [" ".join(["w"] * n) for n in (12, 40, 7, 90, 250, 33)] * 20
    en = group_by_words(words)
    assert en and all(100 <= len(s.split()) <= 200 for s in en)


@needs_data
def test_evaluate_harness_with_standin() -> None:
    from bench.evaluate import evaluate
    from bench.standin import analyze

    res = evaluate(analyze, ["waimai", "nlpcc_weibo", "goemotions", "emobank"], part="dev", limit=40,
                   loader=split_of)
    assert res["waimai"]["n"] == 40 and 0 <= res["waimai"]["accuracy"] <= 1
    assert len(res["nlpcc_weibo"]["confusion"]["matrix"]) == 7
    assert 0 <= res["goemotions"]["macro_f1"] <= 1
    assert -1 <= res["emobank"]["valence_r"] <= 1
