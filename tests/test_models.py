"""Trained affect models: storyloom.affect.model."""

from __future__ import annotations

import time

import numpy as np
import pytest

from storyloom.affect import model as M
from storyloom.errors import InvalidOption

POS_ZH = ["这家酒店干净又舒服", "服务很热情，下次还来", "味道很好，送得也快", "质量不错，很满意", "房间宽敞明亮，早餐丰富",
          "老板人很好，推荐", "物美价廉，值得购买", "环境优雅，非常喜欢", "包装精美，好评", "快递很快，东西很好用",
          "菜很新鲜，分量足", "性价比很高，满意"]
NEG_ZH = ["太难吃了，再也不来了", "房间很脏，服务态度差", "送餐太慢，菜都凉了", "质量很差，退货了", "隔音不好，吵得睡不着",
          "骗人的，千万别买", "味道很咸，难以下咽", "客服态度恶劣，失望", "东西坏了，没人管", "价格贵还不好吃",
          "床单有污渍，恶心", "等了两个小时，太差了"]
EN = [("I am so happy today", "joy"), ("What a wonderful surprise party, I loved it", "joy"),
      ("This is great fun, we laughed all day", "joy"), ("Thank you so much for your kindness", "love"),
      ("I really appreciate your help, thanks", "love"), ("I love my family dearly", "love"),
      ("I miss her so much, I cried all night", "sadness"), ("He died and I feel empty", "sadness"),
      ("So sad and lonely tonight", "sadness"), ("I am furious, this is outrageous", "anger"),
      ("Stop lying to me, I hate this", "anger"), ("That makes me so angry", "anger"),
      ("I am scared of the dark", "fear"), ("I'm terrified and nervous about tomorrow", "fear"),
      ("That was gross and disgusting", "disgust"), ("Ew, the smell is revolting", "disgust"),
      ("Wow, I did not expect that at all!", "surprise"), ("Really? That is shocking news", "surprise"),
      ("The meeting is at three", "neutral"), ("I took the bus to work", "neutral")]


@pytest.fixture(scope="module")
def tiny_zh():
    texts = POS_ZH + NEG_ZH
    labels = ["positive"] * len(POS_ZH) + ["negative"] * len(NEG_ZH)
    return M.train("polarity", "zh", texts, labels, config={"dim": 2 ** 12, "lam": 1e-3}), texts, labels


def test_tiny_model_learns_its_training_sentences(tiny_zh):
    m, texts, labels = tiny_zh
    assert m.predict(texts) == labels
    p = m.predict_proba(texts)
    assert p.shape == (len(texts), 2)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert m.labels == ["negative", "positive"]


def test_tiny_emotion_model_en():
    m = M.train("emotion", "en", [t for t, _ in EN], [y for _, y in EN], config={"dim": 2 ** 12, "lam": 1e-3})
    pred = m.predict([t for t, _ in EN])
    assert sum(p == y for p, (_, y) in zip(pred, EN)) >= len(EN) - 1


def test_training_is_deterministic(tiny_zh):
    m, texts, labels = tiny_zh
    m2 = M.train("polarity", "zh", texts, labels, config={"dim": 2 ** 12, "lam": 1e-3})
    assert np.array_equal(m.predict_proba(texts), m2.predict_proba(texts))


def test_save_load_round_trip(tiny_zh, tmp_path):
    m, texts, _ = tiny_zh
    m.save(tmp_path / "m")
    assert (tmp_path / "m" / "model.json").is_file() and (tmp_path / "m" / "weights.npz").is_file()
    m2 = M.AffectModel.load(tmp_path / "m")
    assert m2.task == "polarity" and m2.language == "zh" and m2.labels == m.labels
    assert np.array_equal(m.predict_proba(texts), m2.predict_proba(texts))


def test_regression_round_trip(tmp_path):
    texts = [t for t, _ in EN]
    y = [7.5 if lab in ("joy", "love") else 5.0 if lab == "neutral" else 2.5 for _, lab in EN]
    m = M.train("valence", "en", texts, y, config={"dim": 2 ** 12, "lam": 1e-4})
    s = m.predict_scores(texts)
    assert s.shape == (len(texts),) and np.all((s >= 1) & (s <= 9))
    assert np.corrcoef(s, y)[0, 1] > 0.9
    m.save(tmp_path / "v")
    assert np.array_equal(s, M.AffectModel.load(tmp_path / "v").predict_scores(texts))
    with pytest.raises(InvalidOption):
        m.predict_proba(texts)


def test_unknown_label_is_named():
    with pytest.raises(InvalidOption, match="happyish"):
        M.train("emotion", "en", ["a", "b"], ["joy", "happyish"])
    with pytest.raises(InvalidOption, match="mixed"):
        M.train("polarity", "zh", ["好", "坏"], ["positive", "mixed"])
    with pytest.raises(InvalidOption, match="high"):
        M.train("valence", "en", ["a", "b"], [5.0, "high"])


def test_fine_tune_from_init(tiny_zh):
    m, texts, labels = tiny_zh
    m2 = M.train("polarity", "zh", ["一般般吧，还行", "还可以，挺实惠", "不怎么样，一般", "有点失望"],
                 ["positive", "positive", "negative", "negative"], init=m)
    assert m2.labels == m.labels
    assert m2.meta["fine_tuned_from"]
    assert m2.predict(["太难吃了，再也不来了"]) == ["negative"]


def test_story_proba_log_odds_average(tiny_zh):
    m, _, _ = tiny_zh
    sents = ["房间很脏，服务态度差", "这家酒店干净又舒服"]
    p = M.story_proba(m, sents, [1.0, 3.0])
    assert p.shape == (2,) and abs(p.sum() - 1) < 1e-9
    assert m.labels[int(p.argmax())] == "positive"
    p2 = M.story_proba(m, sents, [3.0, 1.0])
    assert m.labels[int(p2.argmax())] == "negative"


@pytest.mark.parametrize("name", ["polarity-zh", "polarity-en", "emotion-zh", "emotion-en", "valence-en",
                                  "arousal-en"])
def test_shipped_models_load(name):
    task, lang = name.split("-")
    m = M.shipped(task, lang)
    if m is None:
        pytest.skip(f"{name} not shipped")
    assert m.task == task and m.language == lang
    assert M.shipped(task, lang) is m  # cached


def _top(m, text, k):
    p = m.predict_proba([text])[0]
    return [m.labels[i] for i in np.argsort(-p)[:k]]


def test_shipped_polarity_zh_obvious():
    m = M.shipped("polarity", "zh")
    if m is None:
        pytest.skip("not shipped")
    assert m.predict(["这家酒店干净又舒服，服务也很热情", "太难吃了，再也不来了"]) == ["positive", "negative"]


def test_shipped_emotions_obvious():
    en, zh = M.shipped("emotion", "en"), M.shipped("emotion", "zh")
    if en is None or zh is None:
        pytest.skip("not shipped")
    assert "love" in _top(en, "I am so grateful for your help", 2)
    assert "fear" in _top(zh, "我好害怕", 2)
    assert zh.predict_proba(["我好害怕"])[0][zh.labels.index("neutral")] == 0.0


def test_shipped_predict_100_sentences_fast():
    m = M.shipped("polarity", "zh")
    if m is None:
        pytest.skip("not shipped")
    sents = (POS_ZH + NEG_ZH) * 5
    sents = sents[:100]
    t0 = time.perf_counter()
    p = m.predict_proba(sents)
    assert p.shape == (100, 2)
    assert time.perf_counter() - t0 < 10.0  # generous sanity bound; real speed is in the model card
