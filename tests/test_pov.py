"""Point-of-view rewriting (storyloom.generate.pov): exact, and never inside quotes."""

from __future__ import annotations

import re

import pytest

from storyloom.examples import EXAMPLES
from storyloom.generate.pov import fill_slots, protected_spans, third_person, to_pov
from storyloom.generate.types import PointOfView

ZH_DIALOGUE = "晚上她陪我订正错题，还笑着说：“一次考试而已，我们一起想办法。”那一刻，我觉得特别温暖。"
EN_DIALOGUE = 'I was tired. "I am fine," she said, and I said, "We\'ll see." I still go there with my friends.'


@pytest.mark.parametrize(
    ("text", "pov", "gender", "expected"),
    [
        ("在深夜的街头，我遇到了一位老奶奶。", "second", None, "在深夜的街头，你遇到了一位老奶奶。"),
        ("我毫不犹豫地买了她的东西。", "third", "female", "她毫不犹豫地买了她的东西。"),
        ("我毫不犹豫地买了她的东西。", "third", None, "他毫不犹豫地买了她的东西。"),
        ("我们俩和咱们班的同学一起回家，我的书包很重。", "second", None, "你们俩和你们班的同学一起回家，你的书包很重。"),
        ("咱俩说好了，俺也去。", "second", None, "你们俩说好了，你也去。"),
        ("我們一起去看夕陽，他牽著我的手。", "second", None, "你們一起去看夕陽，他牽著你的手。"),
        ("我们都走了。", "third", "male", "他们都走了。"),
        ("自我介绍以后，我忘我地工作，你我之间没有秘密。", "second", None, "自我介绍以后，你忘我地工作，你我之间没有秘密。"),
        ("他们来自我的家乡。", "second", None, "他们来自你的家乡。"),
    ],
)
def test_pov_zh_rewrites_narrator(text, pov, gender, expected):
    assert to_pov(text, "zh", PointOfView(pov), gender=gender) == expected


@pytest.mark.parametrize(
    ("text", "pov", "gender", "expected"),
    [
        ("I am so grateful that she reached out when I felt so alone.", "second", None,
         "You are so grateful that she reached out when you felt so alone."),
        ("I'm sure I was right. Was I wrong?", "second", None, "You're sure you were right. Were you wrong?"),
        ("I've been there with my mom; it was mine. I hurt myself.", "second", None,
         "You've been there with your mom; it was yours. You hurt yourself."),
        ("We told us about our plans, and ours were better. We did it ourselves.", "second", None,
         "You told you about your plans, and yours were better. You did it yourselves."),
        ("I have a dog. I am happy. I go there. I don't know. I still love my town.", "third", "female",
         "She has a dog. She is happy. She goes there. She doesn't know. She still loves her town."),
        ("I'm here and I've won. Mine is red.", "third", "male", "He's here and he's won. His is red."),
        ("I am late, I was tired and I have a cold.", "third", None, "They are late, they were tired and they have a cold."),
        ("My mom cried on the phone, she was so proud of me.", "second", None,
         "Your mom cried on the phone, she was so proud of you."),
        ("On my first day I was terrified.", "second", None, "On your first day you were terrified."),
    ],
)
def test_pov_en_rewrites_with_agreement(text, pov, gender, expected):
    assert to_pov(text, "en", PointOfView(pov), gender=gender) == expected


def test_pov_never_touches_quotes_zh():
    out = to_pov(ZH_DIALOGUE, "zh", PointOfView.second)
    assert out == "晚上她陪你订正错题，还笑着说：“一次考试而已，我们一起想办法。”那一刻，你觉得特别温暖。"


def test_pov_never_touches_quotes_en():
    out = to_pov(EN_DIALOGUE, "en", PointOfView.second)
    assert out == 'You were tired. "I am fine," she said, and you said, "We\'ll see." You still go there with your friends.'
    third = to_pov(EN_DIALOGUE, "en", PointOfView.third, gender="she")
    assert third == 'She was tired. "I am fine," she said, and she said, "We\'ll see." She still goes there with her friends.'


@pytest.mark.parametrize("quote", ["「我們走吧」", "『我不怕』", "“我们走吧”", '"我们走吧"'])
def test_pov_all_quote_styles_protected(quote):
    out = to_pov(f"我说：{quote}然后我走了。", "zh", PointOfView.second)
    assert out == f"你说：{quote}然后你走了。"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("pov", ["second", "third"])
def test_pov_exact_on_examples(name, pov):
    """Every narrator pronoun outside quotes changes; every quote stays byte for byte."""
    text = EXAMPLES[name].text
    out = to_pov(text, EXAMPLES[name].language, PointOfView(pov), gender="female")
    quotes_in = [text[s:e] for s, e in protected_spans(text)]
    quotes_out = [out[s:e] for s, e in protected_spans(out)]
    assert quotes_in == quotes_out
    outside = out
    for q in quotes_out:
        outside = outside.replace(q, "")
    assert "我" not in outside
    assert not re.search(r"\b(I|me|my|mine|myself|we|us|our)\b", outside, re.IGNORECASE)


def test_pov_mixed_language_capitalises_after_fullwidth_stop():
    out = to_pov(EXAMPLES["mixed"].text, "zh", PointOfView.second)
    assert "你开心得跳了起来！Your mom cried on the phone, she was so proud of you." in out


def test_pov_same_or_third_source_is_unchanged():
    assert to_pov("我很好。", "zh", PointOfView.first) == "我很好。"
    assert to_pov("他很好，我也好。", "zh", PointOfView.second, source_pov="third") == "他很好，我也好。"


def test_pov_from_second_person():
    assert to_pov("You said you were tired. Are you ok? Your mother called you.", "en", PointOfView.first,
                  source_pov="second") == "I said I was tired. Am I ok? My mother called me."
    assert to_pov("你说你们累了。", "zh", PointOfView.third, gender="女", source_pov="second") == "她说他们累了。"


def test_third_person_defaults():
    assert third_person("zh", None) == "他"
    assert third_person("zh", "female") == "她"
    assert third_person("en", None) == "they"
    assert third_person("en", "男") == "he"


@pytest.mark.parametrize(
    ("pov", "gender", "expected"),
    [
        ("second", None, "You felt warm; your heart and you were home. It held you."),
        ("first", None, "I felt warm; my heart and I was home. It held me."),
        ("third", "she", "She felt warm; her heart and she was home. It held her."),
        ("third", None, "They felt warm; their heart and they were home. It held them."),
    ],
)
def test_fill_slots(pov, gender, expected):
    template = "{You} felt warm; {your} heart and {you} {were} home. It held {you_o}."
    assert fill_slots(template, pov, gender) == expected
