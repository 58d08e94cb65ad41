"""Crisis-language detection: suicide, self-harm, abuse and violence.

Every sentence is read on its own, in Chinese (Simplified characters; a
Traditional sentence is mapped character by character, so offsets hold) or in
English (lower-cased).  Cues and context markers are data
(``resources/safety/cues_*.tsv`` and ``context_*.tsv``); this module applies
the rules, one small function per rule, in this order:

1. **Hyperbole and idioms are masked** (累死了, 笑死, 死定了, 《死亡笔记》,
   "this exam is killing me", "to die for", "killed it"): the span is blanked
   so no cue can match inside it.
2. **Cues match in file order**; a match blanks its span, so a specific row
   (想死的心都有了 → concern) wins over a general one (想死 → urgent).
3. **Negation** (:func:`_negated`): a negator in the same clause just before
   the cue (我从没想过伤害自己, "I would never kill myself") drops the cue.
4. **Someone else** (:func:`_third_party`): for cues marked ``self``, a third
   person as the subject of the clause (我朋友说她想自杀) drops the cue; a
   fiction/news/history/game/education *frame* in the sentence (小说里,
   "in the news", "the song goes") drops every cue of that sentence.
5. **Intent raises** (:func:`_escalates`): a concern cue marked ``esc`` (burden,
   self-harm, wish to disappear) becomes urgent next to an intent or
   imminence marker (今晚, 打算, "tonight", "going to"), or when the next
   sentence states a firm intent (``intent_next``: 今晚, 决定, "make sure").
6. **Past and recovery** (:func:`_past`): a cue told as past (以前, 那段…,
   "used to", "there was a time") is at most concern; with a recovery marker
   in the sentence or the next two (已经过去了, 现在过得很好, "but now",
   "behind me") it is dropped.
7. **Joking tone** (哈哈, "lol", 😂) drops abuse/violence cues and lowers
   suicide/self-harm cues one level (never below what the words alone would
   merit minus one: a joke about wanting to die is still a concern).

Levels (documented in docs/safety.md): **urgent** — explicit present/future
intent, a plan or means, a goodbye/finality statement, a present desire to
die, strangulation, a threat to the writer's life, child sexual abuse at
night, the writer planning violence; **concern** — passive ideation (活着没意思,
"I wish I could disappear", 不想醒来), burden, hopelessness, self-harm without
present intent, ongoing abuse, threats that are not to life; **none** otherwise.
Recall on urgent is the priority: when in doubt a rule keeps the higher level.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from importlib import resources as _res
from typing import Any

import numpy as np

from ..text.document import Document

CATEGORIES: tuple[str, ...] = ("suicide", "self-harm", "abuse", "violence")


class Risk(str, Enum):
    """How worrying a story's crisis language is."""

    none = "none"
    concern = "concern"
    urgent = "urgent"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"none": 0, "concern": 1, "urgent": 2}
_BY_RANK = {0: Risk.none, 1: Risk.concern, 2: Risk.urgent}


@dataclass(slots=True)
class SafetyEvidence:
    """One sentence that raised the risk: its text, index, category and level.

    ``cue`` is the phrase that matched (a substring of ``text``).
    """

    text: str
    sentence: int
    category: str
    level: Risk
    cue: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "sentence": self.sentence, "category": self.category,
            "level": self.level.value, "cue": self.cue,
        }


@dataclass(slots=True)
class Safety:
    """The crisis-language reading of one story (``Report.safety``)."""

    risk: Risk = Risk.none
    categories: list[str] = field(default_factory=list)
    evidence: list[SafetyEvidence] = field(default_factory=list)
    method: str = "rules"  # "rules" | "rules+embeddings": whether the learned layer read the story

    def to_dict(self) -> dict[str, Any]:
        return {
            "risk": self.risk.value,
            "categories": list(self.categories),
            "evidence": [e.to_dict() for e in self.evidence],
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Safety":
        """Inverse of :meth:`to_dict` (unknown keys ignored)."""
        if not data:
            return cls()
        return cls(
            risk=Risk(data.get("risk", "none")),
            categories=list(data.get("categories", [])),
            method=str(data.get("method", "rules")),
            evidence=[
                SafetyEvidence(
                    text=e.get("text", ""), sentence=int(e.get("sentence", 0)),
                    category=e.get("category", ""), level=Risk(e.get("level", data.get("risk", "none"))),
                    cue=e.get("cue", ""),
                )
                for e in data.get("evidence", [])
            ],
        )


# ---------------------------------------------------------------- tables --

@dataclass(frozen=True, slots=True)
class _Cue:
    level: Risk
    category: str
    is_self: bool  # dropped when a third person is the subject
    esc: bool  # concern raised to urgent by an intent marker
    pair: bool  # a medium signal (see _rule_evidence)
    regex: re.Pattern[str]
    note: str


@dataclass(frozen=True, slots=True)
class _Tables:
    cues: tuple[_Cue, ...]
    context: dict[str, re.Pattern[str]]


def _rows(name: str) -> list[list[str]]:
    text = _res.files("storyloom.resources").joinpath("safety", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=2)
def _tables(lang: str) -> _Tables:
    cues = []
    for level, category, flags, pattern, note in _rows(f"cues_{lang}.tsv"):
        if category not in CATEGORIES:
            raise ValueError(f"cues_{lang}.tsv: unknown category {category!r}")
        flag_set = set(flags.split(","))
        cues.append(_Cue(Risk(level), category, "self" in flag_set, "esc" in flag_set, "pair" in flag_set,
                         re.compile(pattern), note))
    parts: dict[str, list[str]] = {}
    for kind, pattern, *_ in _rows(f"context_{lang}.tsv"):
        parts.setdefault(kind, []).append(f"(?:{pattern})")
    context = {kind: re.compile("|".join(pats)) for kind, pats in parts.items()}
    return _Tables(tuple(cues), context)


_NEVER = re.compile(r"(?!)")
_ZH_CLAUSE = re.compile(r"[，,；;：:、—…]")
_EN_CLAUSE = re.compile(r"[,;:—–]|\bbut\b|\band then\b")
_BLANK = "\u25a1"  # □, never part of a cue


def _ctx(tables: _Tables, kind: str) -> re.Pattern[str]:
    return tables.context.get(kind, _NEVER)


# ----------------------------------------------------------------- rules --

def _prepare_sentence(text: str, lang: str) -> str:
    """The form cues are matched against; always the same length as ``text``."""
    if lang == "zh":
        from ..text.script import to_simplified_chars

        return to_simplified_chars(text).lower()
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: _BLANK * len(m.group(0)), text)


def _clause(low: str, start: int, end: int, lang: str) -> tuple[int, int]:
    """Start and end of the clause around ``[start, end)``."""
    splitter = _ZH_CLAUSE if lang == "zh" else _EN_CLAUSE
    c_start = 0
    for m in splitter.finditer(low, 0, start):
        c_start = m.end()
    m = splitter.search(low, end)
    return c_start, (m.start() if m else len(low))


def _negated(prefix: str, lang: str, tables: _Tables) -> bool:
    """A negator in the same clause just before the cue."""
    if lang == "zh":
        window = prefix[-8:]
        if _ctx(tables, "negator").search(window):
            return True
        return bool(prefix) and _ctx(tables, "negator1").fullmatch(prefix[-1]) is not None
    cleaned = _ctx(tables, "notneg").sub(" ", prefix)
    words = re.findall(r"[\w']+", cleaned)[-3:]
    return _ctx(tables, "negator").search(" ".join(words)) is not None


def _third_party(clause_prefix: str, lang: str, tables: _Tables) -> bool:
    """The last person named in the clause before a ``self`` cue is not the writer."""
    last = None
    for m in _ctx(tables, "person").finditer(clause_prefix):
        last = m.group(0)
    if last is None:
        return False
    return last not in ("我", "i", "me", "my", "myself")


def _escalates(cue: _Cue, low: str, tables: _Tables) -> bool:
    return cue.esc and cue.level == Risk.concern and _ctx(tables, "intent").search(low) is not None


def _past(clause_text: str, tables: _Tables) -> bool:
    return _ctx(tables, "past").search(clause_text) is not None


def _lower(level: Risk) -> Risk:
    return _BY_RANK[max(0, level.rank - 1)]


@dataclass(slots=True)
class _Hit:
    category: str
    level: Risk
    cue: str
    past: bool
    esc: bool = False  # still a concern cue that an intent in the next sentence raises
    pair: bool = False  # a medium signal: two of different kinds in one story read as urgent
    note: str = ""


@dataclass(slots=True)
class _Read:
    """The rules' reading of one sentence."""

    hits: list[_Hit]
    recovery: bool  # a recovery marker (已经过去了, "but now")
    intent_next: bool  # a firm intent that raises an esc cue of the sentence before
    veto: str = ""  # why the learned layer may not raise this sentence ("" = it may)
    past: bool = False  # told as past: the learned layer raises it to concern at most
    life_event: bool = False  # moving, retiring, a paid-off loan: medium signals do not combine


def _third_party_sentence(low: str, lang: str, tables: _Tables) -> bool:
    """The sentence is about someone else: a third person and no first person
    other than a possessive (我朋友, "my friend")."""
    kin = _ctx(tables, "kin")
    if lang == "zh":  # the writer is often left out: a third person must open the sentence
        rest = kin.sub("", low)
        if "我" in rest:
            return False
        m = kin.search(low)
        if m is not None and m.start() <= 2:
            return True
        m = _ctx(tables, "person").search(low.replace("我", "\u3000"))
        return m is not None and m.start() <= 3
    rest = kin.sub(" ", low)
    if re.search(r"\b(?:i|me|my|myself|i'm|i've|i'll|i'd|im|ive)\b", rest):
        return False
    m = kin.search(low)
    return (m is not None and m.start() <= 4) or re.search(
        r"\b(?:he|she|they|he's|she's|they're|character|protagonist|man|woman)\b", rest) is not None


def _sentence_hits(text: str, lang: str) -> _Read:
    """Cue hits of one sentence after negation, subject, frame, intent and tone.

    Returns the hits (past ones not yet resolved against recovery), whether
    the sentence carries a recovery marker, whether it states an intent
    strong enough to raise an ``esc`` cue of the sentence before (今晚,
    "make sure"), and the *veto* the learned layer must respect: a
    fiction/news frame, a negated or someone else's cue, a joke, hyperbole.
    """
    tables = _tables(lang)
    low = _prepare_sentence(text, lang)
    recovery = _ctx(tables, "recovery").search(low) is not None
    intent_next = _ctx(tables, "intent_next").search(low) is not None
    past = _ctx(tables, "past").search(low) is not None
    life = _ctx(tables, "life_event").search(low) is not None
    if _ctx(tables, "frame").search(low):
        return _Read([], recovery, False, "frame", past, life)
    work = _mask(low, _ctx(tables, "mask"))
    joking = _ctx(tables, "laughter").search(low) is not None and _ctx(tables, "serious").search(low) is None
    veto = "joke" if joking else ("recovered" if recovery else "")
    other = _third_party_sentence(low, lang, tables)
    if not veto and other:
        veto = "someone else"
    hits: list[_Hit] = []
    dropped = ""
    for cue in tables.cues:
        if cue.regex.search(work) is None:
            continue
        for m in cue.regex.finditer(work):
            start, end = m.span()
            c_start, c_end = _clause(low, start, end, lang)
            prefix = low[c_start:start]
            if _negated(prefix, lang, tables):
                dropped = dropped or "negated"
                continue
            if cue.is_self and not cue.pair and _third_party(prefix, lang, tables):
                dropped = dropped or "someone else"
                continue
            if cue.pair and other:  # 爷爷临终前把存折交给了我爸: someone else's affairs
                continue
            level = Risk.urgent if _escalates(cue, low, tables) else cue.level
            if joking:
                if cue.category in ("abuse", "violence"):
                    continue
                level = _lower(level)
                if level == Risk.none:
                    continue
            still_esc = cue.esc and level == Risk.concern and not joking
            hits.append(_Hit(cue.category, level, text[start:end], _past(low[c_start:c_end], tables), still_esc,
                             cue.pair and not joking, cue.note))
        work = _mask(work, cue.regex)
    if not veto and dropped and not hits:
        veto = dropped
    if not veto and not hits and work != low and _BLANK * 2 in work:
        veto = "hyperbole"  # 累死了, "this exam is killing me": the masked idiom is the reading
    return _Read(hits, recovery, intent_next, veto, past, life)


def _lang_of(sentence) -> str:
    value = getattr(sentence.language, "value", sentence.language)
    return "zh" if value == "zh" else "en"


def _rule_evidence(doc: Document, reads: list[_Read]) -> dict[tuple[int, str], SafetyEvidence]:
    """The rules' evidence per (sentence, category), after intent, pairing and recovery.

    *Medium* signals (cues flagged ``pair``: settling affairs, a goodbye,
    finality, a high place, intent at a high place, someone breaking in, the
    writer hiding, a threat) are urgent when the story has two of different
    kinds, or one next to any other (non-past) cue; alone they are not
    reported (a paid-off loan, giving baby clothes away) — the learned layer's
    story-level reader weighs a lone one — and one within two sentences of an
    ordinary life event (moving, retiring, a last day at work, a game account)
    does not combine unless the story has another cue.
    """
    recovered = [r.recovery for r in reads]
    intent_next = [r.intent_next for r in reads] + [False]
    sentences = list(doc.sentences)
    other_concern = any(not h.pair and not h.past for r in reads for h in r.hits)
    # a medium signal within two sentences of an ordinary life event ("Retired today!
    # Gave my desk plant away, said goodbye to everyone") does not combine, unless the
    # story has another cue; a road trip mentioned elsewhere does not hide the rest
    life = [any(r.life_event for r in reads[max(0, i - 2):i + 3]) for i in range(len(reads))]
    pairs = [(i, h) for i, r in enumerate(reads) for h in r.hits
             if h.pair and not (h.past and any(recovered[i:i + 3])) and (other_concern or not life[i])]
    kinds = {h.note for _, h in pairs}
    paired = len(kinds) >= 2 or (bool(pairs) and other_concern)
    best: dict[tuple[int, str], SafetyEvidence] = {}
    for i, (sentence, read) in enumerate(zip(sentences, reads)):
        for hit in read.hits:
            level = hit.level
            if hit.esc and intent_next[i + 1]:
                level = Risk.urgent  # "I hope I don't wake up. I'm going to make sure."
            if hit.pair:
                if paired:
                    level = Risk.urgent
                elif level != Risk.urgent:
                    continue
            if hit.past:
                if any(recovered[i:i + 3]):
                    continue
                level = Risk.concern if level == Risk.urgent else level
            key = (sentence.index, hit.category)
            current = best.get(key)
            if current is None or level.rank > current.level.rank:
                best[key] = SafetyEvidence(sentence.text, sentence.index, hit.category, level, hit.cue)
    if paired:  # every concern-level suicide cue of the story joins the urgent reading
        for key, ev in list(best.items()):
            if ev.level == Risk.concern and ev.category == "suicide":
                best[key] = SafetyEvidence(ev.text, ev.sentence, ev.category, Risk.urgent, ev.cue)
    return best


def _signals(reads: list[_Read]) -> list[bool]:
    """Sentences with a rule signal: any cue, or one the rules dropped as negated or
    someone else's (the learned layer still reads the windows around them)."""
    return [bool(r.hits) or r.veto in ("negated", "someone else") for r in reads]


def _learned_units(
    doc: Document, reads: list[_Read], model, vectors=None, sampled: list[bool] | None = None
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The units the learned layer reads and their scores (units, heads).

    ``vectors`` (training and evaluation) are aligned with ``learned.spans(n)``;
    otherwise units are embedded here: with ``sampled``, only the windows around
    sentences with a rule signal; else by the cascade — sentences (already
    embedded by the theme detector) and the whole story first, windows only
    around a sentence that reads warm on its own or carries a rule signal, or
    everywhere when the story does, so ordinary stories cost few windows."""
    from . import learned

    sentences = list(doc.sentences)
    n = len(sentences)
    units = learned.spans(n)
    signal = _signals(reads)
    texts, langs = [s.text for s in sentences], [_lang_of(s) for s in sentences]
    given = dict(zip(units, vectors)) if vectors is not None else None

    def embed(us: list[tuple[int, int]]) -> np.ndarray:
        if not us:
            return np.zeros((0, model.mean.shape[0]), np.float32)
        if given is not None:
            return np.stack([given[u] for u in us])
        return learned.unit_vectors(texts, langs, us, signal)

    if sampled is not None:
        units = [u for u in units if any(sampled[u[0]:u[1]]) and u[1] - u[0] <= learned.MAX_WINDOW]
        return units, learned.score(model, embed(units)) if units else np.zeros((0, len(learned.HEADS)))
    first = [u for u in units if u[1] - u[0] == 1 or u == (0, n) or n <= learned.MAX_WINDOW]
    first_p = learned.score(model, embed(first))
    rest = learned.cascade_units(n, first, first_p, signal, learned.cascade_threshold(model))
    if not rest:
        return first, first_p
    return first + rest, np.vstack([first_p, learned.score(model, embed(rest))])


def _usable(units: list[tuple[int, int]], reads: list[_Read]) -> list[bool]:
    """Units the learned layer may read: none of their sentences is vetoed (a frame, a
    negated or someone else's cue, a joke, a recovery, hyperbole), and no ordinary life
    event (retiring, moving, a system switched off) is within two sentences unless a
    rule found a cue of its own in the unit — "永久下线了，以后不用再维护了" is about a server."""
    out = []
    for a, b in units:
        span = reads[a:b]
        near = reads[max(0, a - 2):b + 2]  # as for pairing: within two sentences
        life = any(r.life_event for r in near) and not any(not h.pair for r in span for h in r.hits)
        out.append(not life and not any(r.veto for r in span))
    return out


def _stack_inputs(reads: list[_Read], rules: dict[tuple[int, str], SafetyEvidence]) -> tuple[int, bool, bool, bool]:
    """What the rules saw (``rules`` is :func:`_rule_evidence`), for the story-level
    reader: their level, a medium signal, a veto, a sentence told as past."""
    rank = max((e.level.rank for e in rules.values()), default=0)
    pair = any(h.pair for r in reads for h in r.hits)
    return rank, pair, any(bool(r.veto) for r in reads), any(r.past for r in reads)


def _learned_evidence(
    doc: Document, reads: list[_Read], rules: dict[tuple[int, str], SafetyEvidence], model=None,
    vectors=None, sampled: list[bool] | None = None,
) -> dict[tuple[int, str], tuple[SafetyEvidence, set[int]]]:
    """The learned layer's evidence (see :mod:`storyloom.safety.learned`), each with the
    sentences of the unit that raised it.

    The story-level reader (``model.stack``) reads the profile of unit scores: the
    story is urgent at ``p(urgent) ≥ stack.urgent_threshold``, else concern at
    ``p(concern) ≥ stack.concern_threshold``.  The evidence is the unit no rule
    vetoed (:func:`_usable`) that scores highest, and within it the sentence that
    scores highest on its own; a unit told as past raises concern at most."""
    from . import learned

    model = model or learned.load_model()
    sentences = list(doc.sentences)
    if model is None or model.stack is None or not sentences:
        return {}
    units, probs = _learned_units(doc, reads, model, vectors, sampled)
    usable = _usable(units, reads)
    keep = [i for i, u in enumerate(usable) if u]
    if not keep:
        return {}
    feats = learned.text_features(units, probs, usable, len(sentences), *_stack_inputs(reads, rules))
    pu, pc = learned.stack_score(model.stack, feats)
    if pu >= model.stack.urgent_threshold:
        level, head = Risk.urgent, 0
    elif pc >= model.stack.concern_threshold:
        level, head = Risk.concern, 1
    else:
        return {}
    j = max(keep, key=lambda i: probs[i][head])
    a, b = units[j]
    p = probs[j]
    if level == Risk.urgent and any(reads[i].past for i in range(a, b)):
        level = Risk.concern
    cats = [c for c, q in zip(CATEGORIES, p[2:]) if q >= 0.5] or [CATEGORIES[int(np.argmax(p[2:]))]]
    own = [i for i, u in enumerate(units) if u[1] - u[0] == 1 and a <= u[0] < b]
    si = units[max(own, key=lambda k: probs[k][1])][0] if own else a
    unit = {sentences[i].index for i in range(a, b)}
    return {(sentences[si].index, cat): (SafetyEvidence(sentences[si].text, sentences[si].index, cat, level, ""), unit)
            for cat in cats}


def assess(doc: Document, *, embeddings: bool | str | None = None, _model=None, _vectors=None) -> Safety:
    """Read a prepared :class:`Document` for crisis language.

    ``embeddings`` chooses whether the learned layer (multilingual-e5 sentence
    and window embeddings, :mod:`storyloom.safety.learned`) reads the story
    as well as the rules:

    * ``None`` (default) or ``True``: every sentence and (up to 20 sentences)
      the whole story, and the windows of 2–3 sentences the cascade asks for
      (:func:`_learned_units`), whenever the embedding model is installed and
      ``STORYLOOM_SAFETY_EMBEDDINGS`` is not 0;
    * ``"sampled"`` (what an affect-only analysis uses): the same up to
      :data:`learned.STORY_UNIT_MAX` sentences; beyond that only the windows
      around sentences with a rule signal (any cue, even one the rules
      dropped or a lone medium signal) are embedded;
    * ``False``: the rules only.

    ``Safety.method`` says which ran: ``"rules"`` or ``"rules+embeddings"``.
    """
    from . import learned

    reads = [_sentence_hits(s.text, _lang_of(s)) for s in doc.sentences]
    if embeddings is False:
        use = False
    elif _model is not None:
        use = True
    else:
        use = learned.available()
    method = "rules"
    best = _rule_evidence(doc, reads)
    learned_ev: dict = {}
    sampled = None
    if use and embeddings == "sampled" and len(doc.sentences) > learned.STORY_UNIT_MAX:
        signal = _signals(reads)
        # a window reaches one sentence either side of a signal
        sampled = [any(signal[max(0, i - 1):i + 2]) for i in range(len(reads))]
        use = any(sampled)
    if use and doc.sentences:
        method = "rules+embeddings"
        learned_ev = _learned_evidence(doc, reads, best, _model, _vectors, sampled)
    for key, (ev, unit) in learned_ev.items():  # the learned layer can raise, never lower
        if any(r.sentence in unit and r.level.rank >= ev.level.rank for r in best.values()):
            continue  # a rule already explains this unit at this level
        cur = best.get(key)
        if cur is None or ev.level.rank > cur.level.rank:
            best[key] = ev if cur is None else SafetyEvidence(cur.text, cur.sentence, cur.category, ev.level, cur.cue)
    evidence = sorted(best.values(), key=lambda e: (e.sentence, CATEGORIES.index(e.category)))
    if not evidence:
        return Safety(method=method)
    risk = _BY_RANK[max(e.level.rank for e in evidence)]
    present = {e.category for e in evidence}
    return Safety(risk=risk, categories=[c for c in CATEGORIES if c in present], evidence=evidence, method=method)


def assess_text(text: str, lang: str | None = None) -> Safety:
    """Prepare ``text`` (see :func:`storyloom.text.prepare`) and assess it."""
    from ..text import prepare

    return assess(prepare(text, lang))


# -------------------------------------------------------------- support --

@dataclass(slots=True)
class SupportResource:
    """A service a writer in distress can contact."""

    name: str
    contact: str
    region: str
    hours: str | None = None
    url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "contact": self.contact, "region": self.region,
            "hours": self.hours, "url": self.url, "note": self.note,
        }


_EMERGENCY_DEFAULT = {
    "name": {"en": "Contact local emergency services", "zh-hans": "联系当地紧急服务", "zh-hant": "聯絡當地緊急服務"},
    "contact": {
        "en": "If you are in danger now, call your local emergency number",
        "zh-hans": "如果你现在有危险，请拨打当地的紧急电话",
        "zh-hant": "如果你現在有危險，請撥打當地的緊急電話",
    },
    "region": "*",
}
# Regions shown first for each script (all regions are listed).
_REGION_ORDER = {"simplified": ("CN", "HK", "TW", "US"), "traditional": ("TW", "HK", "CN", "US"), "en": ("US", "HK", "TW", "CN")}


def _lang_key(language: str, script: str) -> str:
    if str(language).lower().startswith("zh"):
        return "zh-hant" if str(script).lower() in ("traditional", "zh-hant", "hant") else "zh-hans"
    return "en"


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def _pick(value: Any, key: str) -> str | None:
    """A field in the wanted language: plain strings as they are; mappings by key."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return str(value)
    lowered = {str(k).lower(): v for k, v in value.items()}
    if key in lowered and lowered[key] is not None:
        return str(lowered[key])
    if key == "zh-hant":
        simp = lowered.get("zh-hans", lowered.get("zh"))
        if simp is not None:
            return _s2t().convert(str(simp))
    if key == "zh-hans" and lowered.get("zh") is not None:
        return str(lowered["zh"])
    for fallback in ("en", "zh-hans", "zh", "zh-hant"):
        if lowered.get(fallback) is not None:
            return str(lowered[fallback])
    return None


def _resource(entry: dict[str, Any], key: str) -> SupportResource:
    return SupportResource(
        name=_pick(entry.get("name"), key) or "",
        contact=_pick(entry.get("contact"), key) or "",
        region=str(entry.get("region") or "*"),
        hours=_pick(entry.get("hours"), key),
        url=_pick(entry.get("url"), key),
        note=_pick(entry.get("note"), key),
    )


def _support_file() -> tuple[str, str]:
    from ..config import config_section, settings

    # the environment wins; then `support_resources = "..."` under [safety] in config.toml
    path = settings().support_resources or config_section("safety").get("support_resources")
    if path:
        from ..errors import InvalidOption

        try:
            with open(os.path.expanduser(path), encoding="utf-8") as fh:
                return path, fh.read()
        except OSError as exc:
            raise InvalidOption(
                f"STORYLOOM_SUPPORT_RESOURCES={path!r} cannot be read ({exc.strerror}); "
                "point it at a YAML file like resources/safety/support.yaml."
            ) from None
    text = _res.files("storyloom.resources").joinpath("safety", "support.yaml").read_text(encoding="utf-8")
    return "<shipped>", text


@lru_cache(maxsize=8)
def _parse_support(source: str, text: str) -> dict[str, Any]:
    import yaml

    from ..errors import InvalidOption

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InvalidOption(f"Support resources file {source} is not valid YAML: {exc}") from None
    if isinstance(data, list):  # a bare list of resources is accepted too
        data = {"resources": data}
    if not isinstance(data, dict) or not isinstance(data.get("resources", []), list):
        raise InvalidOption(f"Support resources file {source} needs a 'resources:' list (see docs/safety.md).")
    return data


def _is_emergency(entry: dict[str, Any]) -> bool:
    name = entry.get("name")
    names = name.values() if isinstance(name, dict) else [name]
    return bool(entry.get("emergency")) or any(
        isinstance(n, str) and ("emergency" in n.lower() or "紧急" in n or "緊急" in n) for n in names
    )


def support_resources(
    language: str = "zh", script: str = "simplified", regions: list[str] | None = None
) -> list[SupportResource]:
    """Support services in the writer's language and script.

    Read from the shipped ``resources/safety/support.yaml`` or the file named
    by ``STORYLOOM_SUPPORT_RESOURCES``.  "Contact local emergency services"
    always comes first, even when the user's file leaves it out.  ``regions``
    (e.g. ``["CN", "HK"]``) keeps only those regions; otherwise every region
    is listed, the ones nearest the writer's script first.
    """
    key = _lang_key(language, script)
    data = _parse_support(*_support_file())
    entries = [e for e in data.get("resources", []) if isinstance(e, dict)]
    emergency = data.get("emergency") if isinstance(data.get("emergency"), dict) else None
    if emergency is None:
        emergency = next((e for e in entries if _is_emergency(e)), None) or _EMERGENCY_DEFAULT
    entries = [e for e in entries if e is not emergency and not _is_emergency(e)]
    if regions:
        wanted = {r.upper() for r in regions}
        entries = [e for e in entries if str(e.get("region", "*")).upper() in wanted | {"*"}]
    order = _REGION_ORDER["en" if key == "en" else ("traditional" if key == "zh-hant" else "simplified")]
    rank = {r: i for i, r in enumerate(order)}
    entries.sort(key=lambda e: rank.get(str(e.get("region", "")).upper(), len(order)))  # stable
    return [_resource(emergency, key)] + [_resource(e, key) for e in entries]


_MESSAGES = {
    ("urgent", "zh-hans"): (
        "谢谢你愿意把这些写下来。读到这里，我们想先停下来，轻轻地对你说：你现在的痛苦是真实的，"
        "你不必一个人扛着。如果你正想伤害自己，或者身边有危险，请现在就联系下面的求助热线或当地紧急服务，"
        "也可以把这些话告诉一个你信任的人。你值得被帮助。"
    ),
    ("concern", "zh-hans"): (
        "谢谢你写下这些。有些话让我们有点牵挂你。最近如果很难熬，和信任的人或专业的倾听者聊一聊，"
        "也许会轻松一些。下面是一些可以联系的支持资源。"
    ),
    ("urgent", "zh-hant"): (
        "謝謝你願意把這些寫下來。讀到這裡，我們想先停下來，輕輕地對你說：你現在的痛苦是真實的，"
        "你不必一個人扛著。如果你正想傷害自己，或者身邊有危險，請現在就聯絡下面的求助專線或當地緊急服務，"
        "也可以把這些話告訴一個你信任的人。你值得被幫助。"
    ),
    ("concern", "zh-hant"): (
        "謝謝你寫下這些。有些話讓我們有點掛念你。最近如果很難熬，和信任的人或專業的傾聽者聊一聊，"
        "也許會輕鬆一些。下面是一些可以聯絡的支持資源。"
    ),
    ("urgent", "en"): (
        "Thank you for writing this down. We want to pause here and say, gently: what you are feeling "
        "is real, and you don't have to carry it alone. If you are thinking of hurting yourself or you are "
        "in danger, please reach out now to one of the services below or to local emergency services, "
        "or tell someone you trust. You deserve support."
    ),
    ("concern", "en"): (
        "Thank you for writing this. Some of what you wrote made us want to check in with you. If things "
        "have been hard lately, talking with someone you trust or a trained listener can help. Here are "
        "some services you can reach out to."
    ),
}


def supportive_message(risk: Risk | str, language: str = "zh", script: str = "simplified") -> str:
    """A calm, warm, non-judgemental message for ``risk`` ("" at ``none``)."""
    level = Risk(getattr(risk, "value", risk))
    if level == Risk.none:
        return ""
    return _MESSAGES[(level.value, _lang_key(language, script))]


def support_heading(language: str = "zh", script: str = "simplified") -> str:
    """The heading renderers put above the message and the resources."""
    return {"zh-hans": "如果你需要有人陪你聊聊", "zh-hant": "如果你需要有人陪你聊聊", "en": "If you need someone to talk to"}[
        _lang_key(language, script)
    ]


@dataclass(slots=True)
class SupportNotice:
    """What a renderer shows at concern/urgent: heading, message, resources."""

    risk: Risk
    heading: str
    message: str
    resources: list[SupportResource]
    language: str  # "en" | "zh-hans" | "zh-hant": the language of the texts above


def support_notice(report: Any) -> SupportNotice | None:
    """The notice for a Report (or its ``to_dict()`` form); None at ``none``.

    The message answers in the writer's language and script (a Traditional
    story gets Traditional text).
    """
    if isinstance(report, dict):
        raw, language, script = report.get("safety"), report.get("language", "en"), report.get("script", "")
    else:
        raw = getattr(report, "safety", None)
        language, script = getattr(report, "language", "en"), getattr(report, "script", "")
    if raw is None:
        return None
    safety = Safety.from_dict(raw) if isinstance(raw, dict) else raw
    risk = Risk(getattr(safety.risk, "value", safety.risk))
    if risk == Risk.none:
        return None
    language = str(getattr(language, "value", language) or "en")
    script = str(getattr(script, "value", script) or "")
    return SupportNotice(
        risk=risk,
        heading=support_heading(language, script),
        message=supportive_message(risk, language, script),
        resources=support_resources(language, script),
        language=_lang_key(language, script),
    )
