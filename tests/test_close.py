"""The reflective close (storyloom.generate.close)."""

from __future__ import annotations

import pytest

import storyloom
from storyloom.analysis.report import EMOTIONS
from storyloom.examples import EXAMPLES
from storyloom.generate.close import choose_close, closes, event_phrase, main_character, render_close, to_script
from storyloom.generate.plan import make_plan
from storyloom.generate.target import resolve_target
from storyloom.generate.types import PointOfView, StoryPrompt, Style
from storyloom.text.script import script_counts


@pytest.fixture(scope="module")
def reports():
    return {name: storyloom.analyze(EXAMPLES[name].text) for name in ("night-street", "grandpa-letter", "first-day")}


def _prompt(report, target="love", *, pov="second", style="plain", safety="none"):
    tgt = resolve_target(target, report)
    plan = make_plan(report, target_valence=tgt.valence)
    lang = "en" if report.language == "en" else "zh"
    return StoryPrompt(text=report.text, report=report, plan=plan, target=tgt, pov=PointOfView(pov),
                       style=Style(style), language=lang, script=report.script, safety=safety)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_close_bank_is_large_and_covers_every_emotion(language):
    bank, events = closes(language)
    texts = {c.text for c in bank}
    assert len(texts) == len(bank) >= 40
    for emotion in EMOTIONS:
        assert any(emotion in c.emotions for c in bank), emotion
    for style in ("fable", "letter", "children"):
        assert sum(c.style == style for c in bank) >= 3
    assert "default" in events and "kindness" in events


@pytest.mark.parametrize("language", ["zh", "en"])
def test_close_bank_hopeful_for_sadness_and_fear(language):
    bank, _ = closes(language)
    for emotion in ("sadness", "fear"):
        assert sum(c.hopeful and emotion in c.emotions and not c.style for c in bank) >= 4


def test_close_night_street_love_is_warm_second_person(reports):
    prompt = _prompt(reports["night-street"], "love")
    seen = {choose_close(prompt, seed) for seed in range(12)}
    assert 2 <= len(seen) <= 4  # the seed picks among the best few
    for close in seen:
        assert close.endswith("。") and "{" not in close and "我" not in close.replace("我们", "")
        assert storyloom.analyze(close, "zh", parts=()).dominant_emotion in ("love", "joy")
    assert "你在心里默默地说了一声谢谢，谢谢老奶奶，也谢谢那个愿意停下脚步的自己。" in seen


def test_close_is_deterministic(reports):
    prompt = _prompt(reports["night-street"], "sadness")
    assert [choose_close(prompt, s) for s in range(5)] == [choose_close(prompt, s) for s in range(5)]


def test_close_fills_slots_and_pov(reports):
    prompt = _prompt(reports["night-street"], "love", pov="first")
    bank, _ = closes("zh")
    thanks = next(c for c in bank if c.text.startswith("你在心里默默地说了一声谢谢"))
    assert render_close(thanks, prompt) == "我在心里默默地说了一声谢谢，谢谢老奶奶，也谢谢那个愿意停下脚步的自己。"
    first = next(c for c in bank if c.text.startswith("经过{event}"))
    assert render_close(first, _prompt(reports["night-street"], "love")) == (
        "经过这次相遇，你对生活有了更深的感悟，学会了珍惜身边每一个人。"
    )
    assert main_character(prompt) == "老奶奶" and event_phrase(prompt) == "这次相遇"


def test_close_third_person_english(reports):
    prompt = _prompt(reports["first-day"], "love", pov="third")
    bank, _ = closes("en")
    c = next(c for c in bank if c.text.startswith("Long afterwards"))
    assert render_close(c, prompt) == (
        "Long afterwards, they would think of Mrs. Chen and that quiet tenderness, and their heart would fill with warmth "
        "and love again."
    )
    for seed in range(8):
        text = choose_close(prompt, seed)
        assert "{" not in text and "  " not in text and text[0].isupper()


def test_close_traditional_story_gets_traditional_close(reports):
    prompt = _prompt(reports["grandpa-letter"], "love")
    for seed in range(6):
        close = choose_close(prompt, seed)
        trad, simp = script_counts(close)
        assert simp == 0 and trad > 0, close


def test_close_concern_only_hopeful(reports):
    prompt = _prompt(reports["grandpa-letter"], "sadness", safety="concern")
    bank, _ = closes("zh")
    hopeful = {to_script(render_close(c, prompt), "traditional") for c in bank if c.hopeful}
    for seed in range(20):
        assert choose_close(prompt, seed) in hopeful


@pytest.mark.parametrize(("style", "marker"), [("fable", "这个故事告诉我们："), ("letter", None)])
def test_close_style_specific(reports, style, marker):
    prompt = _prompt(reports["night-street"], "love", style=style)
    bank, _ = closes("zh")
    styled = {render_close(c, prompt) for c in bank if c.style == style}
    for seed in range(6):
        close = choose_close(prompt, seed)
        assert close in styled
        if marker:
            assert close.startswith(marker)


def test_close_english_fable_keeps_generic_you(reports):
    prompt = _prompt(reports["first-day"], "fear", pov="first", style="fable")
    close = choose_close(prompt, 0)
    assert close.startswith("The moral of the story:")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_close_bank_reads_as_tagged_emotion(language):
    """Each close, as StoryLoom's own analyser reads it, carries one of the emotions it is tagged with."""
    from storyloom.generate.pov import fill_slots

    bank, events = closes(language)
    wrong = []
    for c in bank:
        text = c.text.replace("{event}", events["default"]).replace("{who}", "老奶奶" if language == "zh" else "Anna")
        if language == "en":
            text = fill_slots(text, "second")
        r = storyloom.analyze(text, language, parts=())
        top = max(r.emotions, key=r.emotions.get)
        if r.dominant_emotion not in c.emotions and not ("neutral" in c.emotions and top == "neutral"):
            wrong.append((c.text, r.dominant_emotion))
    assert wrong == []
