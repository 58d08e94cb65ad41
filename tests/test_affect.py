"""The affect engine on real sentences: negation, degree, contrast, questions,
emotions with evidence, valence–arousal and the emotional arc."""

from __future__ import annotations

import json

import pytest

import storyloom
from storyloom.affect.arc import classify, emotional_arc
from storyloom.analysis.report import EMOTIONS, ArcShape, Polarity
from storyloom.examples import EXAMPLES


def pol(text: str, lang: str | None = None) -> str:
    return storyloom.analyze(text, lang).sentiment.polarity.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我很开心。", "positive"),
        ("我一点也不开心。", "negative"),
        ("今天我不开心。", "negative"),
        ("我并不难过。", "positive"),
        ("他毫不犹豫地伸出了手。", "positive"),
        ("我不太好。", "negative"),
        ("虽然很累，但是很开心。", "positive"),
        ("虽然很开心，但是很累。", "negative"),
        ("风景很美，可是我却高兴不起来。", "negative"),
        ("难道这不是幸福吗？", "positive"),
        ("这饭菜太难吃了！", "negative"),
        ("It was not bad at all.", "positive"),
        ("I am no longer happy.", "negative"),
        ("I never felt so alone.", "negative"),
        ("The trip was tiring, but it was wonderful.", "positive"),
        ("The day was sunny, but I felt miserable.", "negative"),
    ],
)
def test_sentence_polarity_rules(text: str, expected: str) -> None:
    assert pol(text) == expected


def test_degree_adverbs_scale_intensity() -> None:
    mild = storyloom.analyze("我有点开心。").sentiment.score
    plain = storyloom.analyze("我开心。").sentiment.score
    strong = storyloom.analyze("我非常开心。").sentiment.score
    assert 0 < mild < plain < strong
    en_mild = storyloom.analyze("I was slightly happy.").sentiment.score
    en_strong = storyloom.analyze("I was extremely happy.").sentiment.score
    assert 0 < en_mild < en_strong


def test_exclamation_strengthens() -> None:
    assert storyloom.analyze("我好开心！！").sentiment.score > storyloom.analyze("我好开心。").sentiment.score


def test_plain_question_weakens() -> None:
    assert abs(storyloom.analyze("你开心吗？").sentiment.score) < abs(storyloom.analyze("你很开心。").sentiment.score)


def test_night_street_reference_story() -> None:
    report = storyloom.analyze(EXAMPLES["night-street"].text)
    assert report.language == "zh"
    assert report.sentiment.polarity == Polarity.positive
    assert report.sentiment.intensity >= 0.6
    assert report.dominant_emotion in ("joy", "love")
    assert report.valence > 5.5
    love_words = {e.text for e in report.evidence["love"]}
    assert "慈祥" in love_words
    # evidence offsets point at the words in the report's text
    for items in report.evidence.values():
        for ev in items:
            assert report.text[ev.start : ev.end] == ev.text
            sent = report.sentences[ev.sentence]
            assert sent.start <= ev.start and ev.end <= sent.end


def test_emotion_distribution_sums_to_one_and_has_every_class() -> None:
    for ex in EXAMPLES.values():
        report = storyloom.analyze(ex.text)
        assert set(report.emotions) == set(EMOTIONS)
        assert sum(report.emotions.values()) == pytest.approx(1.0, abs=1e-3)
        for s in report.sentences:
            assert sum(s.emotions.values()) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("听到这个消息，我气得浑身发抖，真是太可恶了！", "anger"),
        ("外公去世了，我哭了一整夜，心里特别难过。", "sadness"),
        ("半夜听到门外有奇怪的声音，我害怕极了。", "fear"),
        ("拿到录取通知书的那一刻，我高兴得跳了起来！", "joy"),
        ("谢谢你一直陪伴我，我真的很感激。", "love"),
        ("我没想到他竟然会来，真是太惊讶了。", "surprise"),
        ("那个厕所脏得让人恶心。", "disgust"),
        ("I was terrified when the lights went out.", "fear"),
        ("I am so grateful for my grandmother's kindness.", "love"),
        ("He yelled at me and I was furious.", "anger"),
    ],
)
def test_dominant_emotion(text: str, emotion: str) -> None:
    report = storyloom.analyze(text)
    assert report.dominant_emotion == emotion, report.top_emotions(3)
    assert report.evidence[emotion], "an emotion is never named without evidence"


def test_negated_joy_is_sadness_with_negation_marked() -> None:
    report = storyloom.analyze("我一点也不开心。")
    assert report.dominant_emotion == "sadness"
    ev = report.evidence["sadness"][0]
    assert ev.text == "开心" and ev.negated


def test_valence_arousal_scales() -> None:
    happy = storyloom.analyze("我太开心了，激动得跳了起来！")
    sad = storyloom.analyze("我很难过，一个人坐着发呆。")
    calm = storyloom.analyze("午后的湖边很安静，我慢慢地散步。")
    assert happy.valence > 6 > 4 > sad.valence
    assert happy.arousal > calm.arousal
    for r in (happy, sad, calm):
        assert 1 <= r.valence <= 9 and 1 <= r.arousal <= 9


def test_english_valence_arousal() -> None:
    happy = storyloom.analyze("I was so happy and excited that I screamed with joy!")
    sad = storyloom.analyze("My dog died and I cried all night.")
    assert happy.valence > 6 and sad.valence < 4
    assert happy.arousal > sad.arousal


def test_arc_bad_then_good_rises() -> None:
    text = (
        "那天我被老板狠狠地骂了一顿，心里特别委屈。"
        "回家的路上又下起了大雨，我浑身湿透，难受极了。"
        "推开门，妻子给我端来一碗热汤。"
        "孩子扑过来抱住我，说爸爸辛苦了。"
        "那一刻，我觉得无比幸福。"
    )
    report = storyloom.analyze(text)
    assert report.arc.shape in (ArcShape.rise, ArcShape.fall_rise)
    assert report.arc.raw[-1] > report.arc.raw[0]


def test_arc_good_then_bad_falls() -> None:
    text = (
        "毕业那天阳光灿烂，我们开心地拍了很多照片。"
        "大家笑着约定以后常常见面。"
        "后来各自忙碌，联系越来越少。"
        "去年听说他生病去世了，我难过得说不出话。"
    )
    assert storyloom.analyze(text).arc.shape in (ArcShape.fall, ArcShape.rise_fall)


def test_arc_short_texts_never_fail() -> None:
    one = storyloom.analyze("我很开心。")
    assert one.arc.shape == ArcShape.flat and len(one.arc.values) == 1
    two = storyloom.analyze("我很难过。后来我很开心。")
    assert two.arc.shape == ArcShape.rise
    assert emotional_arc([5.0]).shape == ArcShape.flat


@pytest.mark.parametrize(
    ("curve", "shape"),
    [
        ([2, 3, 4, 5, 6, 7, 8], ArcShape.rise),
        ([8, 7, 6, 5, 4, 3, 2], ArcShape.fall),
        ([7, 5, 3, 2, 3, 5, 7], ArcShape.fall_rise),
        ([3, 5, 7, 8, 7, 5, 3], ArcShape.rise_fall),
        ([3, 6, 8, 5, 3, 6, 8], ArcShape.rise_fall_rise),
        ([8, 5, 3, 6, 8, 5, 2], ArcShape.fall_rise_fall),
        ([5, 5.1, 4.9, 5.2, 5.0], ArcShape.flat),
    ],
)
def test_arc_shape_classifier(curve: list[float], shape: ArcShape) -> None:
    assert classify([float(x) for x in curve])[0] == shape


def test_mixed_story() -> None:
    text = "拿到大学录取通知书，我开心极了！可是爷爷在同一天去世了，我伤心得整夜哭泣。"
    assert pol(text) in ("mixed", "negative")
    bitter = "毕业典礼上我们笑得很开心，拥抱着说再见。想到以后再也见不到他们，我又难过得哭了。"
    assert pol(bitter) == "mixed"


def test_traditional_chinese_is_analysed() -> None:
    report = storyloom.analyze(EXAMPLES["grandpa-letter"].text)
    assert report.language == "zh" and report.script == "traditional"
    # The sentences still read both feelings; the story-level reading (issue #8) may name one of them.
    felt = {s.emotion for s in report.sentences}
    assert {"sadness", "love"} <= felt or (report.emotions["sadness"] > 0.1 and report.emotions["love"] > 0.1)
    assert report.dominant_emotion in ("sadness", "love")
    assert any(e.text == "牽掛" for e in report.evidence["love"])
    assert pol("我今天非常開心。") == "positive"


def test_mixed_languages_sentence_by_sentence() -> None:
    report = storyloom.analyze(EXAMPLES["mixed"].text)
    langs = [s.language for s in report.sentences]
    assert "zh" in langs and "en" in langs
    en_sentence = next(s for s in report.sentences if s.language == "en")
    assert en_sentence.polarity.value == "positive"  # "she was so proud of me"


def test_report_json_contract() -> None:
    data = json.loads(storyloom.analyze(EXAMPLES["night-street"].text).to_json())
    assert data["schema"] == "storyloom.report/1"
    for key in ("language", "sentiment", "emotions", "dominant_emotion", "valence", "arousal",
                "evidence", "arc", "sentences"):
        assert key in data
    assert set(data["sentiment"]) >= {"polarity", "intensity", "score"}
    assert set(data["arc"]) >= {"shape", "values"}
    first = data["sentences"][0]
    assert set(first) >= {"text", "start", "end", "language", "polarity", "score", "valence", "arousal", "emotion"}
    assert data["evidence"]["love"][0].keys() >= {"text", "sentence"}
    assert "慈祥" in data["text"]  # Chinese stays readable in the JSON


def test_analyze_many_keeps_order_and_reports_errors() -> None:
    results = list(storyloom.analyze_many([(1, "我很开心。"), (2, "   "), (3, "I am sad.")], errors="return"))
    assert [k for k, _ in results] == [1, 2, 3]
    assert isinstance(results[1][1], storyloom.StoryLoomError)
    assert results[2][1].sentiment.polarity == Polarity.negative
