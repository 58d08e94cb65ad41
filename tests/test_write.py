"""The closed loop of storyloom.write: target, plan, rerank, fuse — on real text.

Candidates here come from a backend that returns hand-written stories, so the
tests pin what the reranker and the fuser do independently of any generator.
"""

from __future__ import annotations

import json

import pytest

import storyloom
from storyloom.errors import BackendFailed, InvalidOption
from storyloom.examples import EXAMPLES
from storyloom.generate.plan import make_plan
from storyloom.generate.rerank import emotion_distance, lost_elements
from storyloom.generate.target import resolve_target
from storyloom.generate.types import SCHEMA, Target

NIGHT = EXAMPLES["night-street"].text

WARM = ("在深夜的街头，你遇到了一位老奶奶，她卖力地推着一辆满载货物的三轮车。寒风里，她脸上洋溢着慈祥的微笑，"
        "你心里一暖。你买下了她的东西，告诉她你是来自远方的游客。")
SAD = ("在深夜的街头，你遇到了一位老奶奶，她吃力地推着一辆满载货物的三轮车。寒风刺骨，她脸上满是疲惫和愁苦，"
       "你心里一阵难过。你买下了她的东西，告诉她你是来自远方的游客。转身离开时，你忍不住哭了，难过了很久，心里空落落的。")
LOST = "深夜，你在路上走着，心里很温暖，觉得生活真美好，一切都让人感激。"


class Fixed:
    """A backend that returns the stories it was given, in order."""

    name = "fixed"

    def __init__(self, *bodies: str) -> None:
        self.bodies = list(bodies)
        self.prompts = []

    def generate(self, prompt, n, seed):
        self.prompts.append(prompt)
        return self.bodies[:n]


@pytest.fixture(scope="module")
def night():
    return storyloom.analyze(NIGHT)


def test_warm_target_picks_the_warm_candidate(night):
    story = storyloom.write(night, "温暖", backend=Fixed(SAD, WARM), n=2, close=False)
    assert story.status == "story"
    assert story.text == WARM
    chosen = [c for c in story.candidates if c.chosen]
    assert len(chosen) == 1 and chosen[0].body == WARM
    assert story.target.source == "user" and story.target.emotion == "love"
    assert story.report.sentiment.polarity.value == "positive"


def test_sad_target_picks_the_sad_candidate(night):
    story = storyloom.write(night, "sadness", backend=Fixed(WARM, SAD), n=2, close=False)
    assert story.body == SAD
    assert story.report.sentiment.polarity.value == "negative"
    # the warm candidate is further from a sadness target by the emotion term itself
    warm, sad = story.candidates
    assert warm.score.emotion > sad.score.emotion
    assert sad.report.emotions["sadness"] > warm.report.emotions["sadness"]


def test_candidate_that_loses_the_people_and_places_ranks_below(night):
    story = storyloom.write(night, "温暖", backend=Fixed(LOST, WARM), n=2, close=False)
    lost, kept = story.candidates
    assert "老奶奶" in lost.score.lost and "街头" in lost.score.lost
    assert lost.score.elements > 0.5 and kept.score.elements == 0.0
    assert story.body == WARM


def test_user_label_wins_over_the_story_emotion(night):
    assert night.dominant_emotion != "fear"
    target = resolve_target("害怕", night)
    assert target.emotion == "fear" and target.source == "user"
    default = resolve_target(None, night)
    assert default.emotion == night.dominant_emotion and default.source == "story"
    assert abs(sum(default.emotions.values()) - 1) < 1e-9


@pytest.mark.parametrize(
    "label, dominant, also",
    [("bittersweet", "sadness", "love"), ("hopeful", "joy", "love"), ("怀念", "love", "sadness"),
     ("治癒", "love", "joy"), ("乐", "joy", None), ("Warm", "love", "joy")],
)
def test_free_words_map_onto_the_taxonomy(night, label, dominant, also):
    t = resolve_target(label, night)
    assert t.emotion == dominant
    if also:
        assert t.emotions[also] > 0.1
    assert t.label == label


def test_unlisted_feeling_word_is_read_by_the_analyser(night):
    assert resolve_target("心碎", night).emotion == "sadness"


def test_unknown_target_is_a_clear_error(night):
    with pytest.raises(InvalidOption, match="Unknown target emotion 'xyzzy'"):
        resolve_target("xyzzy", night)


@pytest.mark.parametrize("kw", [{"pov": "fourth"}, {"style": "sonnet"}, {"length": "epic"}, {"n": 0}, {"n": 99},
                                {"language": "fr"}])
def test_bad_options_are_clear_errors(night, kw):
    with pytest.raises(InvalidOption):
        storyloom.write(night, backend=Fixed(WARM), **kw)


def test_empty_backend_answer_is_an_error(night):
    with pytest.raises(BackendFailed):
        storyloom.write(night, backend=Fixed("", "  "), n=2)


def test_plan_keeps_people_places_times_and_events(night):
    plan = make_plan(night)
    assert [c.text for c in plan.characters] == ["老奶奶", "游客"]
    assert plan.places == ["街头", "远方"] and plan.times == ["深夜"]
    assert plan.weather == ["寒冷"] and plan.setting == "street"
    assert [e.index for e in plan.events] == [0, 1, 2]
    assert plan.source_pov == "first"
    renamed = make_plan(night, keep_names=False, names={"老奶奶": "王奶奶"})
    assert renamed.characters[0].name == "王奶奶"
    assert lost_elements(renamed, WARM)[0] == ["王奶奶"]


def test_emotion_distance_is_a_bounded_metric():
    same = {"joy": 0.5, "love": 0.5}
    assert emotion_distance(same, same) == 0.0
    assert emotion_distance({"joy": 1.0}, {"sadness": 1.0}) == pytest.approx(1.0)
    assert 0 < emotion_distance({"joy": 1.0}, same) < 1


def test_story_json_carries_both_reports_and_every_score(night):
    story = storyloom.write(night, "温暖", backend=Fixed(SAD, WARM), n=2)
    data = json.loads(json.dumps(story.to_dict(), ensure_ascii=False))
    assert data["schema"] == SCHEMA
    assert data["original"]["schema"] == "storyloom.report/1"
    assert data["report"]["schema"] == "storyloom.report/1"
    assert len(data["candidates"]) == 2 and sum(c["chosen"] for c in data["candidates"]) == 1
    assert {"total", "emotion", "valence", "elements", "themes", "content"} <= set(data["candidates"][0]["score"])
    assert data["target"]["emotion"] == "love" and data["pov"] == "second"
    assert data["text"].startswith(data["body"]) and data["text"].endswith(data["close"])


def test_close_is_appended_as_its_own_paragraph(night):
    story = storyloom.write(night, "温暖", backend=Fixed(WARM), n=1)
    assert story.close and story.text == f"{WARM}\n\n{story.close}"
    assert " " not in story.close  # Chinese: no spaces between words
    assert story.close.endswith(("。", "！", "……"))


def test_concern_softens_a_dark_target(night, monkeypatch):
    from storyloom.generate import write as write_mod

    monkeypatch.setattr(write_mod, "risk_of", lambda report: "concern" if report is night else "none")
    fixed = Fixed(WARM, SAD)
    story = storyloom.write(night, "sadness", backend=fixed, n=2)
    assert story.target.valence > resolve_target("sadness", night).valence
    assert story.target.emotions["love"] > 0 and story.notes
    assert fixed.prompts[0].safety == "concern"


def test_builtin_refuses_another_language(night):
    with pytest.raises(InvalidOption, match="another language"):
        storyloom.write(night, language="en", backend="builtin")


def test_target_object_passes_through(night):
    t = Target("joy", {"joy": 1.0}, 7.6, "custom", "user")
    assert resolve_target(t, night) is t


URGENT = "我已经写好了遗书，今晚就结束自己的生命。谢谢你们这些年的照顾。"


def test_urgent_story_gets_support_not_a_rewrite():
    fixed = Fixed(WARM)
    story = storyloom.write(URGENT, "joy", backend=fixed)
    assert story.status == "support"
    assert not fixed.prompts  # no backend was asked to write anything
    assert story.body == "" and story.candidates == [] and story.report is None
    assert story.text and "。" in story.text
    contacts = " ".join(r["contact"] for r in story.resources)
    assert "12356" in contacts or "010-82951332" in contacts
    assert any("120" in r["contact"] or "110" in r["contact"] for r in story.resources)  # emergency services
    data = story.to_dict()
    assert data["status"] == "support" and data["original"]["safety"]["risk"] == "urgent"


def test_urgent_support_answers_in_the_writers_script():
    story = storyloom.write("我已經寫好了遺書，今晚就結束自己的生命。", backend=Fixed(WARM))
    assert story.status == "support"
    from storyloom.text import is_traditional

    assert is_traditional(story.text)


def test_candidate_more_dangerous_than_the_story_is_never_chosen(night):
    dark = WARM + "你觉得活着没有意义，不想再活下去了。"
    story = storyloom.write(night, "温暖", backend=Fixed(dark, SAD), n=2, close=False)
    flagged = [c for c in story.candidates if c.score.safety]
    assert flagged and not any(c.chosen for c in flagged)
    assert story.body == SAD
