"""Labov's narrative structure: one role per sentence, and where the story turns.

Labov & Waletzky (1967) / Labov (1972) describe a personal narrative as
*orientation* (who, where, when, the background), *complicating action* (the
events, in order), *evaluation* (why it matters: feelings, judgements,
exclamations), *resolution* (how it ended) and *coda* (back to the present,
the lesson).  This labeller is rule-based and documented step by step so a
reader can check every label against the cues it lists.

Decision procedure, for sentence ``i`` of ``n`` (relative position
``p = i / (n - 1)``):

1. **Cues.** Each role scores the summed weights of its cues found in the
   sentence (``structure_cues.tsv``: Chinese cues of two or more characters
   match anywhere in the Simplified sentence, one-character cues only as a
   whole LAC word; English cues match whole words).  Each cue counts once.
   Extra cues: Chinese verbs followed by perfective 了/过 (events; not
   already a cue word) and English past-tense verbs not after an auxiliary
   add 0.5 each (at most 1.5) to complicating action; Chinese durative
   V着 and English ``was/were …ing`` or ``used to`` (background) add 0.5 to
   orientation; Chinese adjectives (LAC a/ad/an) add 0.3 each (at most
   0.9) to evaluation; ``-ed`` feeling
   adjectives (scared, relieved) add 1 to evaluation; ``!``/``！`` adds 1 to
   evaluation, a question 0.5; a sentence that is mostly dialogue adds 0.5
   to complicating action (speech moves the story on); a time and a place
   mention in the first half add 0.5 each to orientation (when :func:`analyse_structure`
   is given the story's elements).
2. **Position priors.** Orientation +1.0 on the first sentence and +0.5 on
   the second (stories of five sentences or more); complicating action +0.4
   on every sentence that is neither first nor last (the default for a
   narrative clause); resolution +0.5 when ``p >= 0.7`` and +0.6 more on the
   last sentence; coda +0.3 on the last sentence.
3. **Gates.** Orientation scores are halved once a complicating action has
   been labelled (embedded background needs strong cues).  Resolution scores
   count only after the first complicating action.  Coda cues count only
   when ``p >= 0.5`` (a quarter of their weight before); from there on a
   sentence that opens with 现在/如今/now/today adds 1.0 to coda.
4. **Choice.** The highest score wins; ties go to the earlier role in the
   order orientation, complicating action, evaluation, resolution, coda.
   A sentence with no score at all is orientation before the first action
   and complicating action after it.  The last sentence of a story of three
   or more, when it would be a complicating action after an earlier one,
   is the resolution (the final event is how it ended; cue ``final-event``).
5. ``confidence`` is ``(best - second) / best`` in [0, 1].

The summary (:class:`Structure`) names the turn (first complicating
action), the evaluation peak (highest evaluation score, ties to the
earlier sentence), the resolution (first resolution after the turn) and the
coda (first coda).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from ..text.document import Document, Language, Sentence
from . import _lexicons

if TYPE_CHECKING:  # pragma: no cover
    from .elements import Elements


class LabovRole(str, Enum):
    """Labov's narrative roles."""

    orientation = "orientation"
    complicating_action = "complicating-action"
    evaluation = "evaluation"
    resolution = "resolution"
    coda = "coda"


ROLE_ORDER = tuple(LabovRole)
_CUE_ROLE = {  # role names used in structure_cues.tsv
    "orientation": LabovRole.orientation,
    "complicating_action": LabovRole.complicating_action,
    "evaluation": LabovRole.evaluation,
    "resolution": LabovRole.resolution,
    "coda": LabovRole.coda,
}

# Priors and extra-cue weights (hand-set; see the module docstring).
FIRST_ORIENTATION = 1.0
SECOND_ORIENTATION = 0.5
MIDDLE_ACTION = 0.4
LATE_RESOLUTION = 0.5  # p >= LATE
LAST_RESOLUTION = 0.6
LAST_CODA = 0.3
LATE = 0.7
CODA_FROM = 0.5
EARLY_CODA_FACTOR = 0.25
ORIENTATION_AFTER_ACTION = 0.5
VERB_CUE = 0.5
VERB_CUE_MAX = 1.5
EXCLAMATION = 1.0
QUESTION = 0.5
DIALOGUE_ACTION = 0.5
SETTING_MENTION = 0.5
PRESENT_START = 1.0
ADJECTIVE_CUE = 0.3
ADJECTIVE_MAX = 0.9

# A sentence opening with "now" in the second half returns to the present (coda).
_PRESENT_START = re.compile(r"(?:现在|現在|如今|今天|至今|now\b|today\b|these days\b|to this day\b)", re.IGNORECASE)
_ZH_PERFECTIVE = frozenset({"了", "过", "過"})
_ZH_DURATIVE = frozenset({"着", "著"})  # OpenCC keeps 著 (著作); LAC splits 推/著
_ZH_TAI = re.compile(r"太[^，。！？,.!?]{1,4}了")
_EN_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*")
_EN_PROGRESSIVE = re.compile(r"\b(?:was|were)\s+\w+ing\b|\bused\s+to\b", re.IGNORECASE)
_EN_IRREGULAR_PAST = frozenset("""
went came saw took gave got made ran told found brought bought caught drove fell held kept lost met
paid put sat sent stood threw woke wrote broke chose forgot grew hid hit hurt led let rode rang rose
sang sank shook shut slept spoke spent stole struck swam swung tore won wore left flew began
""".split())
_EN_FEELING_ED = frozenset("""
tired scared excited worried surprised shocked amazed interested bored relieved embarrassed ashamed
frightened terrified confused disappointed pleased touched moved overwhelmed heartbroken annoyed
frustrated stunned thrilled delighted devastated horrified
""".split())
_EN_AUX = frozenset({"was", "were", "been", "be", "is", "are", "had", "has", "have", "being", "get", "got"})


@dataclass(slots=True)
class StructureLabel:
    """The Labov role of one sentence and the cues that decided it.

    ``scores`` holds every role's final score (after priors and gates);
    ``confidence`` in [0, 1] is the winner's margin over the runner-up.
    """

    sentence: int
    role: LabovRole
    cues: list[str]
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Structure:
    """Per-sentence roles and where the story turns (sentence indices or ``None``)."""

    labels: list[StructureLabel] = field(default_factory=list)
    turn: int | None = None  # first complicating action
    peak: int | None = None  # strongest evaluation
    resolution: int | None = None  # first resolution after the turn
    coda: int | None = None  # first coda
    roles: dict[str, int] = field(default_factory=dict)  # sentences per role


def label_structure(doc: Document) -> list[StructureLabel]:
    """One :class:`StructureLabel` per sentence of ``doc``, in order."""
    return analyse_structure(doc).labels


def analyse_structure(doc: Document, *, elements: Elements | None = None) -> Structure:
    """Labels plus the summary; ``elements`` (optional) adds setting cues."""
    sentences = list(doc.sentences)
    setting = _setting_sentences(elements)
    zh_tags = _zh_tags([s for s in sentences if s.language is Language.zh])
    n = len(sentences)
    labels: list[StructureLabel] = []
    eval_raw: list[float] = []
    seen_action = False
    for i, s in enumerate(sentences):
        p = i / (n - 1) if n > 1 else 0.0
        raw, cues = _cue_scores(s, zh_tags.get(s.index))
        if s.index in setting and p <= 0.5:
            raw[LabovRole.orientation] += SETTING_MENTION * len(setting[s.index])
            cues.append("setting:" + "+".join(sorted(setting[s.index])))
        eval_raw.append(raw[LabovRole.evaluation])
        scores = dict(raw)
        if i == 0:
            scores[LabovRole.orientation] += FIRST_ORIENTATION
            cues.append("position:first")
        elif i == 1 and n >= 5:
            scores[LabovRole.orientation] += SECOND_ORIENTATION
            cues.append("position:second")
        if 0 < i < n - 1:
            scores[LabovRole.complicating_action] += MIDDLE_ACTION
        if n > 1 and p >= LATE:
            scores[LabovRole.resolution] += LATE_RESOLUTION
        if n > 2 and i == n - 1:
            scores[LabovRole.resolution] += LAST_RESOLUTION
            scores[LabovRole.coda] += LAST_CODA
            cues.append("position:last")
        if seen_action:
            scores[LabovRole.orientation] *= ORIENTATION_AFTER_ACTION
        else:
            scores[LabovRole.resolution] = 0.0
        if n > 2 and p < CODA_FROM:
            scores[LabovRole.coda] *= EARLY_CODA_FACTOR
        elif n > 2 and _PRESENT_START.match(s.text.lstrip("“\"'「 ")):
            scores[LabovRole.coda] += PRESENT_START
            cues.append("present-start")
        best = max(ROLE_ORDER, key=lambda r: (scores[r], -ROLE_ORDER.index(r)))
        if scores[best] <= 0:
            best = LabovRole.complicating_action if seen_action else LabovRole.orientation
        if best is LabovRole.complicating_action and seen_action and n > 2 and i == n - 1:
            best = LabovRole.resolution  # the last event of the story is how it ended
            cues.append("final-event")
        ranked = sorted(scores.values(), reverse=True)
        confidence = (ranked[0] - ranked[1]) / ranked[0] if ranked[0] > 0 else 0.0
        if best is LabovRole.complicating_action:
            seen_action = True
        labels.append(StructureLabel(
            sentence=s.index, role=best, cues=cues, confidence=round(confidence, 3),
            scores={r.value: round(scores[r], 3) for r in ROLE_ORDER},
        ))
    return _summarise(labels, eval_raw)


def _summarise(labels: list[StructureLabel], eval_raw: list[float]) -> Structure:
    turn = next((lab.sentence for lab in labels if lab.role is LabovRole.complicating_action), None)
    peak = None
    best = 0.0
    for lab, score in zip(labels, eval_raw):
        if lab.role is LabovRole.evaluation and score > best:
            peak, best = lab.sentence, score
    resolution = next((lab.sentence for lab in labels if lab.role is LabovRole.resolution
                       and (turn is None or lab.sentence > turn)), None)
    coda = next((lab.sentence for lab in labels if lab.role is LabovRole.coda), None)
    roles = {r.value: sum(1 for lab in labels if lab.role is r) for r in ROLE_ORDER}
    return Structure(labels=labels, turn=turn, peak=peak, resolution=resolution, coda=coda, roles=roles)


def _setting_sentences(elements: Elements | None) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    if elements is None:
        return out
    for name, mentions in (("time", elements.times), ("place", elements.places)):
        for m in mentions:
            for i in m.sentences:
                out.setdefault(i, set()).add(name)
    return out


def _zh_tags(sentences: list[Sentence]) -> dict[int, list]:
    """LAC tags per Chinese sentence (cached from element extraction), or {} without LAC."""
    if not sentences:
        return {}
    from . import _ner_lac, _ner_zh

    try:
        tags = _ner_zh.tag_sentences(sentences)
    except _ner_lac.TaggerUnavailable:
        return {}
    return {s.index: t for s, t in zip(sentences, tags)}


def _cue_scores(s: Sentence, tags: list | None) -> tuple[dict[LabovRole, float], list[str]]:
    scores = {r: 0.0 for r in ROLE_ORDER}
    cues: list[str] = []
    table = _lexicons.structure_cues()
    if s.language is Language.zh:
        from ._ner_zh import simplified_view

        text = simplified_view(s.text)
        seq = [t[2] for t in tags] if tags else [t.norm for t in s.tokens]
        # one-character cues match whole words, and an action verb must not be durative (推着)
        words = {w for k, w in enumerate(seq) if k + 1 >= len(seq) or seq[k + 1] not in _ZH_DURATIVE}
        used: list[tuple[int, int]] = []
        for cue in table.get("zh", ()):
            if len(cue.cue) == 1:
                hit = cue.cue in words
            else:
                at = text.find(cue.cue)
                hit = at >= 0 and not any(a <= at < b for a, b in used)
                if hit:
                    used.append((at, at + len(cue.cue)))
            if hit:
                scores[_CUE_ROLE[cue.role]] += cue.weight
                cues.append(cue.cue)
        m = _ZH_TAI.search(text)
        if m:
            scores[LabovRole.evaluation] += 1.5
            cues.append(m.group(0))
        if tags:
            cue_words = set(cues)
            events = [tags[k][2] for k in range(len(tags) - 1)
                      if tags[k][3] == "v" and tags[k + 1][2] in _ZH_PERFECTIVE
                      and tags[k][2] not in cue_words]
            durative = [tags[k][2] for k in range(len(tags) - 1)
                        if tags[k][3] == "v" and tags[k + 1][2] in _ZH_DURATIVE]
            adjectives = [t[2] for t in tags if t[3] in ("a", "ad", "an") and t[2] not in cue_words]
            if events:
                scores[LabovRole.complicating_action] += min(VERB_CUE_MAX, VERB_CUE * len(events))
                cues.extend(f"verb:{v}了" for v in events[:3])
            if durative:
                scores[LabovRole.orientation] += VERB_CUE
                cues.append(f"durative:{durative[0]}着")
            if adjectives:
                scores[LabovRole.evaluation] += min(ADJECTIVE_MAX, ADJECTIVE_CUE * len(adjectives))
                cues.extend(f"adjective:{a}" for a in adjectives[:3])
        exclaim = "！" in s.text or "!" in s.text
        question = "？" in s.text or "?" in s.text
    else:
        low = s.text.lower().replace("’", "'")
        words = _EN_WORD.findall(low)
        padded = " " + " ".join(words) + " "
        used_spans: list[tuple[int, int]] = []
        for cue in table.get("en", ()):
            needle = " " + cue.cue + " "
            at = padded.find(needle)
            if at >= 0 and not any(a <= at + 1 < b for a, b in used_spans):
                used_spans.append((at + 1, at + len(needle) - 1))
                scores[_CUE_ROLE[cue.role]] += cue.weight
                cues.append(cue.cue)
        if _EN_PROGRESSIVE.search(s.text):
            scores[LabovRole.orientation] += 0.5
            cues.append("progressive/habitual")
        past = []
        feeling = []
        for k, w in enumerate(words):
            prev = words[k - 1] if k else ""
            if w in _EN_FEELING_ED:
                feeling.append(w)
            elif (w in _EN_IRREGULAR_PAST or (w.endswith("ed") and len(w) > 3)) and prev not in _EN_AUX:
                past.append(w)
        if past:
            scores[LabovRole.complicating_action] += min(VERB_CUE_MAX, VERB_CUE * len(past))
            cues.extend(f"verb:{v}" for v in past[:3])
        if feeling:
            scores[LabovRole.evaluation] += 1.0
            cues.extend(f"feeling:{w}" for w in feeling[:2])
        exclaim = "!" in s.text
        question = "?" in s.text
    if exclaim:
        scores[LabovRole.evaluation] += EXCLAMATION
        cues.append("!")
    if question:
        scores[LabovRole.evaluation] += QUESTION
        cues.append("?")
    if s.is_dialogue:
        scores[LabovRole.complicating_action] += DIALOGUE_ACTION
        cues.append("dialogue")
    return scores, cues
