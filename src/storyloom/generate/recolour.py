"""Emotional recolouring: swap emotion-bearing words for the target emotion's.

Only words in the reviewed tables ``resources/generate/recolour_{zh,en}.yaml``
are swapped, and only for a word of the same grammatical class (a feeling
adjective for a feeling adjective, 笑着 for 哽咽着, *laughed* for *cried*) and
of similar intensity (the lexicon's strength 1–3 → the mild / clear / strong
slot), so the sentence stays grammatical.  Words already carrying an emotion
of the target, negated words (不开心, *not happy* — also read off
``Report.evidence``'s ``negated`` flag) and anything inside quotation marks
are kept.  Traditional text is matched through a length-preserving
character-by-character Simplified copy and gets Traditional replacements.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .pov import protected_spans


def load_yaml(name: str) -> dict:
    """A YAML file of ``storyloom/resources/generate`` (C loader when PyYAML has one)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(resources.files("storyloom.resources.generate").joinpath(name).read_text("utf-8"), Loader=loader)

__all__ = ["Swap", "Table", "eligible_emotions", "load_yaml", "recolour", "strength_slot", "table"]

# Strength (lexicon scale 1–3) → intensity slot: mild ≤ 1.5 < clear ≤ 2.2 < strong.
MILD_MAX = 1.5
CLEAR_MAX = 2.2
BLEND_MIN = 0.25  # an emotion with at least this share of the target may colour words too

_ZH_NEGATORS = ("不", "没", "沒", "没有", "沒有", "不太", "不再", "并不", "並不", "毫无", "毫無", "不怎么", "不怎麼")
_BIE_WORDS = frozenset("特分区區告级級个個类類性离離辞辭识識派差鉴鑒")
_EN_NEGATORS = frozenset("not never no n't nor hardly barely".split())
_EN_DEGREE = frozenset("so very too really quite more most less".split())


@dataclass(frozen=True, slots=True)
class Table:
    """A language's recolouring table."""

    targets: dict[str, dict[str, list[list[str]]]]
    words: dict[str, tuple[str, str, float]]  # word → (class, emotion, strength)
    pattern: re.Pattern[str]
    results: dict[str, list[str]]  # emotion → whole "X得Y" phrases (Chinese only)
    result_pattern: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Swap:
    """One replacement made: where (in the input), what, and for which emotion."""

    start: int
    end: int
    old: str
    new: str
    emotion: str


@lru_cache(maxsize=2)
def table(language: str) -> Table:
    """The recolouring table of ``zh`` or ``en`` (loaded once)."""
    raw = load_yaml(f"recolour_{language}.yaml")
    words = {str(w): (str(c), str(e), float(s)) for w, (c, e, s) in raw["words"].items()}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    if language == "en":
        pattern = re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)
    else:
        pattern = re.compile(alternation)
    results = dict(raw.get("results") or {})
    complements = results.pop("complements", [])
    result_pattern = None
    if complements:
        states = sorted((w for w, (c, _, _) in words.items() if c == "state"), key=lambda w: (-len(w), w))
        comps = sorted(complements, key=lambda w: (-len(w), w))
        result_pattern = re.compile(
            "(?:" + "|".join(map(re.escape, states)) + ")得(?:" + "|".join(map(re.escape, comps)) + ")"
        )
    return Table(targets=raw["targets"], words=words, pattern=pattern, results=results,
                 result_pattern=result_pattern)


def strength_slot(strength: float, shift: int = 0) -> int:
    """Intensity slot 0 (mild), 1 (clear) or 2 (strong) for a lexicon strength, moved by ``shift``."""
    slot = 0 if strength <= MILD_MAX else 1 if strength <= CLEAR_MAX else 2
    return max(0, min(2, slot + shift))


def eligible_emotions(emotions: dict[str, float], dominant: str) -> list[tuple[str, float]]:
    """The target emotions that may colour words: the dominant one and strong blend partners."""
    out = [(dominant, emotions.get(dominant, 1.0) or 1.0)]
    for e, p in sorted(emotions.items(), key=lambda kv: (-kv[1], kv[0])):
        if e != dominant and e != "neutral" and p >= BLEND_MIN:
            out.append((e, p))
    return out


def recolour(
    text: str, language: str, target: str, *, emotions: dict[str, float] | None = None,
    rng: random.Random | None = None, shift: int = 0, gentle: bool = False,
    negated: Iterable[int] = (), traditional: bool = False, convert=None,
) -> tuple[str, list[Swap]]:
    """Recolour ``text`` towards ``target``.

    Args:
        text: one or more sentences (quoted dialogue is never changed).
        language: ``zh`` or ``en`` — which table to use.
        target: the target's dominant emotion.
        emotions: the whole target distribution; blend partners with at
            least ``BLEND_MIN`` share colour some words too.
        rng: picks among interchangeable replacements (deterministic per seed).
        shift: −1 milder, 0 similar, +1 stronger than the original word.
        gentle: never strengthen sadness or fear (stories with risk signals).
        negated: start offsets (into ``text``) of evidence the analyser marked negated.
        traditional: ``text`` is Traditional Chinese; replacements are converted
            with ``convert`` (Simplified → Traditional).

    Returns:
        The new text and the swaps made (offsets into the input ``text``).
    """
    tab = table(language)
    rng = rng or random.Random(0)
    blend = eligible_emotions(emotions or {target: 1.0}, target)
    keep = {e for e, _ in blend}
    if gentle:
        shift = min(shift, 0)
    negated = set(negated)
    protected = protected_spans(text)
    probe = text
    if traditional and language == "zh":
        from ..text.script import to_simplified_chars

        probe = to_simplified_chars(text)
    swaps: list[Swap] = []
    if tab.result_pattern is not None:
        for m in tab.result_pattern.finditer(probe):
            start, end = m.start(), m.end()
            state = m.group().split("得", 1)[0]
            if any(s < end and start < e for s, e in protected) or tab.words[state][1] in keep:
                continue
            if start in negated or _negated(probe, start, language):
                continue
            options = tab.results.get(_pick_emotion(blend, rng)) or []
            if options:
                new = options[rng.randrange(len(options))]
                swaps.append(Swap(start, end, text[start:end], convert(new) if traditional and convert else new,
                                  target))
    done = [(sw.start, sw.end) for sw in swaps]
    used: dict[int, set[str]] = {}  # clause-ish sentence index → replacements used
    for m in tab.pattern.finditer(probe):
        start, end = m.start(), m.end()
        if any(s < end and start < e for s, e in protected) or any(s < end and start < e for s, e in done):
            continue
        word = m.group()
        cls, emotion, strength = tab.words[word.lower() if language == "en" else word]
        if emotion in keep or start in negated or _negated(probe, start, language):
            continue
        if language == "zh" and cls == "state" and probe[end:end + 1] in ("得", "的"):
            continue  # 开心得跳了起来 (its result belongs to the feeling); 温暖的苹果 (an attribute, not a feeling)
        if language == "en" and re.match(r"\s+(?:of|with|at)\b", probe[end:]):
            continue  # "kind of", "proud of me", "angry with": the preposition belongs to the word
        new_emotion = _pick_emotion(blend, rng)
        options = _options(tab, cls, new_emotion, strength, shift, gentle)
        if not options:
            continue
        sentence = _sentence_index(probe, start)
        seen = used.setdefault(sentence, set()) | _words_in(probe, sentence, language, options)
        fresh = [o for o in options if o not in seen] or [
            o for o in _all_options(tab, cls, new_emotion, gentle) if o not in seen
        ] or options
        new = fresh[rng.randrange(len(fresh))]
        if language == "en":
            new = _en_fit(new, word, probe, start, options)
        used[sentence].add(new)
        if traditional and convert is not None:
            new = convert(new)
        swaps.append(Swap(start, end, text[start:end], new, new_emotion))
    if not swaps:
        return text, swaps
    swaps.sort(key=lambda sw: sw.start)
    out: list[str] = []
    last = 0
    for sw in swaps:
        prefix = text[last:sw.start]
        if language == "en":
            prefix = _ARTICLE_BEFORE.sub(lambda m: _article(m.group(1), sw.new) + m.group(2), prefix)
        out.append(prefix)
        out.append(sw.new)
        last = sw.end
    out.append(text[last:])
    return "".join(out), swaps


def _pick_emotion(blend: list[tuple[str, float]], rng: random.Random) -> str:
    if len(blend) == 1:
        return blend[0][0]
    total = sum(p for _, p in blend)
    x = rng.random() * total
    for e, p in blend:
        x -= p
        if x <= 0:
            return e
    return blend[-1][0]


def _options(tab: Table, cls: str, emotion: str, strength: float, shift: int, gentle: bool) -> list[str]:
    grid = tab.targets.get(cls, {})
    if gentle and cls == "state" and emotion in tab.targets.get("state_gentle", {}):
        grid = tab.targets["state_gentle"]
    slots = grid.get(emotion)
    if not slots:
        return []
    slot = strength_slot(strength, shift)
    if gentle and emotion in ("sadness", "fear"):  # risk signals: the mildest words only
        slot = min(slot, 1) if cls == "state" else 0
    return [str(w) for w in slots[slot]]


def _all_options(tab: Table, cls: str, emotion: str, gentle: bool) -> list[str]:
    slots = tab.targets.get(cls, {}).get(emotion) or []
    if gentle and emotion in ("sadness", "fear"):
        slots = slots[:2] if cls == "state" else slots[:1]
    return [str(w) for slot in slots for w in slot]


def _negated(text: str, start: int, language: str) -> bool:
    if language == "en":
        before = re.findall(r"[A-Za-z']+", text[max(0, start - 24):start].lower())
        return any(w in _EN_NEGATORS or w.endswith("n't") for w in before[-2:])
    window = text[max(0, start - 3):start]
    if any(window.endswith(neg) or window[:-1].endswith(neg) for neg in _ZH_NEGATORS):
        return True
    # 别/別 "don't" (别难过), but not the 别 of 特别, 分别, 区别, 告别…
    for k in (1, 2):
        i = start - k
        if i >= 0 and text[i] in "别別" and (i == 0 or text[i - 1] not in _BIE_WORDS):
            return True
    return False


_SENTENCE_BREAK = re.compile(r"[。！？!?.；;\n]")


def _sentence_index(text: str, pos: int) -> int:
    return len(_SENTENCE_BREAK.findall(text, 0, pos))


def _words_in(text: str, sentence: int, language: str, options: list[str]) -> set[str]:
    """Replacement options that already occur in the same sentence (avoid 又温暖又温暖)."""
    spans = [0] + [m.end() for m in _SENTENCE_BREAK.finditer(text)] + [len(text)]
    lo, hi = spans[min(sentence, len(spans) - 2)], spans[min(sentence + 1, len(spans) - 1)]
    chunk = text[lo:hi]
    if language == "en":
        chunk = chunk.lower()
    return {o for o in options if o in chunk}


def _en_fit(new: str, old: str, text: str, start: int, options: list[str]) -> str:
    """Keep the original's capitalisation; one word after so/very (so touched, not so deeply grateful)."""
    before = re.findall(r"[A-Za-z']+", text[max(0, start - 12):start].lower())
    if " " in new and before and before[-1] in _EN_DEGREE:
        single = [o for o in options if " " not in o]
        new = single[0] if single else new.split()[-1]
    if old[:1].isupper():
        new = new[:1].upper() + new[1:]
    return new


_ARTICLE_BEFORE = re.compile(r"\b([Aa]n?)(\s+)$")


def _article(old: str, word: str) -> str:
    """'a' or 'an' (keeping the case of ``old``) before ``word``."""
    vowel = word[:1].lower() in "aeiou" and not word.lower().startswith(("uni", "use", "one", "eu"))
    art = "an" if vowel else "a"
    return art.capitalize() if old[:1].isupper() else art
