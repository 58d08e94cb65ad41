"""The generation data model: what is asked for, what is planned, what comes back.

``Target`` says which emotion the new story should carry; ``Plan`` is what the
user's story fixes (people, setting, events) and every candidate is checked
against; ``StoryPrompt`` is everything a backend needs; ``Candidate`` and
``Story`` are the results, with the scores that explain the choice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from ..analysis.report import Report, _plain

SCHEMA = "storyloom.story/1"


class PointOfView(str, Enum):
    """Grammatical person the new story is told in."""

    first = "first"
    second = "second"
    third = "third"


class Style(str, Enum):
    """The register of the new story."""

    plain = "plain"
    lyrical = "lyrical"
    children = "children"  # a children's story: short sentences, gentle words
    fable = "fable"  # ends on a plainly stated lesson
    letter = "letter"  # a letter to one's past self


class Length(str, Enum):
    """Roughly how long the new story is, relative to the original."""

    short = "short"  # about the original's length
    medium = "medium"  # about 1.5×
    long = "long"  # about 2×


@dataclass(slots=True)
class Target:
    """The emotion the new story should carry.

    ``emotions`` is a distribution over the eight emotions (it sums to 1), so a
    blend such as *bittersweet* (sadness + love) is a target too; ``emotion``
    is its strongest member.  ``valence`` is on the 1–9 scale.  ``label`` is
    what the user typed (温暖, hopeful…), ``source`` says where the target
    came from: ``"user"`` (always wins) or ``"story"`` (the original's own
    dominant emotion).
    """

    emotion: str
    emotions: dict[str, float]
    valence: float
    label: str = ""
    source: str = "story"


@dataclass(slots=True)
class Character:
    """A person in the story and how the new story names them."""

    text: str  # as written in the original (老奶奶, 李明, I)
    kind: str  # narrator | addressee | person | kinship | role | group
    name: str  # as the new story names them (same as ``text`` unless renamed)
    count: int = 1


@dataclass(slots=True)
class Event:
    """One narrated sentence of the original, in order, with its Labov role."""

    index: int
    text: str
    role: str  # orientation | complicating-action | evaluation | resolution | coda
    valence: float
    is_dialogue: bool = False


@dataclass(slots=True)
class Plan:
    """What the user's story fixes: everything generated is checked back against it."""

    language: str  # zh | en
    script: str  # simplified | traditional | latin
    source_pov: str  # first | second | third
    characters: list[Character] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    weather: list[str] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    source_arc: str = "flat"
    target_arc: str = "rise"
    setting: str = "everyday"  # the phrase-bank key: street, home, school, hospital, nature…


@dataclass(slots=True)
class StoryPrompt:
    """Everything a backend needs to write candidates for one story."""

    text: str  # the user's story as analysed (normalised)
    report: Report  # its analysis
    plan: Plan
    target: Target
    pov: PointOfView = PointOfView.second
    style: Style = Style.plain
    length: Length = Length.short
    language: str = "zh"
    script: str = "simplified"
    close: bool = True  # append a reflective close (done by the fuser, not the backend)
    keep_names: bool = True
    safety: str = "none"  # the original's risk level: none | concern | urgent
    gender: str | None = None  # the narrator's, for third-person stories (他/她, he/she); None: 他 / they


@runtime_checkable
class Backend(Protocol):
    """Anything that writes candidate story bodies (without the reflective close)."""

    name: str

    def generate(self, prompt: StoryPrompt, n: int, seed: int) -> list[str]:
        """``n`` candidate bodies; deterministic for ``seed`` where the backend can be."""
        ...


@dataclass(slots=True)
class Score:
    """Why a candidate ranked where it did: lower ``total`` is better."""

    total: float
    emotion: float  # Jensen–Shannon distance to the target distribution, 0–1
    valence: float  # |valence gap| / 8, 0–1
    elements: float  # share of the plan's characters/places/times lost, 0–1
    content: float  # 1 − content overlap with the original's events, 0–1
    themes: float = 0.0  # 1 − cosine similarity of theme scores with the original's, 0–1
    safety: float = 0.0  # 1 when the candidate raises the risk level (never chosen)
    dominant: str = ""  # the candidate's dominant emotion as the analyser reads it
    lost: list[str] = field(default_factory=list)  # plan elements missing from the candidate


@dataclass(slots=True)
class Candidate:
    """One generated story (body + close) with its analysis and score."""

    text: str
    body: str
    close: str
    score: Score
    report: Report | None = None
    chosen: bool = False


@dataclass(slots=True)
class Story:
    """The result of :func:`storyloom.write`.

    ``status`` is ``"story"`` normally and ``"support"`` when the original
    signals urgent risk: then ``text`` is a supportive response, ``resources``
    lists where to find help, and no story is rewritten.
    """

    status: str
    title: str
    text: str
    body: str
    close: str
    target: Target
    pov: PointOfView
    style: Style
    language: str
    script: str
    backend: str
    seed: int
    original: Report
    report: Report | None
    plan: Plan | None
    candidates: list[Candidate] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form; reports are nested Report JSON."""
        data: dict[str, Any] = {"schema": SCHEMA}
        for name in self.__slots__:  # type: ignore[attr-defined]
            value = getattr(self, name)
            if isinstance(value, Report):
                data[name] = value.to_dict()
            elif name == "candidates":
                data[name] = [
                    {
                        "text": c.text, "body": c.body, "close": c.close, "chosen": c.chosen,
                        "score": _plain(asdict(c.score)),
                        "dominant_emotion": c.report.dominant_emotion if c.report else None,
                        "emotions": _plain(c.report.emotions) if c.report else None,
                        "valence": round(c.report.valence, 4) if c.report else None,
                    }
                    for c in value
                ]
            elif value is None:
                data[name] = None
            else:
                data[name] = _plain(asdict(value)) if hasattr(value, "__dataclass_fields__") else _plain(value)
        return data
