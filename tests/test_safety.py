"""Crisis-language detection (storyloom.safety), its Report field and renderers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import storyloom

from storyloom.safety import (
    Risk,
    Safety,
    SupportResource,
    assess_text,
    support_notice,
    support_resources,
    supportive_message,
)

ROOT = Path(__file__).resolve().parents[1]


def risk(text: str, lang: str | None = None) -> Risk:
    return assess_text(text, lang).risk


# --- hyperbole and idioms are not urgent (nor concern) --------------------------

@pytest.mark.parametrize("text", [
    "今天加班到十一点，累死了。",
    "这个视频笑死我了哈哈哈。",
    "他居然又迟到了，气死我了！",
    "一天没吃饭，饿死了。",
    "作业还没写完，明天我死定了。",
    "这个bug我跟它死磕了一整天。",
    "最近在看《死亡笔记》。",
])
def test_safety_hyperbole_zh_is_none(text):
    assert risk(text, "zh") == Risk.none


@pytest.mark.parametrize("text", [
    "I could kill for a coffee right now.",
    "This exam is killing me.",
    "I'm dying to see the new film.",
    "That cake was to die for.",
    "I'm dead 😂 that video is hilarious.",
    "She killed it at the recital.",
    "I died 5 times in that boss fight.",
    "My mom is going to kill me when she sees this grade, lol.",
])
def test_safety_hyperbole_en_is_none(text):
    assert risk(text, "en") == Risk.none


# --- negation, recovered past, someone else ------------------------------------------

@pytest.mark.parametrize("text,lang", [
    ("我从没想过伤害自己，只是最近压力有点大。", "zh"),
    ("我不会自杀的，放心吧。", "zh"),
    ("I would never kill myself. I love my family too much.", "en"),
    ("I'm not suicidal, just tired.", "en"),
])
def test_safety_negation_is_not_urgent(text, lang):
    assert risk(text, lang) == Risk.none


@pytest.mark.parametrize("text,lang", [
    ("那段想死的日子已经过去了，现在我每天都去跑步。", "zh"),
    ("以前我会划伤自己，现在已经三年没有这样做过了。", "zh"),
    ("There was a time I wanted to die, but that's behind me now.", "en"),
    ("I used to self-harm in high school, but now I've been clean for six years.", "en"),
])
def test_safety_recovered_past_is_none(text, lang):
    assert risk(text, lang) == Risk.none


def test_safety_past_without_recovery_is_concern():
    assert risk("上个月我割过一次手腕，现在手上还有疤。", "zh") == Risk.concern


@pytest.mark.parametrize("text,lang", [
    ("小说里的主角最后跳海自杀了，我看完难过了很久。", "zh"),
    ("我朋友说她想自杀，我很担心她。", "zh"),
    ("I read in the news that a man shot his neighbour.", "en"),
    ("My grandfather died last spring and I still miss him.", "en"),
])
def test_safety_third_party_fiction_news_grief_is_none(text, lang):
    assert risk(text, lang) == Risk.none


def test_safety_joining_the_dead_is_urgent():
    assert risk("I want to go where mum went. I don't see the point of staying here.", "en") == Risk.urgent


# --- explicit intent is urgent, passive ideation is concern ------------------------------

@pytest.mark.parametrize("text,lang", [
    ("我真的撑不下去了，今晚就想结束这一切。", "zh"),
    ("我已经把安眠药攒够了。", "zh"),
    ("我不想活了。", "zh"),
    ("我真的不想活了，今晚就要結束這一切。", "zh"),  # Traditional
    ("I'm going to kill myself tonight.", "en"),
    ("This is my goodbye. I'm sorry for everything.", "en"),
    ("i cant take it anymore gonna end it tonight", "en"),
])
def test_safety_explicit_intent_is_urgent(text, lang):
    result = assess_text(text, lang)
    assert result.risk == Risk.urgent
    assert "suicide" in result.categories
    assert result.evidence and result.evidence[0].text in text


@pytest.mark.parametrize("text,lang", [
    ("活着没意思。", "zh"),
    ("每天晚上睡觉前都希望第二天不要醒来。", "zh"),
    ("Sometimes I wish I could just disappear.", "en"),
    ("Everyone would be better off without me.", "en"),
])
def test_safety_passive_ideation_is_concern(text, lang):
    from storyloom.safety import assess
    from storyloom.text import prepare

    # the rules grade passive ideation concern; the learned layer may raise a
    # bare sentence of it (it only raises: recall on urgent is the priority)
    assert assess(prepare(text, lang), embeddings=False).risk == Risk.concern
    assert risk(text, lang) in (Risk.concern, Risk.urgent)


def test_safety_intent_raises_concern_cue():
    assert risk("Everyone would be better off without me, so tonight I'm going to make that happen.", "en") == Risk.urgent


def test_safety_abuse_and_threat_categories():
    ongoing = assess_text("他又打我了，我脸上的淤青还没消。", "zh")
    assert ongoing.risk == Risk.concern and ongoing.categories == ["abuse"]
    threat = assess_text("He hits me almost every day. He said if I tell anyone he will kill me.", "en")
    assert threat.risk == Risk.urgent and {"abuse", "violence"} <= set(threat.categories)


def test_safety_evidence_points_at_sentences_in_a_longer_story():
    text = ("我从小在农村长大，爸妈常年在外打工。上大学以后我一直很努力。"
            "现在的我每天都在想怎么死才不会给家里添麻烦。")
    result = assess_text(text, "zh")
    assert result.risk == Risk.urgent
    assert [e.sentence for e in result.evidence] == [2]
    assert result.to_dict()["evidence"][0]["text"].startswith("现在的我")


def test_safety_to_dict_round_trip():
    result = assess_text("I want to die.", "en")
    data = result.to_dict()
    assert set(data) == {"risk", "categories", "evidence", "method"}
    assert data["method"] in ("rules", "rules+embeddings")
    assert {"text", "sentence"} <= set(data["evidence"][0])
    assert Safety.from_dict(json.loads(json.dumps(data))).to_dict() == data


# --- messages and resources -------------------------------------------------------------------

def test_safety_message_answers_in_the_writers_script():
    simp = supportive_message(Risk.urgent, "zh", "simplified")
    trad = supportive_message(Risk.urgent, "zh", "traditional")
    eng = supportive_message(Risk.concern, "en", "none")
    assert "谢谢" in simp and "謝謝" in trad and "联系" in simp and "聯絡" in trad
    assert eng.startswith("Thank you")
    assert supportive_message(Risk.none, "en", "none") == ""


def test_safety_traditional_story_gets_traditional_notice():
    import storyloom

    report = storyloom.analyze("我已經把藥都準備好了，等家人睡著就全部吃掉。", parts=[])
    notice = support_notice(report)
    assert report.script == "traditional" and notice is not None
    assert notice.language == "zh-hant"
    assert "聯絡當地緊急服務" == notice.resources[0].name
    assert "謝謝" in notice.message


def test_safety_shipped_resources_have_emergency_first_and_real_lines():
    for lang, script in (("zh", "simplified"), ("zh", "traditional"), ("en", "none")):
        res = support_resources(lang, script)
        assert isinstance(res[0], SupportResource)
        assert res[0].region == "*"
        assert "emergency" in support_resources("en", "none")[0].name.lower()
    contacts = {r.contact for r in support_resources("zh", "simplified")}
    for number in ("12356", "010-82951332", "400-161-9995", "1925", "1995", "1980",
                   "2389 2222", "2896 0000", "2382 0000"):
        assert number in contacts
    en = support_resources("en", "none")
    assert any("988" in r.contact for r in en) and any("741741" in r.contact for r in en)
    emergency = en[0].contact
    for number in ("110", "120", "119", "999", "911"):
        assert number in emergency


def test_safety_user_yaml_overrides_the_list(tmp_path, monkeypatch):
    path = tmp_path / "support.yaml"
    path.write_text(
        "resources:\n"
        "  - region: GB\n"
        "    name: Samaritans\n"
        "    contact: \"116 123\"\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("STORYLOOM_SUPPORT_RESOURCES", str(path))
    res = support_resources("en", "none")
    assert [r.name for r in res][1:] == ["Samaritans"]
    assert "emergency" in res[0].name.lower()  # added although the file omits it
    assert support_resources("zh", "simplified", regions=["GB"])[1].contact == "116 123"


def test_safety_bad_user_yaml_is_a_clear_error(tmp_path, monkeypatch):
    from storyloom.errors import StoryLoomError

    monkeypatch.setenv("STORYLOOM_SUPPORT_RESOURCES", str(tmp_path / "missing.yaml"))
    with pytest.raises(StoryLoomError, match="STORYLOOM_SUPPORT_RESOURCES"):
        support_resources("en", "none")


# --- Report and renderers -----------------------------------------------------------------------

def test_safety_report_json_has_safety_for_a_normal_story():
    import storyloom

    report = storyloom.analyze("周末和朋友去爬山，山顶的风景特别美。我们在山顶吃了午饭。")
    data = json.loads(report.to_json())
    assert data["schema"] == "storyloom.report/1"
    assert data["safety"] == {"risk": "none", "categories": [], "evidence": [], "method": "rules+embeddings"}


def test_safety_renderers_show_the_message_at_urgent_only():
    import storyloom
    from storyloom.render import render_html, render_markdown, render_text

    urgent = storyloom.analyze("I want to die. I have the pills ready.", parts=[])
    calm = storyloom.analyze("We went camping by the lake and watched the stars.", parts=[])
    message = supportive_message(Risk.urgent, "en", "none")
    for render in (render_text, render_markdown, render_html):
        shown, quiet = render(urgent), render(calm)
        flat = " ".join(shown.replace("│", " ").split())
        assert "Thank you for writing this down" in flat and "988" in flat, render.__name__
        assert "emergency services" in flat.lower()
        assert "Thank you for writing" not in quiet and "988" not in quiet, render.__name__
    assert message.split(".")[0] in render_markdown(urgent)
    # the JSON form renders the same way (stored reports)
    assert "Thank you for writing this down" in render_html(urgent.to_dict())


def test_safety_html_card_is_calm_and_first():
    import storyloom
    from storyloom.render import render_html

    page = render_html(storyloom.analyze("活着没意思。", parts=[]))
    assert 'id="support"' in page and 'data-risk="concern"' in page
    assert page.index('id="support"') < page.index('id="summary"' if 'id="summary"' in page else "</main>")


def test_safety_is_cheap_per_sentence():
    import time

    from storyloom.safety import assess
    from storyloom.text import prepare

    doc = prepare("今天加班到很晚，累死了。回家路上买了烤红薯。I could kill for a coffee. " * 40)
    assess(doc)
    t0 = time.perf_counter()
    assess(doc)
    per_sentence = (time.perf_counter() - t0) / len(doc.sentences)
    assert per_sentence < 0.001


# --- the labelled set: the thresholds on the held-out test split ----------------------

def _eval():
    sys.path.insert(0, str(ROOT))
    try:
        from bench import safety_eval
    finally:
        sys.path.pop(0)
    return safety_eval


def test_safety_labelled_set_shape():
    rows = _eval().load()
    assert len(rows) >= 240
    assert sum(r["risk"] == "urgent" for r in rows) >= 70
    assert sum(r["risk"] == "concern" for r in rows) >= 60
    assert sum(r["risk"] == "none" for r in rows) >= 110
    assert sum(bool(r["hard_negative"]) for r in rows) >= 70
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert {r["lang"] for r in rows} == {"zh", "en"}
    for r in rows:
        assert {"id", "lang", "text", "risk", "categories", "hard_negative", "note", "split"} <= set(r)


def _development_rows():
    """Rows the learned layer never fitted: batch 2 test, the seeded 20 % of batches 4
    and 7 (the same split as scripts/train_safety_model.py) and the narratives' test
    split.  The story-level reader's thresholds were chosen on them, so these are
    development figures; the blind batches below are the test."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import train_safety_model as tsm
    finally:
        sys.path.pop(0)
    return [r for r in tsm.load_rows() + tsm.narrative_rows() if r["part"] == "heldout"]


def test_safety_development_rows_hold_their_figures():
    ev = _eval()
    rows = _development_rows()
    written = [r for r in rows if r["batch"] != "narratives"]
    ordinary = [r for r in rows if r["batch"] == "narratives" and r["risk"] == "none"]
    assert {r["batch"] for r in written} == {2, 4, 7} and len(written) >= 200 and len(ordinary) >= 120
    f = ev.figures(written, ev.predict(written))
    # measured after training (docs/safety.md, "Measured quality"); the margins allow
    # about two more misses each way
    assert f["urgent_recall"] >= DEV_FIGURES["urgent_recall"] - 0.03, f
    assert f["false_urgent_hard_negatives"] <= DEV_FIGURES["false_urgent_hard_negatives"] + 0.025, f
    assert f["concern_or_above_recall"] >= DEV_FIGURES["concern_or_above_recall"] - 0.03, f
    preds = ev.predict(ordinary)
    assert sum(p == "urgent" for p in preds) <= 1, "ordinary stories read urgent"
    assert sum(p != "none" for p in preds) / len(preds) <= 0.10, "ordinary stories flagged"


DEV_FIGURES = {"urgent_recall": 0.788, "false_urgent_hard_negatives": 0.110, "concern_or_above_recall": 0.871}


@pytest.mark.parametrize("batch,n", [(3, 100), (6, 260)])
def test_safety_blind_batches_do_not_regress(batch, n):
    """Batches 3 and 6 (written blind, never read while building the detector): aggregate only."""
    ev = _eval()
    rows = [r for r in ev.load() if r.get("batch") == batch and r["split"] == "test"]
    assert len(rows) == n
    f = ev.figures(rows, ev.predict(rows))
    want = BLIND_FIGURES[batch]
    assert f["urgent_recall"] >= want["urgent_recall"] - 0.05, {k: f[k] for k in ("urgent_recall", "urgent_precision")}
    assert f["false_urgent_hard_negatives"] <= want["false_urgent_hard_negatives"] + 0.05


# bench/safety_eval.py --batch B --split test with the shipped model (docs/safety.md)
# (the issue asks for urgent recall ≥ 0.95 and false urgent ≤ 0.05: not met on blind wording)
BLIND_FIGURES = {3: {"urgent_recall": 0.867, "false_urgent_hard_negatives": 0.050},
                 6: {"urgent_recall": 0.613, "false_urgent_hard_negatives": 0.075}}


def test_safety_rules_alone_still_hold_batches_1_and_2():
    """The rules alone (affect-only fallback without the embedding model)."""
    from storyloom.safety import assess
    from storyloom.text import prepare

    ev = _eval()
    rows = [r for r in ev.load() if r.get("batch", 1) in (1, 2) and not (r.get("batch") == 2 and r["split"] == "test")]
    preds = [assess(prepare(r["text"], r["lang"]), embeddings=False).risk.value for r in rows]
    f = ev.figures(rows, preds)
    assert f["urgent_recall"] >= 0.97 and f["false_urgent_hard_negatives"] <= 0.02, f


# --- the new signal families (texts written for these tests) -------------------------

@pytest.mark.parametrize("text,lang", [
    # settling affairs + a goodbye
    ("Took the guinea pigs to my aunt's and wrote a card for each of my friends. Love you all.", "en"),
    ("把鱼托付给了楼下的阿姨，给爸妈写了信放在抽屉里。对不起爸妈。", "zh"),
    # finality + time
    ("Paid the last of the rent and I won't be needing the flat after this week. Don't look for me.", "en"),
    ("这个号以后就没人用了，谢谢你们一直陪我。", "zh"),
    # euphemisms
    ("honestly gonna kms this weekend, the stuff is already in my drawer", "en"),
    ("i want to unalive myself so bad right now", "en"),
    ("sewerslide tonight, im done", "en"),
    ("我想紫砂，今晚就想。", "zh"),
    ("好想去另一个世界找外婆。", "zh"),
    # a high place + intent
    ("I'm on the roof of the car park. One step and it's quiet.", "en"),
    ("我在桥上，翻过栏杆就好了。", "zh"),
    # intent over several short sentences
    ("I have the pills. Tonight. I've decided.", "en"),
    # someone else's immediate threat to the writer
    ("He's got a knife and he's between me and the door.", "en"),
    ("他拿着菜刀在外面砸门，我躲在卫生间里。", "zh"),
])
def test_safety_new_signal_families_are_urgent(text, lang):
    result = assess_text(text, lang)
    assert result.risk == Risk.urgent, result.to_dict()
    assert result.evidence and all(e.text in text for e in result.evidence)


@pytest.mark.parametrize("text,lang", [
    # the same families' look-alikes
    ("Last day at the office after 35 years! Won't need the alarm anymore. Gave my plants to Jo, thank you for everything!", "en"),
    ("We're moving to Canada, so the cat went to my brother and I said goodbye to the neighbours.", "en"),
    ("Went bungee jumping off a bridge on holiday, one step and then flying!", "en"),
    ("退游了，账号以后不会再上线了，装备都送给公会的兄弟了，谢谢大家。", "zh"),
    ("老系统今天永久下线了，以后不用再维护了。", "zh"),
    ("我朋友说她想去另一个世界找外婆，我陪她聊到很晚，明天带她去看医生。", "zh"),
    ("The kms comment was a joke lol, I'm fine, the exam just went badly.", "en"),
    # places and movements that only sound like a high place (ordinary stories once read as urgent)
    ("You step off the night bus in Lisbon with a backpack and no plan. By sunset you are sitting on a stone wall above the river.", "en"),
    ("我的家乡在黄河边上的一个小镇。小时候镇上只有一条土路。", "zh"),
])
def test_safety_new_families_look_alikes_are_not_urgent(text, lang):
    assert assess_text(text, lang).risk != Risk.urgent


def test_safety_two_medium_signals_combine_across_sentences():
    from storyloom.safety import assess
    from storyloom.text import prepare

    one = prepare("I left the spare key with my neighbour.", "en")
    two = prepare("I left the spare key with my neighbour. Tell everyone I love them.", "en")
    assert assess(one, embeddings=False).risk == Risk.none  # a lone medium signal is not reported
    assert assess(two, embeddings=False).risk == Risk.urgent


def test_safety_method_says_whether_the_learned_layer_read(monkeypatch):
    import storyloom

    report = storyloom.analyze("I gave the dog to my sister. Everything is sorted now.", parts=[])
    assert report.safety.method == "rules+embeddings"
    assert report.to_dict()["safety"]["method"] == "rules+embeddings"
    monkeypatch.setenv("STORYLOOM_SAFETY_EMBEDDINGS", "0")
    assert storyloom.analyze("I gave the dog to my sister.", parts=[]).safety.method == "rules"
    assert Safety.from_dict({"risk": "none"}).method == "rules"


ORDINARY = [
    "妈妈请了假，整夜守在我床边，一会儿给我换毛巾，一会儿摸摸我的额头。第二天早上，我的烧退了。",
    "去年冬天，我和外公在河边钓鱼。他话不多，只是把热水壶递给我。现在想起来，心里还是暖暖的。",
    "I missed the last train home, so my sister drove forty minutes to pick me up. We ate chips in the car.",
    # grief and a layoff: sad, heavy, and no danger (the model before the story-level
    # reader read stories like these as urgent)
    "老伴走了两年了。今天收拾柜子，翻出他年轻时给我写的信。我坐在床边一封一封地看，天黑了才看完。"
    "信我又捆好放回了大衣兜里。那件大衣我不打算送人了。",
    "Got laid off on Friday with the whole team. Carried my box onto the train and stared out of the window "
    "the whole way. Rent is due next week. I told Mum it was fine. I'll start applying on Monday, I guess.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_heavy_stories_raise_no_urgent_alarm(text):
    assert storyloom.analyze(text).safety.risk.value != "urgent"


def test_cascade_embeds_windows_only_where_a_sentence_reads_warm(monkeypatch):
    """The learned layer embeds sentences and the whole story first and 2–3-sentence
    windows only around a sentence that reads as risk (or a rule signal)."""
    from storyloom.safety import assess, learned
    from storyloom.text import prepare

    model = learned.load_model()
    if model is None or not learned.available():
        pytest.skip("the embedding model is not installed")
    assert learned.cascade_threshold(model) > 0
    asked: list[int] = []
    real = learned.unit_vectors

    def counting(texts, langs, units, focus=None):
        asked.append(sum(1 for a, b in units if b - a > 1 and (a, b) != (0, len(texts))))
        return real(texts, langs, units, focus)

    monkeypatch.setattr(learned, "unit_vectors", counting)
    ordinary = prepare(
        "周六早上，我和爸爸去菜市场买菜。他挑西红柿挑得特别认真，一个一个捏。卖菜的阿姨多送了我们一把葱。"
        "回家路上我们买了两个煎饼果子，边走边吃。到家以后妈妈已经把粥熬好了。我们三个人坐在阳台上吃早饭。"
        "楼下有小孩在放风筝，爸爸说他小时候也放过。那天的太阳很好。", "zh")
    all_windows = sum(1 for a, b in learned.spans(len(ordinary.sentences)) if 1 < b - a <= learned.MAX_WINDOW)
    assert assess(ordinary).risk.value == "none"
    assert sum(asked) < all_windows / 2, (asked, all_windows)
    asked.clear()
    risky = prepare(
        "周六早上，我和爸爸去菜市场买菜。他挑西红柿挑得特别认真。回家路上我们买了两个煎饼果子。"
        "药我已经攒够了，就放在抽屉里。今晚等他们睡了就吃。到家以后妈妈已经把粥熬好了。那天的太阳很好。", "zh")
    result = assess(risky)
    assert result.risk.value == "urgent", result.to_dict()
    assert sum(asked) >= 2  # the windows around the two risky sentences were read
