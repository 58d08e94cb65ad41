"""The built-in generation backend, the backend registry and recolouring."""

from __future__ import annotations

import random
import re
import time

import pytest
import yaml

import storyloom
from storyloom.errors import InvalidOption
from storyloom.examples import EXAMPLES
from storyloom.generate.backends import BACKENDS, get_backend
from storyloom.generate.backends.builtin import BuiltinBackend, phrases
from storyloom.generate.close import choose_close
from storyloom.generate.plan import make_plan
from storyloom.generate.pov import fill_slots, protected_spans
from storyloom.generate.recolour import recolour
from storyloom.generate.target import resolve_target
from storyloom.generate.types import Backend, Length, PointOfView, StoryPrompt, Style
from storyloom.text.script import script_counts

ZH_DIALOGUE = (
    "放学的时候下起了大雨，我站在校门口发愁。同桌小林跑过来说：“我们一起打我的伞吧！”"
    "我们俩挤在一把伞下，一路说说笑笑地走回了家。到家时我的半边肩膀都湿了，心里却暖暖的。"
)
EN_DIALOGUE = (
    "Last winter my car broke down on a dark country road. I was scared and alone. An old farmer stopped his truck "
    "and said, \"I can tow you to my barn, it's warm there.\" We drank hot tea while he fixed my engine. "
    "I still think about his kindness every winter."
)
STORIES = {name: e.text for name, e in EXAMPLES.items()} | {"zh-dialogue": ZH_DIALOGUE, "en-dialogue": EN_DIALOGUE}


@pytest.fixture(scope="module")
def reports():
    return {name: storyloom.analyze(text) for name, text in STORIES.items()}


def _prompt(report, target="love", *, pov="second", style="plain", length="short", safety="none"):
    tgt = resolve_target(target, report)
    plan = make_plan(report, target_valence=tgt.valence)
    lang = "en" if report.language == "en" else "zh"
    return StoryPrompt(text=report.text, report=report, plan=plan, target=tgt, pov=PointOfView(pov),
                       style=Style(style), length=Length(length), language=lang, script=report.script, safety=safety)


# --- registry ---------------------------------------------------------------------


def test_registry_builtin_and_unknown():
    backend = get_backend("builtin")
    assert isinstance(backend, BuiltinBackend) and isinstance(backend, Backend) and backend.name == "builtin"
    assert BACKENDS["openai"] == ".openai:OpenAIBackend" and BACKENDS["llamacpp"] == ".llamacpp:LlamaCppBackend"
    with pytest.raises(InvalidOption, match="builtin, openai, llamacpp"):
        get_backend("gpt5")
    with pytest.raises(InvalidOption, match="gender"):
        get_backend("builtin", temperature=0.7)


# --- the reference story ------------------------------------------------------------


def test_night_street_love_second_person(reports):
    prompt = _prompt(reports["night-street"], "love")
    bodies = BuiltinBackend().generate(prompt, 4, 7)
    assert len(set(bodies)) == 4
    for body in bodies:
        assert "你遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。" in body
        assert "你毫不犹豫地买了她的东西，并告诉她是来自远方的游客。" in body
        assert "慈祥的" in body and "我" not in body
        for kept in ("老奶奶", "游客", "街头", "远方", "深夜", "三轮车"):
            assert kept in body
        # event order kept
        assert body.index("遇到了") < body.index("天气寒冷") < body.index("买了她的东西")
        r = storyloom.analyze(body, parts=())
        assert r.dominant_emotion == "love" and r.valence > 6


def test_night_street_sadness_recoloured(reports):
    prompt = _prompt(reports["night-street"], "sadness")
    bodies = BuiltinBackend().generate(prompt, 4, 7)
    for i, body in enumerate(bodies):
        assert "洋溢着" not in body and "慈祥" not in body  # the smile is recoloured
        assert re.search(r"她脸上依然带着(憔悴|疲惫|落寞|悲伤|凄凉)的(神情|神色)", body)
        assert "你默默地买了她的东西" in body or "你心酸地买了她的东西" in body
        full = body + choose_close(prompt, 7 + i)
        assert storyloom.analyze(full, parts=()).dominant_emotion == "sadness"


@pytest.mark.parametrize("target", ["joy", "fear"])
def test_night_street_other_targets(reports, target):
    prompt = _prompt(reports["night-street"], target)
    bodies = BuiltinBackend().generate(prompt, 4, 3)
    hits = sum(storyloom.analyze(b + choose_close(prompt, 3 + i), parts=()).dominant_emotion == target
               for i, b in enumerate(bodies))
    assert hits >= 3


# --- determinism, variety, speed ----------------------------------------------------------


def test_deterministic_for_seed_and_varied_across_seeds(reports):
    prompt = _prompt(reports["exam"], "joy", length="medium")
    a = BuiltinBackend().generate(prompt, 4, 42)
    assert a == BuiltinBackend().generate(prompt, 4, 42)
    assert a != BuiltinBackend().generate(prompt, 4, 43)
    assert len(set(a)) == 4


def test_tiny_story_still_gives_n_bodies():
    report = storyloom.analyze("我很开心。", parts=("elements",))
    bodies = BuiltinBackend().generate(_prompt(report, "sadness"), 6, 0)
    assert len(bodies) == 6 and all(b.startswith("你很") for b in bodies)
    assert BuiltinBackend().generate(_prompt(report, "sadness"), 0, 0) == []


def test_fast(reports):
    prompt = _prompt(reports["first-day"], "love", length="long")
    backend = BuiltinBackend()
    backend.generate(prompt, 4, 0)  # warm the banks
    t0 = time.perf_counter()
    for seed in range(10):
        backend.generate(prompt, 4, seed)
    assert (time.perf_counter() - t0) / 10 < 0.05


# --- point of view and dialogue ----------------------------------------------------------


@pytest.mark.parametrize("name", ["zh-dialogue", "en-dialogue", "exam"])
@pytest.mark.parametrize("pov", ["second", "third"])
def test_dialogue_untouched_and_narrator_rewritten(reports, name, pov):
    report = reports[name]
    prompt = _prompt(report, "joy", pov=pov, length="long")
    quotes = [report.text[s:e] for s, e in protected_spans(report.text)]
    for body in BuiltinBackend(gender="female").generate(prompt, 3, 1):
        assert [body[s:e] for s, e in protected_spans(body)] == quotes
        outside = body
        for q in quotes:
            outside = outside.replace(q, "")
        assert "我" not in outside
        assert not re.search(r"\b(I|me|my|mine|myself|we|us|our)\b", outside, re.IGNORECASE)


def test_english_dialogue_story_exact(reports):
    prompt = _prompt(reports["en-dialogue"], "love", pov="third")
    body = BuiltinBackend(gender="female").generate(prompt, 1, 0)[0]
    assert body.startswith("Last winter her car broke down on a dark country road.")
    assert 'An old farmer stopped his truck and said, "I can tow you to my barn, it\'s warm there."' in body
    assert "They drank hot tea while he fixed her engine." in body
    assert "She still thinks about his kindness every winter." in body
    assert "  " not in body and not re.search(r"[.!?] [a-z]", body)


def test_zh_dialogue_story_exact(reports):
    prompt = _prompt(reports["zh-dialogue"], "love")
    body = BuiltinBackend().generate(prompt, 1, 0)[0]
    assert body.startswith("放学的时候下起了大雨，你站在校门口发愁。")
    assert "同桌小林跑过来说：“我们一起打我的伞吧！”" in body
    assert "你们俩挤在一把伞下，一路说说笑笑地走回了家。" in body
    assert "到家时你的半边肩膀都湿了，心里却暖暖的。" in body
    assert " " not in body and "," not in body


# --- script, styles, length, safety -------------------------------------------------------


def test_traditional_in_traditional_out(reports):
    prompt = _prompt(reports["grandpa-letter"], "love", length="long")
    for body in BuiltinBackend().generate(prompt, 4, 5):
        trad, simp = script_counts(body)
        assert simp == 0 and trad > 10
        assert "外公走了已經三年，你還是常常想起他。" in body
        assert "他總是牽著你的手去河邊看夕陽" in body


def test_letter_style(reports):
    zh = BuiltinBackend().generate(_prompt(reports["exam"], "love", style="letter", pov="third"), 2, 0)
    assert all(b.startswith("亲爱的过去的我：\n期中考试的成绩发下来了，你的数学只考了五十八分。") for b in zh)
    en = BuiltinBackend().generate(_prompt(reports["first-day"], "love", style="letter"), 1, 0)[0]
    assert en.startswith("Dear younger me,\nOn your first day at the new job you were ")
    trad = BuiltinBackend().generate(_prompt(reports["grandpa-letter"], "love", style="letter"), 1, 0)[0]
    assert trad.startswith("親愛的過去的我：\n")


def test_fable_style(reports):
    body = BuiltinBackend().generate(_prompt(reports["night-street"], "love", style="fable"), 1, 0)[0]
    assert body.startswith("从前，在深夜的")
    en = BuiltinBackend().generate(_prompt(reports["first-day"], "joy", style="fable"), 1, 0)[0]
    assert en.startswith("Once upon a time, on your first day at the new job you were ")


def test_length_and_lyrical_add_detail(reports):
    report = reports["night-street"]
    backend = BuiltinBackend()
    sizes = {length: len(backend.generate(_prompt(report, "love", length=length), 1, 0)[0])
             for length in ("short", "medium", "long")}
    assert len(report.text) < sizes["short"] < sizes["medium"] < sizes["long"]
    plain = backend.generate(_prompt(report, "love", length="medium"), 1, 0)[0]
    lyrical = backend.generate(_prompt(report, "love", length="medium", style="lyrical"), 1, 0)[0]
    assert len(lyrical) > len(plain)


def test_children_style_short_inserts(reports):
    body = BuiltinBackend().generate(_prompt(reports["night-street"], "joy", style="children", length="long"), 1, 0)[0]
    original = reports["night-street"].text
    assert len(body) - len(original) < 70  # at most one short scene sentence and one feeling sentence


def test_concern_uses_gentle_words(reports):
    prompt = _prompt(reports["grandpa-letter"], "sadness", length="long", safety="concern")
    strong = ("心碎", "绝望", "凄凉", "想哭", "孤零零", "心碎")
    for body in BuiltinBackend().generate(prompt, 4, 0):
        assert not any(w in body for w in strong)
    en = _prompt(reports["first-day"], "sadness", length="long", safety="concern")
    for body in BuiltinBackend().generate(en, 4, 0):
        assert not any(w in body for w in ("heartbroken", "miserable", "crying", "hopeless"))


def test_mixed_story_keeps_both_languages(reports):
    body = BuiltinBackend().generate(_prompt(reports["mixed"], "sadness"), 1, 0)[0]
    assert body.startswith("今天终于拿到了offer，你难过得")  # 开心得跳了起来 rewritten whole
    assert "Your mom cried on the phone, she was so proud of you. 可是" in body


# --- recolouring ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("心里又难过又害怕。", "love", {"心里又感动又温暖。", "心里又温暖又感动。", "心里又温暖又安心。",
                                          "心里又安心又温暖。", "心里又感激又感动。", "心里又感动又感激。"}),
        ("我一点也不开心。", "sadness", {"我一点也不开心。"}),  # negated: kept
        ("那一刻，我觉得特别温暖。", "sadness", {"那一刻，我觉得特别难过。", "那一刻，我觉得特别伤心。"}),
        ("她笑着说：“我好开心。”", "sadness", {"她低声说：“我好开心。”"}),
        ("她轻轻地推开门。", "fear", {"她小心翼翼地推开门。"}),
    ],
)
def test_recolour_zh(text, target, expected):
    out, _ = recolour(text, "zh", target, rng=random.Random(0))
    assert out in expected


def test_recolour_en_keeps_grammar():
    out, swaps = recolour("She gave me an awful look. I was not happy. She was so proud of me.", "en", "joy")
    assert out == "She gave me a cheerful look. I was not happy. She was so proud of me."
    assert [s.old for s in swaps] == ["awful"]
    out, _ = recolour("On my first day I was terrified.", "en", "love", rng=random.Random(1))
    assert out in ("On my first day I was deeply grateful.", "On my first day I was deeply moved.")
    out, _ = recolour("She smiled gently.", "en", "anger", rng=random.Random(0))
    assert out in ("She frowned sharply.", "She fumed sharply.")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_phrase_bank_cells_read_as_their_emotion(language):
    """Every setting × emotion sentence reads as that emotion to StoryLoom's analyser (≥ 95%)."""
    bank = phrases(language)
    total = wrong = 0
    for cells in bank["settings"].values():
        for emotion, sentences in cells.items():
            if emotion == "any":
                continue
            for s in sentences:
                text = fill_slots(s, "second") if language == "en" else s
                total += 1
                wrong += storyloom.analyze(text, language, parts=()).dominant_emotion != emotion
    assert total >= 12 * 5 * 2 and wrong / total <= 0.05


@pytest.mark.parametrize("language", ["zh", "en"])
def test_banks_are_well_formed(language):
    bank = phrases(language)
    assert {"street", "home", "school", "hospital", "workplace", "nature", "travel", "city", "countryside", "night",
            "weather", "everyday"} <= set(bank["settings"])
    for cells in bank["settings"].values():
        for sentences in cells.values():
            assert len(sentences) >= 2
            for s in sentences:
                if language == "zh":
                    assert s.endswith("。") and " " not in s and "," not in s
                else:
                    assert s.endswith(".") and "  " not in s
                    assert not re.search(r"\{you\} (are|is|was|have|has)\b", s, re.IGNORECASE)
    table = yaml.safe_load(
        __import__("importlib.resources").resources.files("storyloom.resources.generate")
        .joinpath(f"recolour_{language}.yaml").read_text("utf-8")
    )
    for word, (cls, emotion, strength) in table["words"].items():
        assert cls in table["targets"] and 1 <= strength <= 3, word
