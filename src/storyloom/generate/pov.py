"""Point-of-view rewriting: tell a story in another grammatical person.

:func:`to_pov` turns the narrator's pronouns into the second person (我 → 你,
I → you) or the third (我 → 她/他, I → she/he/they), with English verb
agreement (I am → you are / she is, was I → were you, I go → she goes).  It
never touches quoted dialogue (「」『』“”"" — found with
:func:`storyloom.text.quote_spans`, paragraph by paragraph) and leaves words
that merely contain 我 (自我, 忘我, 你我) alone.

Both rule sets run on every text: Chinese rules only match Han characters
and English rules only Latin words, so mixed diaries come out right too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text import paragraph_spans, quote_spans
from .types import PointOfView

__all__ = ["fill_slots", "protected_spans", "third_person", "to_pov"]

# --- Chinese ------------------------------------------------------------------

# Words that contain 我 but are not the narrator (kept verbatim).  自我 is not
# protected after 来/出/源… where 自 belongs to the verb (来自我家 = from my home).
_ZH_KEEP = r"(?<![来來出源独獨亲親各暗擅私径徑])自我|忘我|唯我独尊|唯我獨尊|舍我其谁|捨我其誰|我行我素|你我|敌我|敵我"
_ZH_PRONOUN = re.compile(
    rf"(?P<keep>{_ZH_KEEP})|(?P<plural>我们|我們|咱们|咱們|俺们|俺們)|(?P<pair>咱俩|咱倆)|(?P<single>我|咱|俺)"
)
# second person source: 你/您 → narrator (source_pov="second")
_ZH_SECOND = re.compile(r"(?P<keep>你我|迷你)|(?P<plural>你们|你們)|(?P<single>你|您)")

# --- English ------------------------------------------------------------------

_APOS = "['’]"
_ADVERB_ALT = (
    "still|really|always|often|never|just|also|sometimes|usually|only|even|truly|finally|"
    "actually|almost|already|rarely|seldom|simply"
)
_EN_FIRST = re.compile(
    rf"\b(?:(?P<inv>am|Am|was|Was|wasn{_APOS}t|Wasn{_APOS}t)\s+I\b"  # was I → were you
    rf"|(?P<I>I)(?:(?P<apos>{_APOS})(?P<contr>m|ve|d|ll)\b"  # I'm I've I'd I'll
    rf"|(?P<tail>(?:\s+(?:{_ADVERB_ALT}))?\s+[A-Za-z]+(?:{_APOS}t)?))?"  # I (still) go
    r"|(?P<word>[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Uu]s|[Oo]ur|[Oo]urs|[Oo]urselves)"
    rf"(?:(?P<wapos>{_APOS})(?P<wcontr>re|ve|d|ll)\b)?)\b"
)
_EN_SECOND = re.compile(
    rf"\b(?:(?P<inv>are|Are|were|Were)\s+you\b"
    rf"|(?P<word>[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself|[Yy]ourselves)(?:(?P<wapos>{_APOS})(?P<wcontr>re|ve|d|ll)\b"
    rf"|(?P<vtail>\s+(?:are|were|aren{_APOS}t|weren{_APOS}t)))?)\b"
)

_SECOND = {
    "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "we": "you", "us": "you",
    "our": "your", "ours": "yours", "ourselves": "yourselves",
}
_THIRD = {
    "she": {"I": "she", "me": "her", "my": "her", "mine": "hers", "myself": "herself"},
    "he": {"I": "he", "me": "him", "my": "his", "mine": "his", "myself": "himself"},
    "they": {"I": "they", "me": "them", "my": "their", "mine": "theirs", "myself": "themselves"},
}
_THIRD_PLURAL = {"we": "they", "us": "them", "our": "their", "ours": "theirs", "ourselves": "themselves"}

# Simple present after "I" that needs -s in the third person singular.  Only
# common verbs are listed: an unlisted word after "I" is left as it is.
_PRESENT_3SG = {
    v: v + "s"
    for v in (
        "know think feel want need like love see remember hope wish believe work live keep "
        "say get make take come hate understand mean find tell look seem wonder walk run "
        "call ask help read write sit stand smile laugh cry sleep wake eat drink hear "
        "start begin play learn forget choose leave stay bring open spend send dream"
    ).split()
}
_PRESENT_3SG.update({"go": "goes", "do": "does", "try": "tries", "cry": "cries", "miss": "misses",
                     "wish": "wishes", "watch": "watches", "worry": "worries", "carry": "carries",
                     "reach": "reaches", "hurry": "hurries", "study": "studies", "have": "has"})
_GENDERS = {
    "female": "she", "f": "she", "she": "she", "woman": "she", "girl": "she", "女": "she",
    "male": "he", "m": "he", "he": "he", "man": "he", "boy": "he", "男": "he",
    "they": "they", "neutral": "they", "nonbinary": "they", "x": "they",
}


def third_person(language: str, gender: str | None) -> str:
    """The third-person pronoun used for the narrator: 她/他 or she/he/they.

    Chinese defaults to 他 (the unmarked form) and English to *they* when the
    narrator's gender is unknown.
    """
    key = _GENDERS.get((gender or "").strip().lower(), "")
    if language == "zh":
        return "她" if key == "she" else "他"
    return key or "they"


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Quoted spans (quotes included) of every paragraph of ``text``, sorted."""
    spans: list[tuple[int, int]] = []
    for start, end in paragraph_spans(text) or [(0, len(text))]:
        spans.extend(quote_spans(text, start, end))
    return sorted(spans)


def to_pov(
    text: str, language: str, pov: PointOfView | str, *, gender: str | None = None,
    source_pov: str = "first",
) -> str:
    """Rewrite the narrator of ``text`` into ``pov``, leaving dialogue untouched.

    Args:
        text: the story (any mix of Chinese and English).
        language: ``zh`` or ``en`` — the main language (both rule sets run).
        pov: the target point of view.
        gender: the narrator's gender for the third person (``female``/``she``/女,
            ``male``/``he``/男, ``they``); unknown gives 他 / *they*.
        source_pov: the point of view ``text`` is told in: ``first`` (the usual
            case) or ``second``; a ``third``-person source is returned as is.

    Returns:
        The rewritten text; equal to ``text`` when ``pov == source_pov``.
    """
    target = PointOfView(pov).value
    source = PointOfView(source_pov).value
    if target == source or source == "third" or not text:
        return text
    protected = protected_spans(text)
    she_he = third_person("en", gender)
    zh_third = third_person("zh", gender)

    if source == "first":
        zh_sub = _zh_from_first(target, zh_third)
        en_sub = _en_from_first(target, she_he)
        out = _apply(text, _ZH_PRONOUN, zh_sub, protected)
        protected = protected_spans(out)
        return _apply(out, _EN_FIRST, en_sub, protected)
    # second person → first / third
    zh_sub = _zh_from_second(target, zh_third)
    en_sub = _en_from_second(target, she_he)
    out = _apply(text, _ZH_SECOND, zh_sub, protected)
    protected = protected_spans(out)
    return _apply(out, _EN_SECOND, en_sub, protected)


# --- engine -------------------------------------------------------------------

Sub = Callable[[re.Match[str], str], str | None]


def _apply(text: str, pattern: re.Pattern[str], sub: Sub, protected: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    last = 0
    k = 0
    for m in pattern.finditer(text):
        while k < len(protected) and protected[k][1] <= m.start():
            k += 1
        if k < len(protected) and protected[k][0] < m.end() and m.start() < protected[k][1]:
            continue  # inside (or across) a quotation
        new = sub(m, text)
        if new is None:
            continue
        parts.append(text[last:m.start()])
        parts.append(new)
        last = m.end()
    parts.append(text[last:])
    return "".join(parts)


def _traditional(word: str) -> bool:
    return "們" in word or "倆" in word


def _zh_from_first(target: str, third: str) -> Sub:
    single = "你" if target == "second" else third
    plural = "你" if target == "second" else "他"

    def sub(m: re.Match[str], _text: str) -> str | None:
        if m.group("keep"):
            return None
        if m.group("plural"):
            return plural + ("們" if _traditional(m.group()) else "们")
        if m.group("pair"):
            return plural + ("們倆" if _traditional(m.group()) else "们俩")
        return single

    return sub


def _zh_from_second(target: str, third: str) -> Sub:
    single = "我" if target == "first" else third
    plural = "我" if target == "first" else "他"

    def sub(m: re.Match[str], _text: str) -> str | None:
        if m.group("keep"):
            return None
        if m.group("plural"):
            return plural + ("們" if _traditional(m.group()) else "们")
        return single

    return sub


def _cap(word: str, like: str) -> str:
    """``word`` with the first letter's case of ``like``."""
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _sentence_start_before(text: str, i: int) -> bool:
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == 0:
        return True
    return text[j - 1] in ".!?。！？…\n\ue000" or (
        text[j - 1] in "\"”’」』)" and j > 1 and text[j - 2] in ".!?。！？"
    )


def _en_from_first(target: str, third: str) -> Sub:
    second = target == "second"
    pron = _THIRD[third]
    singular_3 = third in ("she", "he")

    plural_verbs = second or third == "they"

    def verb_for(verb: str) -> str:
        v = verb.replace("’", "'").lower()
        if plural_verbs:
            new = {"am": "are", "was": "were", "wasn't": "weren't"}.get(v)
        else:
            new = {"am": "is", "have": "has", "haven't": "hasn't", "don't": "doesn't"}.get(v) or _PRESENT_3SG.get(v)
        if new is None:
            return verb
        if "’" in verb:
            new = new.replace("'", "’")
        return new[:1].upper() + new[1:] if verb[:1].isupper() else new

    def sub(m: re.Match[str], text: str) -> str | None:
        start = m.start()
        if m.group("inv"):  # was I → were you / was she
            verb = m.group("inv")
            subj = "you" if second else pron["I"]
            return verb_for(verb) + " " + subj
        if m.group("I"):
            subj = "you" if second else pron["I"]
            if _sentence_start_before(text, start):
                subj = subj[:1].upper() + subj[1:]
            if m.group("contr"):
                c = m.group("contr")
                if c == "m":
                    c = "re" if plural_verbs else "s"
                elif c == "ve" and not plural_verbs:
                    c = "s"
                return subj + m.group("apos") + c
            tail = m.group("tail")
            if tail:
                head, _, verb = tail.rpartition(" ")
                return subj + head + " " + verb_for(verb)
            return subj
        word = m.group("word")
        low = word.lower()
        if second:
            new = _SECOND[low]
        elif low in pron:
            new = pron[low]
        else:
            new = _THIRD_PLURAL[low]
        new = new[:1].upper() + new[1:] if word[:1].isupper() else new
        if m.group("wcontr"):
            c = m.group("wcontr")
            return new + m.group("wapos") + c
        return new

    return sub


def _en_from_second(target: str, third: str) -> Sub:
    first = target == "first"
    pron = _THIRD[third]

    def sub(m: re.Match[str], text: str) -> str | None:
        if m.group("inv"):
            verb = m.group("inv")
            if first:
                new_verb = {"are": "am", "were": "was"}[verb.lower()]
                return _cap(new_verb, verb) + " I"
            if third == "they":
                return verb + " they"
            new_verb = {"are": "is", "were": "was"}[verb.lower()]
            return _cap(new_verb, verb) + " " + pron["I"]
        word = m.group("word")
        low = word.lower()
        if low == "you":
            # subject when followed by a verb-ish word or at a clause start; else object
            subject = _you_is_subject(text, m.start(), m.end())
            if first:
                new = "I" if subject else "me"
            else:
                new = pron["I"] if subject else pron["me"]
        else:
            key = {"your": "my", "yours": "mine", "yourself": "myself", "yourselves": "ourselves"}[low]
            if first:
                new = key
            else:
                new = pron.get(key) or _THIRD_PLURAL[key]
        if new != "I":
            new = new[:1].upper() + new[1:] if word[:1].isupper() else new
        if m.group("wcontr"):
            c = m.group("wcontr")
            if c == "re":
                c = "m" if first else ("re" if third == "they" else "s")
            elif c == "ve" and not first and third != "they":
                c = "s"
            return new + m.group("wapos") + c
        if m.group("vtail"):
            sp, _, verb = m.group("vtail").rpartition(" ")
            v = verb.replace("’", "'")
            if first or third != "they":
                base = {"are": "am" if first else "is", "were": "was",
                        "aren't": "am not" if first else "isn't", "weren't": "wasn't"}[v]
                verb = base.replace("'", "’") if "’" in verb else base
            return new + sp + " " + verb
        return new

    return sub


_OBJECT_BEFORE = frozenset(
    "to for with at about from of by like than and or but me him her them us at into onto "
    "told tell gave give asked ask saw see helped help made make let thank thanked called call "
    "love loved hugged hug met meet".split()
)


def _you_is_subject(text: str, start: int, end: int) -> bool:
    before = re.search(r"([A-Za-z']+)\W*$", text[max(0, start - 30):start])
    if before is None:
        return True
    prev = before.group(1).lower()
    return prev not in _OBJECT_BEFORE


# --- slot filling for English phrase banks ---------------------------------------

_SLOT_FORMS = {
    # subject, object, possessive, reflexive, past of "be"
    "second": ("you", "you", "your", "yourself", "were"),
    "first": ("I", "me", "my", "myself", "was"),
    "she": ("she", "her", "her", "herself", "was"),
    "he": ("he", "him", "his", "himself", "was"),
    "they": ("they", "them", "their", "themselves", "were"),
}
_SLOT = re.compile(r"\{(You|you|you_o|Your|your|yourself|were)\}")


def fill_slots(text: str, pov: PointOfView | str, gender: str | None = None) -> str:
    """Fill an English bank sentence's pronoun slots for ``pov``.

    Slots: ``{You}``/``{you}`` subject, ``{you_o}`` object, ``{Your}``/``{your}``
    possessive, ``{yourself}``, and ``{were}`` (was/were agreeing with the subject).
    """
    key = PointOfView(pov).value
    if key == "third":
        key = third_person("en", gender)
    subj, obj, poss, refl, were = _SLOT_FORMS[key]
    values = {"you": subj, "you_o": obj, "your": poss, "yourself": refl, "were": were,
              "You": subj[:1].upper() + subj[1:], "Your": poss[:1].upper() + poss[1:]}
    return _SLOT.sub(lambda m: values[m.group(1)], text)
