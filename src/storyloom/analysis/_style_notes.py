"""One plain-language sentence per style figure, in the story's language.

Each note says what the value means for *this* story, so a student or a
teacher can read it without knowing the measure.  Bands below are reading
aids chosen by us, not norms from the literature, except where a source is
named (Flesch 1948 for reading ease).
"""

from __future__ import annotations

from ._style_types import (
    Dialogue,
    Figurative,
    LexicalDiversity,
    NarrativeArc,
    POV,
    Readability,
    Rhythm,
    Sensory,
    Tense,
    TenseProfile,
)

NOTE_KEYS_ZH = (
    "pov", "sentence_length", "sentence_variety", "longest_sentence", "lexical_diversity", "ttr",
    "readability", "common_characters", "word_length", "dialogue", "figurative", "sensory", "narrative_arc",
)
NOTE_KEYS_EN = (
    "pov", "sentence_length", "sentence_variety", "longest_sentence", "lexical_diversity", "ttr",
    "readability", "reading_ease", "word_length", "dialogue", "figurative", "sensory", "tense", "narrative_arc",
)

SENSE_ZH = {"sight": "视觉", "sound": "听觉", "smell": "嗅觉", "touch": "触觉", "taste": "味觉"}
MTLD_BANDS = (40.0, 80.0)  # below: repetitive; above: rich (reading aid)
_PART_ZH = "一二三四五"


def _pct(x: float) -> str:
    return f"{round(100 * x):d}%"


def _peak(values: list[float]) -> int:
    return max(range(len(values)), key=lambda k: (values[k], -k))


def _trend(values: list[float]) -> float:
    return (sum(values[-2:]) - sum(values[:2])) / 2.0


def notes_zh(
    pov: POV, rhythm: Rhythm, lexdiv: LexicalDiversity, read: Readability, dia: Dialogue,
    fig: Figurative, sens: Sensory, arc: NarrativeArc,
) -> dict[str, str]:
    notes: dict[str, str] = {}
    notes["pov"] = {
        POV.first: "故事用第一人称（“我”）讲述，读者透过叙述者的眼睛经历这一切。",
        POV.second: "故事用第二人称（“你”）讲述，把读者直接放进了故事里。",
        POV.third: "故事用第三人称（“他/她”）讲述，叙述者站在人物之外讲他们的经历。",
    }[pov]
    m = rhythm.mean
    band = "短句为主，节奏明快" if m < 12 else ("长短适中，读起来顺畅" if m <= 25 else "句子偏长，读来从容但也更费力")
    notes["sentence_length"] = f"平均每句约 {m:.0f} 个字，{band}。"
    cv = rhythm.cv
    notes["sentence_variety"] = (
        "句子长短比较整齐，节奏平稳。" if cv < 0.3 else
        ("句子长短交错，读起来有节奏感。" if cv <= 0.6 else "句子长短变化很大，节奏起伏明显。")
    )
    notes["longest_sentence"] = f"最长的是第 {rhythm.longest_index + 1} 句，有 {rhythm.longest} 个字。"
    if lexdiv.mtld is None:
        notes["lexical_diversity"] = "故事里几乎没有重复的词，文本太短，无法计算用词丰富度（MTLD）。"
    else:
        level = "用词较多重复" if lexdiv.mtld < MTLD_BANDS[0] else ("用词比较丰富" if lexdiv.mtld <= MTLD_BANDS[1] else "用词非常丰富、很少重复")
        tail = "" if lexdiv.reliable else f"（全文只有 {lexdiv.tokens} 个词，数值仅供参考）"
        notes["lexical_diversity"] = f"用词丰富度（MTLD）为 {lexdiv.mtld:.0f}，{level}{tail}。"
    notes["ttr"] = (
        f"全文 {lexdiv.tokens} 个词中有 {lexdiv.types} 个不同的词（类符形符比 {lexdiv.ttr:.2f}），"
        "文章越长这个比值自然越低。"
    )
    notes["readability"] = (
        f"粗略估计阅读难度相当于 {read.grade:.0f} 年级左右（由句长、词长和常用字比例推算，适合互相比较，不是正式分级）。"
    )
    share = read.common_char_share or 0.0
    notes["common_characters"] = (
        f"{_pct(share)} 的汉字属于《现代汉语常用字表》的 2500 个常用字，比例越高越容易读。"
    )
    notes["word_length"] = f"平均每个词 {read.avg_word_length:.1f} 个字；多字词越多，文字越书面化。"
    if dia.utterances == 0 and dia.share == 0:
        notes["dialogue"] = "故事里没有引号中的对话，全部是叙述。"
    else:
        notes["dialogue"] = f"约 {_pct(dia.share)} 的文字是引号里的对话，共 {dia.utterances} 处；对话让人物自己说话，场面更鲜活。"
    if fig.count:
        ex = fig.examples[0].text if fig.examples else ""
        notes["figurative"] = f"找到 {fig.count} 处比喻或“仿佛”式的描写（如“{ex}”），每千字 {fig.per_1000:.1f} 处。"
    else:
        notes["figurative"] = "没有找到“像……一样”“仿佛”这类比喻描写。"
    if sens.total and sens.dominant:
        parts = "、".join(f"{SENSE_ZH[k]} {v} 处" for k, v in sens.counts.items() if v)
        notes["sensory"] = f"感官描写以{SENSE_ZH[sens.dominant]}为主（{parts}），写出看到、听到、闻到、摸到和尝到的，能让读者身临其境。"
    else:
        notes["sensory"] = "几乎没有写到看到、听到、闻到、摸到或尝到的东西。"
    notes["narrative_arc"] = _arc_zh(arc)
    return notes


def _arc_zh(arc: NarrativeArc) -> str:
    words = sum(arc.segment_words)
    if words < 10:
        return "故事太短，分不出五个部分，叙事弧线没有意义。"
    stage = _PART_ZH[_peak(arc.staging)]
    tension = _PART_ZH[_peak(arc.cognitive_tension)]
    plot = "逐渐增多" if _trend(arc.plot_progression) > 0 else "逐渐减少"
    short = "（故事较短，曲线只是粗略的）" if words < 50 else ""
    return f"铺陈场景的词在第{stage}部分最多，推动情节的词{plot}，思考与纠结的词在第{tension}部分达到高峰{short}。"


def notes_en(
    pov: POV, rhythm: Rhythm, lexdiv: LexicalDiversity, read: Readability, dia: Dialogue,
    fig: Figurative, sens: Sensory, tense: TenseProfile | None, arc: NarrativeArc,
) -> dict[str, str]:
    notes: dict[str, str] = {}
    notes["pov"] = {
        POV.first: "The story is told in the first person (\"I\"), so we live it through the narrator's eyes.",
        POV.second: "The story is told in the second person (\"you\"), which puts the reader inside it.",
        POV.third: "The story is told in the third person (\"he/she/they\"), by a narrator standing outside the characters.",
    }[pov]
    m = rhythm.mean
    band = "short and brisk" if m < 10 else ("a comfortable medium length" if m <= 20 else "long and leisurely, which asks more of the reader")
    notes["sentence_length"] = f"Sentences average about {m:.0f} words: {band}."
    cv = rhythm.cv
    notes["sentence_variety"] = (
        "Sentences are of similar length, giving an even, steady rhythm." if cv < 0.3 else
        ("Short and long sentences alternate, which gives the prose rhythm." if cv <= 0.6 else
         "Sentence length swings widely, from very short to very long.")
    )
    notes["longest_sentence"] = f"The longest sentence (number {rhythm.longest_index + 1}) has {rhythm.longest} words."
    if lexdiv.mtld is None:
        notes["lexical_diversity"] = "No word repeats, so the text is too short to measure vocabulary variety (MTLD)."
    else:
        level = "a fairly repetitive vocabulary" if lexdiv.mtld < MTLD_BANDS[0] else (
            "a varied vocabulary" if lexdiv.mtld <= MTLD_BANDS[1] else "a very rich vocabulary with little repetition")
        tail = "" if lexdiv.reliable else f" (only {lexdiv.tokens} words, so treat it as a rough guide)"
        notes["lexical_diversity"] = f"Vocabulary variety (MTLD) is {lexdiv.mtld:.0f}, {level}{tail}."
    notes["ttr"] = (
        f"{lexdiv.types} different words out of {lexdiv.tokens} (type–token ratio {lexdiv.ttr:.2f}); "
        "this ratio naturally falls as a text gets longer."
    )
    fk = read.flesch_kincaid_grade if read.flesch_kincaid_grade is not None else read.grade
    if fk < 1:
        notes["readability"] = f"Flesch–Kincaid grade {fk:.1f}: below first grade, so very simple to read."
    else:
        notes["readability"] = f"Flesch–Kincaid grade {fk:.1f}: roughly the US school grade that could read it comfortably."
    fre = read.flesch_reading_ease if read.flesch_reading_ease is not None else 0.0
    band = ("very easy, like a children's book" if fre >= 80 else
            "plain English, easy for most readers" if fre >= 60 else
            "fairly difficult" if fre >= 30 else "very difficult, like academic prose")
    shown = f"{fre:.0f} out of 100" if fre <= 100 else f"{fre:.0f}, above the usual 0–100 range"
    notes["reading_ease"] = f"Flesch reading ease is {shown}: {band}."
    notes["word_length"] = f"Words average {read.avg_word_length:.2f} syllables; more long words make reading slower."
    if dia.utterances == 0 and dia.share == 0:
        notes["dialogue"] = "There is no quoted dialogue: the whole story is narration."
    else:
        notes["dialogue"] = (
            f"About {_pct(dia.share)} of the words are quoted speech, in {dia.utterances} "
            f"{'utterance' if dia.utterances == 1 else 'utterances'}, letting the characters speak for themselves."
        )
    if fig.count:
        ex = fig.examples[0].text if fig.examples else ""
        notes["figurative"] = (
            f"{fig.count} {'simile or as-if comparison' if fig.count == 1 else 'similes or as-if comparisons'} "
            f"(such as \"{ex}\"), {fig.per_1000:.1f} per 1,000 words."
        )
    else:
        notes["figurative"] = "No similes (\"like a …\", \"as if\") were found."
    if sens.total and sens.dominant:
        parts = ", ".join(f"{k} {v}" for k, v in sens.counts.items() if v)
        notes["sensory"] = f"Sensory detail leans on {sens.dominant} ({parts}), which helps the reader be there."
    else:
        notes["sensory"] = "There is little about what was seen, heard, smelled, touched or tasted."
    if tense is not None:
        notes["tense"] = {
            Tense.past: f"The narration is in the past tense ({_pct(tense.past_share or 0)} of verb forms), as most personal stories are.",
            Tense.present: "The narration is in the present tense, which makes events feel immediate.",
            Tense.mixed: f"The narration mixes past and present tense ({_pct(tense.past_share or 0)} past), for example when looking back from today.",
            Tense.unknown: "There are too few verb forms in the narration to tell its tense.",
        }[tense.tense]
    notes["narrative_arc"] = _arc_en(arc)
    return notes


def _arc_en(arc: NarrativeArc) -> str:
    words = sum(arc.segment_words)
    if words < 10:
        return "The story is too short to split into five parts, so the narrative arc says little."
    stage = _peak(arc.staging) + 1
    tension = _peak(arc.cognitive_tension) + 1
    plot = "rise" if _trend(arc.plot_progression) > 0 else "fall"
    short = " (a short story, so the curves are rough)" if words < 50 else ""
    return (
        f"Scene-setting words peak in part {stage} of 5, plot-driving words {plot} through the story, "
        f"and thinking words peak in part {tension}{short}."
    )
