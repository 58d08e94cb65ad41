"""The reflective close: one or two sentences that end a generated story.

A close is chosen from a curated bank (``resources/generate/closes_{zh,en}.yaml``,
more than 50 per language) by the story's themes × the target emotion × the
target arc (and the style: fables end on a stated lesson, letters on words
to one's past self), filled with the story's own main character and event
(老奶奶, 这次相遇), turned into the story's point of view and script.  It is
backend-independent: the fuser appends it to whatever body a backend wrote.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from functools import lru_cache

from ..errors import InvalidOption
from .pov import fill_slots, to_pov
from .recolour import load_yaml
from .types import PointOfView, StoryPrompt

__all__ = ["Close", "choose_close", "closes", "event_phrase", "main_character", "to_script"]

# Scoring weights for picking a close (hand-set; any matching close is fluent,
# these only decide which fits best).
EMOTION_WEIGHT = 4.0  # × the target's probability of each emotion the close carries
THEME_WEIGHT = 2.0  # the close names one of the story's themes (× theme rank decay)
ANY_THEME = 0.6  # a close that suits any theme
ARC_WEIGHT = 1.0  # the close suits the target arc
FOREIGN_PENALTY = 1.5  # per emotion the close carries that the target lacks (love ≠ love + fear)
TOP_K = 4  # the seed picks among this many best closes

_CHARACTER_KINDS = ("person", "kinship", "role")  # who a close may name (not groups)
_lock = threading.Lock()
_converters: dict[str, object] = {}


@dataclass(frozen=True, slots=True)
class Close:
    """One close of the bank (in the second person, Simplified script)."""

    text: str
    emotions: tuple[str, ...]
    themes: tuple[str, ...]
    arcs: tuple[str, ...] = ()
    hopeful: bool = False
    style: str = ""
    generic: bool = False  # a stated lesson or a letter: its "you" stays "you"

    @property
    def needs_who(self) -> bool:
        return "{who}" in self.text


@lru_cache(maxsize=2)
def closes(language: str) -> tuple[tuple[Close, ...], dict[str, str]]:
    """The close bank of ``language`` and its theme → event phrases."""
    if language not in ("zh", "en"):
        raise InvalidOption(f"No reflective closes for language {language!r}; use 'zh' or 'en'.")
    raw = load_yaml(f"closes_{language}.yaml")
    bank = tuple(
        Close(
            text=str(item["text"]).strip(),
            emotions=tuple(item.get("emotions") or ()),
            themes=tuple(item.get("themes") or ("any",)),
            arcs=tuple(item.get("arcs") or ()),
            hopeful=bool(item.get("hopeful", False)),
            style=str(item.get("style") or ""),
            generic=bool(item.get("generic", False)),
        )
        for item in raw["closes"]
    )
    return bank, dict(raw["events"])


def to_script(text: str, script: str) -> str:
    """``text`` (Simplified) in ``script``: Traditional (Taiwan forms, OpenCC s2tw) or unchanged."""
    if script != "traditional" or not text:
        return text
    conv = _converters.get("s2tw")
    if conv is None:
        with _lock:
            conv = _converters.get("s2tw")
            if conv is None:
                from opencc import OpenCC

                conv = _converters["s2tw"] = OpenCC("s2tw")
    return conv.convert(text)  # type: ignore[attr-defined]


def main_character(prompt: StoryPrompt) -> str:
    """The main non-narrator character's name in the new story ('' if none)."""
    narrator = {"narrator", "addressee"}
    for c in prompt.plan.characters:
        if c.kind in _CHARACTER_KINDS and c.kind not in narrator:
            if prompt.language == "zh" and not _is_han(c.name):
                continue
            return c.name
    return ""


def event_phrase(prompt: StoryPrompt) -> str:
    """What happened, as the close names it: from the story's first theme with a phrase."""
    _, events = closes(prompt.language)
    for theme in prompt.plan.themes:
        if theme in events:
            return events[theme]
    return events["default"]


def choose_close(prompt: StoryPrompt, seed: int) -> str:
    """A reflective close for ``prompt`` in its point of view and script.

    Chosen by the target emotion (its whole distribution, so blends count),
    the plan's themes and target arc, and the style; the seed picks among the
    best few.  With ``prompt.safety == "concern"`` only hopeful closes are used.

    Returns:
        One or two sentences, ending in 。 or a full stop, never empty.
    """
    bank, _ = closes(prompt.language)
    who = main_character(prompt)
    ranked = _rank(prompt, bank, who)
    rng = random.Random(f"close:{seed}")
    pick = ranked[: TOP_K][rng.randrange(min(TOP_K, len(ranked)))] if ranked else bank[0]
    return render_close(pick, prompt, who)


def render_close(close: Close, prompt: StoryPrompt, who: str | None = None) -> str:
    """Fill ``close``'s slots and turn it into the prompt's point of view and script."""
    who = main_character(prompt) if who is None else who
    text = close.text.replace("{event}", event_phrase(prompt)).replace("{who}", who)
    pov = PointOfView(prompt.pov).value
    gender = _narrator_gender(prompt)
    if prompt.language == "en":
        text = fill_slots(text, pov, gender)
        if close.needs_who or "{event}" in close.text:
            text = text[:1].upper() + text[1:]
    elif not close.generic and pov != "second":
        text = to_pov(text, "zh", pov, gender=gender, source_pov="second")
    return to_script(text, prompt.script)


def _rank(prompt: StoryPrompt, bank: tuple[Close, ...], who: str) -> list[Close]:
    target = prompt.target.emotions or {prompt.target.emotion: 1.0}
    themes = list(prompt.plan.themes)
    style = prompt.style.value if hasattr(prompt.style, "value") else str(prompt.style)
    arc = prompt.plan.target_arc
    concern = prompt.safety in ("concern", "urgent")
    scored: list[tuple[float, int, Close]] = []
    for i, c in enumerate(bank):
        if c.style and c.style != style:
            continue
        if c.needs_who and not who:
            continue
        if concern and not c.hopeful:
            continue
        score = EMOTION_WEIGHT * sum(target.get(e, 0.0) for e in c.emotions)
        score -= FOREIGN_PENALTY * sum(target.get(e, 0.0) < 0.1 for e in c.emotions)
        if prompt.target.emotion in c.emotions:
            score += EMOTION_WEIGHT * 0.5
        matched = [k for k, t in enumerate(themes) if t in c.themes]
        if matched:
            score += THEME_WEIGHT / (1 + 0.5 * matched[0])
        elif "any" in c.themes:
            score += ANY_THEME
        else:
            score -= THEME_WEIGHT  # written for other themes: only as a last resort
        if not c.arcs or arc in c.arcs:
            score += ARC_WEIGHT
        scored.append((score, i, c))
    scored.sort(key=lambda t: (-t[0], t[1]))
    styled = [c for _, _, c in scored if c.style]
    if styled:  # a fable ends on its lesson, a letter on words to the past self: always
        return styled
    return [c for _, _, c in scored]


def _narrator_gender(prompt: StoryPrompt) -> str | None:
    if prompt.gender:
        return prompt.gender
    extra = getattr(prompt.report, "extra", None) or {}
    gender = extra.get("narrator_gender") if isinstance(extra, dict) else None
    return gender if isinstance(gender, str) else None


def _is_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
