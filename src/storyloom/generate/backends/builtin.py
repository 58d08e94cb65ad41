"""The built-in backend: an offline, deterministic narrative rewriting engine.

No model: the user's own sentences are kept, in order, and rewritten —

1. **recoloured** towards the target emotion (:mod:`..recolour`: reviewed
   same-class word swaps, intensity-matched; dialogue untouched);
2. a place word gets a **setting adjective** (在深夜的冷清街头 / *the quiet office*);
3. the narrator is moved into the target **point of view** (:mod:`..pov`);
4. **sensory sentences** from the setting × emotion phrase bank and, for
   medium/long stories, **inner reflection** sentences are woven in
   (``resources/generate/phrases_{zh,en}.yaml``) — scene and feeling only,
   never a new event or person;
5. the **style** frames it: a letter opens with 亲爱的过去的我： / *Dear younger
   me,*, a fable with 从前 / *Once upon a time*, a children's story keeps only
   the shortest, gentlest inserts, a lyrical one adds more detail.

Candidates differ by seed in which bank sentences are used and where they go,
the recolouring intensity and word choices, and the place adjective.  The
reflective close is not added here (the fuser appends :func:`..close.choose_close`).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...errors import InvalidOption
from ..close import to_script
from ..pov import fill_slots, to_pov
from ..recolour import load_yaml, recolour
from ..types import PointOfView, StoryPrompt, Style

__all__ = ["BuiltinBackend", "phrases"]

# Inserted sentences by length: (sensory, inner reflection).
LENGTH_INSERTS = {"short": (1, 0), "medium": (2, 1), "long": (3, 2)}
LYRICAL_EXTRA = 1  # lyrical stories get one more sensory sentence
CHILDREN_MAX = 1  # children's stories: at most one sensory and one inner sentence
SHIFTS = (0, 1, 0, -1)  # recolouring intensity of candidates 0, 1, 2, 3 (then random)
PLACE_ADJECTIVE_P = 0.75  # share of candidates whose first place gets an adjective
MAX_ATTEMPTS = 6  # per candidate, to find a body not already written
SEP = "\ue000"  # private-use sentence separator inside a paragraph during POV rewriting

_OPTIONS = ("gender",)
_EN_LOWER_START = frozenset(
    "on in at the a an when after before last one this that during by for as while it there".split()
)
_EN_PREDICATE = re.compile(r"\s+(?:felt|was|were|looked|seemed|is|are)\b")  # "the office felt cold"
_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff，。！？；：、”」』）])[ \t]+(?=[\u3400-\u9fff“「『（])")


@lru_cache(maxsize=2)
def phrases(language: str) -> dict:
    """The phrase bank of ``language``: ``settings``, ``inner`` and ``place_adjectives``."""
    return load_yaml(f"phrases_{language}.yaml")


@dataclass(slots=True)
class _Unit:
    """One sentence of the body being built."""

    text: str
    language: str
    paragraph: int
    gap: str = ""  # the original whitespace before it ("\n" between paragraphs)
    inserted: bool = False
    negated: list[int] = field(default_factory=list)


class BuiltinBackend:
    """Rewrite the user's story offline; deterministic for a seed, ~1 ms per candidate.

    Options: ``gender`` — the narrator's gender for third-person stories
    (``female``/``male``/``they``; default: 他 / *they*, or
    ``Report.extra["narrator_gender"]`` when present).
    """

    name = "builtin"

    def __init__(self, **options: object) -> None:
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise InvalidOption(
                f"Unknown option(s) for the builtin backend: {', '.join(unknown)}; it accepts: {', '.join(_OPTIONS)}."
            )
        gender = options.get("gender")
        self.gender = str(gender) if gender else None

    def generate(self, prompt: StoryPrompt, n: int, seed: int) -> list[str]:
        """``n`` distinct candidate bodies (no reflective close), deterministic for ``seed``."""
        if n < 1:
            return []
        units = _source_units(prompt)
        bodies: list[str] = []
        seen: set[str] = set()
        for attempt in range(n * MAX_ATTEMPTS):
            rng = random.Random(f"storyloom-builtin:{seed}:{attempt}")
            body = self._compose(prompt, units, rng, attempt)
            if body not in seen:
                seen.add(body)
                bodies.append(body)
                if len(bodies) == n:
                    break
        while len(bodies) < n:  # a tiny story may not allow n different bodies
            bodies.append(bodies[len(bodies) % len(seen)])
        return bodies

    # -- one candidate -------------------------------------------------------------

    def _compose(self, prompt: StoryPrompt, source: list[_Unit], rng: random.Random, attempt: int) -> str:
        lang = "en" if prompt.language == "en" else "zh"
        style = Style(prompt.style).value
        pov = PointOfView.second if style == "letter" else PointOfView(prompt.pov)
        target = prompt.target.emotion
        concern = prompt.safety in ("concern", "urgent")
        traditional = prompt.script == "traditional"
        shift = SHIFTS[attempt] if attempt < len(SHIFTS) else rng.choice((-1, 0, 1))
        if concern:
            shift = min(shift, 0)
        gender = self.gender or _report_gender(prompt)
        convert = (lambda w: to_script(w, "traditional")) if traditional else None

        units = []
        for u in source:
            text, _ = recolour(
                u.text, u.language, target, emotions=prompt.target.emotions, rng=rng, shift=shift,
                gentle=concern, negated=u.negated, traditional=traditional and u.language == "zh", convert=convert,
            )
            units.append(_Unit(text, u.language, u.paragraph, u.gap, negated=u.negated))
        if style == "lyrical" or rng.random() < PLACE_ADJECTIVE_P:
            _add_place_adjective(units, prompt, target, rng, lang)
        units = _rewrite_pov(units, lang, pov, prompt.plan.source_pov, gender)
        inserts = _choose_inserts(prompt, target, style, concern, rng, lang)
        _weave(units, inserts, rng, lang, pov, gender, prompt.script)
        body = _join(units, lang)
        if style == "fable":
            body = _fable_opening(body, lang, traditional)
        if style == "letter":
            head = "亲爱的过去的我：" if lang == "zh" else "Dear younger me,"
            body = to_script(head, prompt.script) + "\n" + body
        return _tidy(body, lang)


# --- building blocks ---------------------------------------------------------------


def _source_units(prompt: StoryPrompt) -> list[_Unit]:
    report = prompt.report
    negated = [ev.start for evs in report.evidence.values() for ev in evs if ev.negated]
    units: list[_Unit] = []
    prev_end = 0
    for s in report.sentences:
        gap = report.text[prev_end:s.start] if units else ""
        gap = "\n" if "\n" in gap else (" " if gap else "")
        lang = "en" if s.language == "en" else "zh"
        local = [o - s.start for o in negated if s.start <= o < s.end]
        units.append(_Unit(s.text, lang, s.paragraph, gap, negated=local))
        prev_end = s.end
    if not units:  # affect-only reports always have sentences; keep a safe fallback
        units.append(_Unit(prompt.text.strip(), prompt.language, 0))
    return units


def _report_gender(prompt: StoryPrompt) -> str | None:
    if prompt.gender:
        return prompt.gender
    extra = getattr(prompt.report, "extra", None)
    value = extra.get("narrator_gender") if isinstance(extra, dict) else None
    return value if isinstance(value, str) else None


def _add_place_adjective(units: list[_Unit], prompt: StoryPrompt, target: str, rng: random.Random, lang: str) -> None:
    bank = phrases(lang)["place_adjectives"]
    options = bank.get(target) or bank["neutral"]
    adj = options[rng.randrange(len(options))]
    for place in prompt.plan.places:
        for u in units:
            i = u.text.find(place)
            if i <= 0 or len(place) < 2 or _inside_quote(u.text, i):
                continue
            if lang == "zh" and u.language == "zh":
                adj_t = to_script(adj, prompt.script)
                before = u.text[i - 1]
                if before == "的":
                    ins = adj_t if (adj.endswith("的") or len(adj) == 2) else adj_t + "的"
                elif before in "在到进":
                    ins = adj_t if adj.endswith("的") else adj_t + "的"
                else:
                    continue
                u.text = u.text[:i] + ins + u.text[i:]
                return
            if lang == "en" and u.language == "en":
                m = re.search(r"\b(the|The)\s+$", u.text[:i])
                if m is None or " " in place or _EN_PREDICATE.match(u.text, i + len(place)):
                    continue
                u.text = u.text[:i] + adj + " " + u.text[i:]
                return
        return  # only the first place named is decorated


def _inside_quote(text: str, i: int) -> bool:
    from ..pov import protected_spans

    return any(s <= i < e for s, e in protected_spans(text))


def _rewrite_pov(units: list[_Unit], lang: str, pov: PointOfView, source_pov: str, gender: str | None) -> list[_Unit]:
    if source_pov not in ("first", "second") or source_pov == pov.value:
        return units
    out: list[_Unit] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1].paragraph == units[i].paragraph:
            j += 1
        block = units[i:j + 1]
        joined = SEP.join(u.text for u in block)
        rewritten = to_pov(joined, lang, pov, gender=gender, source_pov=source_pov).split(SEP)
        if len(rewritten) != len(block):  # never expected; keep the sentences intact
            rewritten = [to_pov(u.text, lang, pov, gender=gender, source_pov=source_pov) for u in block]
        for u, text in zip(block, rewritten):
            out.append(_Unit(text, u.language, u.paragraph, u.gap, u.inserted, u.negated))
        i = j + 1
    return out


def _cell(bank: dict, setting: str, emotion: str) -> list[str]:
    settings = bank["settings"]
    cells = settings.get(setting) or settings["everyday"]
    return list(cells.get(emotion) or settings["everyday"].get(emotion) or [])


def _choose_inserts(
    prompt: StoryPrompt, target: str, style: str, concern: bool, rng: random.Random, lang: str,
) -> tuple[list[str], list[str]]:
    """(sensory, inner) bank sentences for one candidate, still with slots / in 你."""
    bank = phrases(lang)
    n_sense, n_inner = LENGTH_INSERTS[getattr(prompt.length, "value", str(prompt.length))]
    if style == "lyrical":
        n_sense += LYRICAL_EXTRA
    if style == "children":
        n_sense, n_inner = min(n_sense, CHILDREN_MAX), min(n_inner, CHILDREN_MAX)
    plan = prompt.plan
    setting = plan.setting if plan.setting in bank["settings"] else "everyday"
    soft = concern and target in ("sadness", "fear")
    # the target's strongest blend partner colours one sentence of a blend (bittersweet)
    partners = [e for e, p in sorted(prompt.target.emotions.items(), key=lambda kv: (-kv[1], kv[0]))
                if e not in (target, "neutral") and p >= 0.25]
    primary = _cell(bank, setting, "any") if soft else _cell(bank, setting, target)
    if setting == "weather":  # only the kinds of weather the story names (no invented rain)
        primary = _weather_fit(primary, plan.weather) or _cell(bank, "everyday", "any" if soft else target)
    extra_settings = []
    # weather detail for outdoor settings; indoors only real precipitation ("the office felt cold" is not weather)
    named = set().union(*(_families(w) for w in plan.weather)) if plan.weather else set()
    if setting != "weather" and named and (
        setting not in ("home", "school", "hospital", "workplace") or named & {"rain", "snow", "storm"}
    ):
        extra_settings.append("weather")
    if setting != "night" and any(w in t for t in plan.times for w in ("夜", "晚", "night", "evening")):
        extra_settings.append("night")
    pool = list(primary)
    for other in extra_settings:
        cell = _cell(bank, other, "any" if soft else target)
        pool += _weather_fit(cell, plan.weather) if other == "weather" else cell
    if named & {"rain", "snow", "storm"}:  # no sunshine or starlight on a rainy day
        pool = [x for x in pool if not any(w in x for w in _SUNNY)]
    if not pool:  # surprise, disgust, neutral: neutral sensory detail + inner feeling
        pool = _cell(bank, setting, "any")
        n_inner = max(n_inner, 1)
    if style == "lyrical":
        calm = _cell(bank, setting, "any")
        pool += (_weather_fit(calm, plan.weather) or _cell(bank, "everyday", "any")) if setting == "weather" else calm
    if style == "children":
        pool = sorted(pool, key=len)[: max(2, len(pool) // 2)]
    sense = _sample(pool, n_sense, rng)
    if partners and sense and not soft:
        blend = _cell(bank, setting, partners[0])
        if blend:
            sense[-1] = blend[rng.randrange(len(blend))]
    inner_key = f"{target}_gentle" if soft and f"{target}_gentle" in bank["inner"] else target
    inner_pool = list(bank["inner"].get(inner_key) or bank["inner"]["neutral"])
    if style == "children":
        inner_pool = sorted(inner_pool, key=len)[:2]
    inner = _sample(inner_pool, n_inner, rng)
    return sense, inner


# Weather families: a bank sentence about rain never decorates a story about snow.
_WEATHER_FAMILIES = {
    "rain": ("雨", "rain", "drizzle", "downpour"),
    "snow": ("雪", "snow"),
    "storm": ("雷", "暴", "闪电", "thunder", "storm", "lightning"),
    "heat": ("热", "烈日", "heat", "hot", "stifling", "sunny"),
    "cold": ("寒", "冷", "cold", "freezing", "chill", "bitter"),
    "wind": ("风", "wind"),
}


_SUNNY = ("阳光", "星星", "烈日", "sunlight", "sunshine", "the sun", "stars", "sunny")


def _families(text: str) -> set[str]:
    low = text.lower()
    return {f for f, cues in _WEATHER_FAMILIES.items() if any(c in low for c in cues)}


def _weather_fit(cell: list[str], weather: list[str]) -> list[str]:
    """Weather sentences that only mention the kinds of weather the story names."""
    named = set().union(*(_families(w) for w in weather)) if weather else set()
    named |= {"wind"} if "cold" in named else set()
    return [s for s in cell if _families(s) and _families(s) <= named]


def _sample(pool: list[str], k: int, rng: random.Random) -> list[str]:
    if k <= 0 or not pool:
        return []
    uniq = list(dict.fromkeys(pool))
    return rng.sample(uniq, min(k, len(uniq)))


def _render(sentence: str, lang: str, pov: PointOfView, gender: str | None, script: str) -> str:
    if lang == "en":
        text = fill_slots(sentence, pov, gender)
        return text[:1].upper() + text[1:]
    if pov != PointOfView.second:
        sentence = to_pov(sentence, "zh", pov, gender=gender, source_pov="second")
    return to_script(sentence, script)


def _weave(units: list[_Unit], inserts: tuple[list[str], list[str]], rng: random.Random, lang: str,
           pov: PointOfView, gender: str | None, script: str) -> None:
    """Insert sensory sentences after the opening and inner sentences near the end, in place."""
    sense, inner = inserts
    sense = [_render(s, lang, pov, gender, script) for s in sense]
    inner = [_render(s, lang, pov, gender, script) for s in inner]
    main = [i for i, u in enumerate(units) if u.language == lang] or list(range(len(units)))
    # sensory detail: after the first (or, in some candidates, the second) sentence of the main language
    anchor = main[0] if len(main) < 3 or rng.random() < 0.6 else main[1]
    spread = rng.random() < 0.5 and len(sense) > 1 and len(main) > 2
    inserted_after: dict[int, list[str]] = {}
    if spread:  # one sentence after the opening, the rest after the middle
        inserted_after.setdefault(anchor, []).append(sense[0])
        inserted_after.setdefault(main[len(main) // 2], []).extend(sense[1:])
    elif sense:
        inserted_after.setdefault(anchor, []).extend(sense)
    if inner:
        last = main[-1]
        at = last if rng.random() < 0.5 or len(main) < 2 else main[-2]
        inserted_after.setdefault(at, []).extend(inner)
    for index in sorted(inserted_after, reverse=True):
        para = units[index].paragraph
        new = [_Unit(t, lang, para, " " if lang == "en" else "", inserted=True) for t in inserted_after[index]]
        units[index + 1:index + 1] = new


def _join(units: list[_Unit], lang: str) -> str:
    """Sentences joined as written: paragraphs by newlines; English (and Latin after
    a Latin full stop in Chinese text) by one space; Chinese by nothing."""
    parts: list[str] = []
    prev: _Unit | None = None
    for u in units:
        if prev is not None:
            if u.gap == "\n":
                parts.append("\n")
            elif lang == "en" or (prev.text[-1:].isascii() and (u.language == "en" or prev.language == "en")):
                parts.append(" ")
        parts.append(u.text)
        prev = u
    return "".join(parts)


def _fable_opening(body: str, lang: str, traditional: bool) -> str:
    if lang == "zh":
        if body.startswith(("从前", "從前", "“", "「")):
            return body
        return ("從前，" if traditional else "从前，") + body
    first = body.split(" ", 1)[0]
    if first.startswith(('"', "“")):
        return body
    if first.lower().strip(",") in _EN_LOWER_START:
        body = body[:1].lower() + body[1:]
    return "Once upon a time, " + body


def _tidy(text: str, lang: str) -> str:
    if lang == "zh":
        text = _HAN_SPACE.sub("", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +\n", "\n", text)
    if lang == "en":
        text = re.sub(r"([.!?][\"”’]?\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text.strip()
