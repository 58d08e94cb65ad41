"""Style analysis on real text: point of view (narration only), rhythm, MTLD,
readability, dialogue, similes, sensory words, tense and the Boyd et al. arc."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, fields
from enum import Enum
from pathlib import Path

import pytest

from storyloom.analysis.style import NOTE_KEYS, POV, SENSES, Style, Tense, analyze_style
from storyloom.analysis._style_measures import mtld, mtld_pass
from storyloom.examples import EXAMPLES
from storyloom.text import prepare

DATA = Path(__file__).parent / "data" / "narratives_labelled.jsonl"
THEMES = {
    "family", "friendship", "love", "loss", "health", "work", "school", "travel", "home", "kindness",
    "conflict", "danger", "animals", "achievement", "loneliness", "change", "childhood", "nature",
}

ZH_FIRST = (
    "去年夏天，我第一次一个人坐火车去看外公。车厢里很挤，我抱着书包，一路都没敢睡。"
    "到站的时候，我远远就看见外公站在出站口，踮着脚朝我挥手。我跑过去，他接过我的书包，"
    "笑得眼睛都眯成了一条缝。那天晚上，我们坐在院子里吃西瓜，我觉得自己一下子长大了。"
)
ZH_SECOND = (
    "在一条灯火通明的街头，你遇到了一位推着三轮车的老人。你停下脚步，看见车上堆满了刚出炉的烤红薯，"
    "闻到一阵甜甜的香味。你掏出零钱买了两个，他连声道谢，把最大的那个塞进你手里。"
    "你捧着热乎乎的红薯往前走，忽然觉得这座城市没那么冷了。"
)
ZH_THIRD_GRANDMA = (
    "奶奶今年八十岁了，每天天不亮就起床，在院子里扫落叶。邻居劝她多休息，奶奶摆摆手说："
    "“我闲不住，我一躺下就浑身难受。”她把扫好的落叶堆在墙角，又去厨房给全家人熬粥。"
    "中午，孙子打来电话，奶奶对着话筒笑着说：“我身体好着呢，你们别惦记。”"
)
EN_DIARY = (
    "Monday, March 3. Today I finally told my boss that I was quitting. My hands were shaking the whole time. "
    "She listened quietly and then said she had seen it coming. I walked out of the building and "
    "bought myself an ice cream, even though it was freezing. I don't know what comes next, but I feel lighter."
)
EN_PAST = (
    "When I was ten, we moved to a farm outside the city. I hated it at first. The house was cold, "
    "the nights were too quiet, and I missed my friends. Then my father gave me a puppy. We walked "
    "the fields together every morning, and slowly the farm became home."
)
EN_PRESENT = (
    "I wake up before the alarm. The kitchen is dark and my sister is still asleep. I make coffee, "
    "open the window and listen to the birds. She comes downstairs at seven and smiles at me."
)


def style(text: str, lang: str | None = None) -> Style:
    return analyze_style(prepare(text, lang))


def load_labelled() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- point of view -------------------------------------------------------------------


def test_style_pov_zh_first_person() -> None:
    s = style(ZH_FIRST)
    assert s.pov is POV.first
    assert s.pov_counts["first"] >= 5
    assert 0.5 < s.pov_confidence <= 1


def test_style_pov_zh_second_person() -> None:
    s = style(ZH_SECOND)
    assert s.pov is POV.second
    assert s.pov_counts["second"] >= 4


def test_style_pov_dialogue_never_decides_zh() -> None:
    s = style(ZH_THIRD_GRANDMA)
    assert s.pov is POV.third
    assert s.pov_counts["first"] == 0  # every 我 is inside quotes
    assert s.pov_dialogue_counts["first"] >= 3


def test_style_pov_dialogue_never_decides_en() -> None:
    s = style('She said, "I will come back." She never did.')
    assert s.pov is POV.third
    assert s.pov_counts == {"first": 0.0, "second": 0.0, "third": 2.0}
    assert s.pov_dialogue_counts["first"] == 1


def test_style_pov_en_first_person_diary() -> None:
    assert style(EN_DIARY).pov is POV.first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unquoted speech after a colon, and a character's unquoted thought
        ("奶奶说：我不饿，你们先吃。她转身进了厨房。", "third"),
        ("她想，我一定要考上大学。她每天五点起床，一直学到深夜。", "third"),
        ("He thought, I am not good enough. He was wrong, and his mother knew it.", "third"),
        # the narrator's own thought stays narration
        ("我想，我应该早点回家。那天晚上下着雨。", "first"),
        # a first-person narrator telling about someone else
        ("我的奶奶是个裁缝。她每天早上五点起床，她做的衣服很漂亮，她从不抱怨。", "first"),
        # a letter: the narrator writes to "you"
        ("亲爱的妈妈：你还记得吗？那年冬天我发高烧，你背着我走了很远的山路。", "first"),
        # generic "you" in a first-person story
        ("You never forget your first love. I met her on a train. I was pretending not to look.", "first"),
        # names as subjects, no pronouns
        ("Maria walked to the market. Maria bought bread and milk.", "third"),
        ("小明放学回家。小明看见门口放着一个包裹。", "third"),
        # Chinese drops the subject: a diary with no pronoun is first person
        ("今天去了公园，看见很多花，开心极了。", "first"),
        ("You open the door. You see the sea for the first time, and you cannot speak.", "second"),
    ],
)
def test_style_pov_hard_cases(text: str, expected: str) -> None:
    assert style(text).pov.value == expected


def test_style_pov_accuracy_on_labelled_set() -> None:
    rows = load_labelled()
    right = sum(style(r["text"], r["lang"]).pov.value == r["pov"] for r in rows)
    assert right / len(rows) >= 0.9


# --- the labelled data set ---------------------------------------------------------------


def test_style_labelled_set_is_well_formed() -> None:
    rows = load_labelled()
    assert len(rows) >= 30
    assert len({r["id"] for r in rows}) == len(rows)
    by_lang = {"zh": 0, "en": 0}
    trad = 0
    for r in rows:
        assert set(r) == {"id", "lang", "text", "pov", "theme", "characters", "places", "times"}
        assert r["lang"] in ("zh", "en")
        assert r["pov"] in ("first", "second", "third")
        assert r["theme"] in THEMES
        by_lang[r["lang"]] += 1
        doc = prepare(r["text"], r["lang"])
        trad += doc.script.value == "traditional"
        narrator = {"first": {"zh": "我", "en": "I"}, "second": {"zh": "你", "en": "you"}}.get(r["pov"], {})
        if narrator:
            assert narrator[r["lang"]] in r["characters"], r["id"]
        for key in ("characters", "places", "times"):
            assert isinstance(r[key], list)
            for item in r[key]:
                assert item in r["text"] or item.lower() in r["text"].lower(), (r["id"], item)
        size = len([c for c in r["text"] if "\u4e00" <= c <= "\u9fff"]) if r["lang"] == "zh" else len(r["text"].split())
        assert 60 <= size <= 300, r["id"]
    assert by_lang["zh"] >= 15 and by_lang["en"] >= 15
    assert trad >= 3
    assert {r["pov"] for r in rows} == {"first", "second", "third"}
    assert sum('"' in r["text"] or "“" in r["text"] or "「" in r["text"] for r in rows) >= 10


# --- rhythm ----------------------------------------------------------------------------


def test_style_rhythm_counts_characters_for_zh_and_words_for_en() -> None:
    s = style("我回家了。今天下了一整天的大雨。")
    assert s.rhythm.unit == "characters"
    assert s.rhythm.lengths == [4, 10]
    assert s.rhythm.mean == 7.0 and s.rhythm.std == 3.0
    assert (s.rhythm.longest, s.rhythm.longest_index) == (10, 1)
    e = style("I ran. Then I stopped at the old gate and waited.")
    assert e.rhythm.unit == "words"
    assert e.rhythm.lengths == [2, 9]
    assert (e.rhythm.longest, e.rhythm.longest_index, e.rhythm.shortest_index) == (9, 1, 0)


# --- lexical diversity --------------------------------------------------------------------


def test_style_mtld_matches_hand_computation() -> None:
    # Forward:  a b a → TTR 2/3 ≤ 0.72, factor 1; then c a b c d ends at TTR 4/5,
    #           partial factor (1 - 0.8) / 0.28 = 5/7; 8 / (12/7) = 14/3.
    # Backward: d c b a c a → TTR 4/6 ≤ 0.72, factor 1; then b a ends at TTR 1,
    #           partial 0; 8 / 1 = 8.   MTLD = (14/3 + 8) / 2 = 19/3.
    tokens = "a b a c a b c d".split()
    assert mtld_pass(tokens) == pytest.approx(14 / 3)
    assert mtld_pass(tokens[::-1]) == pytest.approx(8.0)
    value, fwd, bwd = mtld(tokens)
    assert value == pytest.approx(19 / 3)
    s = style("a b a c a b c d", "en")
    assert s.lexical_diversity.mtld == pytest.approx(6.33, abs=0.01)
    assert s.lexical_diversity.ttr == 0.5
    assert s.lexical_diversity.reliable is False


def test_style_mtld_lower_for_repetitive_text() -> None:
    repetitive = "I went home. I went home again. I went home and I went home and I went home again. " * 4
    varied = (
        "Grandma kept bees behind the orchard, and every August we harvested honey together. "
        "She wore a veil that smelled of smoke and lavender, hummed old songs to calm the hives, "
        "and taught me patience: move slowly, breathe, never swat. Years later, in a crowded city "
        "apartment, I still catch myself humming those songs whenever a wasp drifts through the window."
    )
    r, v = style(repetitive).lexical_diversity, style(varied).lexical_diversity
    assert r.mtld is not None and v.mtld is not None
    assert r.mtld < v.mtld
    zr = style("我回家。我回家了。我又回家了。我回家，我回家，我又回家了。" * 3).lexical_diversity
    zv = style(ZH_FIRST).lexical_diversity
    assert zr.mtld is not None and zv.mtld is not None and zr.mtld < zv.mtld


def test_style_mtld_none_when_nothing_repeats() -> None:
    lex = style("Snow fell softly.").lexical_diversity
    assert lex.mtld is None and lex.ttr == 1.0


# --- readability ---------------------------------------------------------------------


def test_style_readability_en_uses_textstat_offline() -> None:
    textstat = pytest.importorskip("textstat")
    text = "The cat sat on the mat. The dog ran to the park and played with a red ball."
    r = style(text).readability
    assert "textstat" in r.method
    # Same sentences and words as textstat sees here, so the formulas agree.
    assert r.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(text), abs=0.5)
    assert r.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(text), abs=0.2)
    hard = style(
        "Notwithstanding considerable institutional resistance, the administration implemented "
        "comprehensive organizational restructuring initiatives affecting multidisciplinary departments."
    ).readability
    assert hard.flesch_reading_ease < r.flesch_reading_ease
    assert hard.grade > r.grade


def test_style_readability_zh_common_characters() -> None:
    easy = style("我和妈妈去公园玩。我们看见了很多花。").readability
    assert easy.common_char_share == 1.0
    rare = style("蓦然回首，那人却在灯火阑珊处，氤氲的雾霭里，旖旎的光影婆娑。").readability
    assert rare.common_char_share < 0.85
    assert rare.grade > easy.grade
    assert 0 <= easy.grade <= 18 and easy.flesch_reading_ease is None
    # Traditional characters are measured through their Simplified form.
    trad = style("我和媽媽去公園玩。我們看見了很多花。").readability
    assert trad.common_char_share == easy.common_char_share


# --- dialogue ----------------------------------------------------------------------------


def test_style_dialogue_share_about_half() -> None:
    text = "妈妈看着窗外的大雨说：“今天别出去玩了。”"  # 10 narration characters, 7 quoted
    s = style(text)
    assert s.dialogue.share == pytest.approx(7 / 17, abs=0.001)
    # 14 characters of narration, 14 inside quotes
    half = style("我在门口等你。“你怎么才回来？”妈妈笑着摸我的头。“外面太冷了，快进屋！”")
    assert half.dialogue.share == pytest.approx(0.5, abs=0.001)
    assert half.dialogue.utterances == 2
    assert half.dialogue.sentences == [1, 3]
    en = style('Tom looked at the sea for a long time. "We should go home now, before it rains."')
    assert en.dialogue.share == pytest.approx(0.5, abs=0.1)
    assert style(ZH_FIRST).dialogue.share == 0 and style(ZH_FIRST).dialogue.utterances == 0


def test_style_dialogue_counts_utterances_not_scare_quotes() -> None:
    s = style("“快跑！”他喊。我回头看他。“别管我，”他说，“你先走。”那个“家”早就不在了。")
    assert s.dialogue.utterances == 2
    assert style("那个“家”早就不在了。").dialogue.share == 0
    assert style('They called me "Ohio." I liked it.').dialogue.utterances == 0
    assert style('"No!" she cried.').dialogue.utterances == 1


# --- figurative language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("她的脸红得像一团火。", "像"),
        ("走进老屋，我仿佛回到了小时候。", "仿佛"),
        ("眼睛像星星一样亮。", "像…一样"),
        ("他好像一个孩子似的哭了。", "好像"),
        ("那是梦一般的夜晚。", "一般"),
        ("火焰般的热情让人难忘。", "般"),
        ("She ran across the field like a frightened bird.", "like"),
        ("He looked at me as if I were a ghost.", "as if"),
        ("Her hands were as cold as ice.", "as … as"),
    ],
)
def test_style_similes_found(text: str, marker: str) -> None:
    fig = style(text).figurative
    assert fig.count == 1, fig
    assert fig.examples[0].marker.startswith(marker)


@pytest.mark.parametrize(
    "text",
    [
        "I like apples.",
        "I would like to go home.",
        "We like to swim in the lake.",
        "It looked like that for hours.",
        "I left as soon as I could.",
        "好像要下雨了。",
        "她长得很像妈妈。",
        "我们像往常一样去上学。",
        "他像往常一般早起。",
        "Things like books and toys were everywhere.",
        "像北京这样的城市很大。",
        "他一般七点起床，一般来说不会迟到。",
    ],
)
def test_style_similes_not_found(text: str) -> None:
    assert style(text).figurative.count == 0


def test_style_simile_examples_point_into_the_text() -> None:
    doc = prepare("我看着窗外。雨点像一颗颗珍珠，落在玻璃上。")
    fig = analyze_style(doc).figurative
    ex = fig.examples[0]
    assert ex.sentence == 1
    assert doc.text[ex.start : ex.end] == ex.text == "雨点像一颗颗珍珠"
    assert fig.per_1000 == pytest.approx(1000 / 18, abs=0.1)


# --- sensory language --------------------------------------------------------------------


def test_style_sensory_words_by_sense() -> None:
    s = style("厨房里飘着香喷喷的饭菜，铁门摸上去冰冷冰冷的。我听见雨声，尝了一口甜甜的汤，看见窗外亮晶晶的。")
    assert s.sensory.counts["smell"] >= 1
    assert s.sensory.counts["touch"] >= 1
    assert all(s.sensory.counts[k] >= 1 for k in SENSES)
    smells = [e.marker for e in s.sensory.examples["smell"]]
    touches = [e.marker for e in s.sensory.examples["touch"]]
    assert "香喷喷" in smells and "冰冷" in touches
    en = style("The kitchen smelled of cinnamon. Her hands were icy, and I heard thunder far away.").sensory
    assert en.counts["smell"] == 1 and en.counts["touch"] == 1 and en.counts["sound"] == 2
    assert set(en.per_1000) == set(SENSES)


def test_style_sensory_whole_words_only() -> None:
    s = style("我在香港工作很辛苦，心里酸酸的。").sensory  # 香 in 香港, 苦 in 辛苦 are not senses
    assert s.counts["smell"] == 0
    assert s.counts["taste"] == 1  # 酸酸 is still a taste word, used figuratively


# --- tense -----------------------------------------------------------------------------------


def test_style_tense_past_story() -> None:
    t = style(EN_PAST).tense
    assert t is not None and t.tense is Tense.past
    assert t.past_share is not None and t.past_share >= 0.7


def test_style_tense_present_story() -> None:
    t = style(EN_PRESENT).tense
    assert t is not None and t.tense is Tense.present


def test_style_tense_ignores_dialogue_and_chinese() -> None:
    t = style('She smiled. "I am here, I am always here," she said, and she left.').tense
    assert t is not None and t.present == 0 and t.tense is Tense.past
    assert style(ZH_FIRST).tense is None


# --- narrative arc ----------------------------------------------------------------------------


def test_style_narrative_arc_five_points() -> None:
    for text in (ZH_FIRST, EN_DIARY, EXAMPLES["night-street"].text):
        arc = style(text).narrative_arc
        for curve in (arc.staging, arc.plot_progression, arc.cognitive_tension):
            assert len(curve) == 5
            assert abs(sum(curve)) < 1e-6 * 5 + 0.01  # z-scores: mean 0
        assert len(arc.segment_words) == 5 and sum(arc.segment_words) > 0
        assert set(arc.rates) == {"staging", "plot_progression", "cognitive_tension"}
        assert arc.reading


@pytest.mark.parametrize("text", ["Hi.", "我。", "The end came quietly in the night.", "好"])
def test_style_narrative_arc_tiny_text(text: str) -> None:
    s = style(text)
    arc = s.narrative_arc
    assert len(arc.staging) == len(arc.plot_progression) == len(arc.cognitive_tension) == 5
    assert all(math.isfinite(v) for v in arc.staging + arc.plot_progression + arc.cognitive_tension)
    assert len(arc.segment_start_sentence) == 5
    assert s.notes["narrative_arc"]


# --- the result as a whole ------------------------------------------------------------------------


def _leaves(value):
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str)
            yield from _leaves(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_style_is_plain_json_ready_data(name: str) -> None:
    s = style(EXAMPLES[name].text)
    data = asdict(s)
    assert {f.name for f in fields(Style)} == set(data)
    for leaf in _leaves(data):
        assert leaf is None or isinstance(leaf, (str, int, float, bool, Enum))
    json.dumps(data, default=lambda e: e.value, ensure_ascii=False)
    assert 0 <= s.pov_confidence <= 1 and 0 <= s.dialogue.share <= 1


@pytest.mark.parametrize(("text", "lang"), [(ZH_FIRST, "zh"), (EN_DIARY, "en")])
def test_style_notes_in_the_story_language(text: str, lang: str) -> None:
    s = style(text)
    assert tuple(s.notes) == NOTE_KEYS[lang]
    for note in s.notes.values():
        assert note.strip()
        has_cjk = any("\u4e00" <= c <= "\u9fff" for c in note)
        assert has_cjk == (lang == "zh"), note


def test_style_evidence_offsets_match_document() -> None:
    doc = prepare(ZH_SECOND + "\n\n" + "她的手像树皮一样粗糙，屋里飘着饭香。")
    s = analyze_style(doc)
    examples = list(s.figurative.examples) + [e for v in s.sensory.examples.values() for e in v]
    assert examples
    for e in examples:
        assert doc.text[e.start : e.end] == e.text
        sentence = doc.sentences[e.sentence]
        assert sentence.start <= e.start < e.end <= sentence.end


def test_style_fits_the_report_json() -> None:
    import storyloom

    text = EXAMPLES["exam"].text
    report = storyloom.analyze(text)
    report.style = analyze_style(prepare(text))
    data = json.loads(report.to_json())
    st = data["style"]
    assert st["pov"] == "first"
    assert st["tense"] is None
    assert len(st["narrative_arc"]["staging"]) == 5
    assert set(st["sensory"]["counts"]) == set(SENSES)


def test_style_notes_follow_traditional_script() -> None:
    s = style(EXAMPLES["grandpa-letter"].text)
    joined = "".join(s.notes.values())
    assert "讀者" in joined and "读者" not in joined
