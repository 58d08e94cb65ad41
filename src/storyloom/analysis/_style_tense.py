"""Tense of English narration with a small rule-based tagger.

No offline part-of-speech tagger installs without a model download (NLTK's and
spaCy's taggers both need one), so verb forms are recognised by rules, in
narration only (quoted dialogue and colon-introduced speech are skipped):

* past: was/were/had/did (and their negatives), irregular past forms from
  ``resources/style/irregular_verbs_en.tsv`` (went, saw, thought), and -ed
  words (walked, smiled) that are not nouns/adjectives (bed, hundred, naked)
  and not adjectives after a determiner (a tired man);
* present: am/is/are/has/does/do (and negatives, I'm, we're, she's, we've),
  and a subject pronoun followed by a base verb (I walk, they go) or by a
  verb in -s (she smiles, he goes);
* half weight: modals will/can/shall/may (present) and would/could (past),
  because they also appear in past narration;
* a participle right after an auxiliary (has gone, was tired, had left) is
  not counted again: the auxiliary already carries the tense.

``past_share`` ≥ ``PAST_SHARE`` → past, ≤ ``1 - PAST_SHARE`` → present,
otherwise mixed; fewer than ``MIN_EVIDENCE`` weighted forms → unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..text.document import Language, Sentence, Token
from . import _style_lexicon as lex
from ._style_pov import speech_mask
from ._style_types import StyleExample, Tense, TenseProfile

PAST_SHARE = 0.7  # a story reflecting on the past in a present-tense close stays "past"
MIN_EVIDENCE = 2.0
MODAL_WEIGHT = 0.5
MAX_EXAMPLES = 6

PAST_AUX = frozenset("was were had did wasn't weren't hadn't didn't".split())
PRESENT_AUX = frozenset("am is are has does do isn't aren't hasn't doesn't don't".split())
PRESENT_MODALS = frozenset("will can shall may won't can't cannot".split())
PAST_MODALS = frozenset("would could couldn't wouldn't".split())
AUXILIARIES = frozenset(
    "have has had having is are was were be been being am 've 'd 's 're 'm get got gets getting".split()
)
_ADVERBS_BETWEEN = frozenset("not never already just also still always ever n't".split())
_SUBJECT_PLURAL = frozenset("i you we they".split())
_SUBJECT_SINGULAR = frozenset("he she it".split())
_DETERMINERS = frozenset(
    "a an the this that these those my your his her its our their some any every each no another".split()
)
_NON_VERB_ED = frozenset(
    "bed red shed sled hundred sacred naked wicked kindred hatred need seed feed speed breed weed reed deed "
    "greed indeed steed shred infrared beloved rugged ragged crooked wretched jagged aged dogged embed "
    "fred ted ned bred fled bled sped fed led wed".split()
)
_REGULAR_BASES = frozenset(
    "walk look want open close turn smile laugh ask call try start wait watch help need love like live play "
    "work talk move stay cry jump pull push carry answer wonder remember hope wish touch stop hug kiss cook "
    "clean dance listen shout whisper scream nod decide realize realise notice happen change return arrive "
    "climb follow miss reach pick drop kick knock rush hurry worry stare glance enter fill finish join pass "
    "plan pray rest save share shop smell step thank travel trust use visit wash wave wipe yell learn "
    "believe hate live die agree belong count cover dream explain fail fix hand hear imagine join kill "
    "laugh mind order own paint pay place prefer promise rain reply seem serve smell sound stay suppose "
    "talk taste thank tie hold".split()
)


def _contraction(norm: str) -> tuple[str, str]:
    if "'" in norm:
        base, _, suffix = norm.partition("'")
        return base, "'" + suffix
    return norm, ""


def _present_s_base(norm: str) -> str | None:
    """``smiles`` → ``smile``, ``goes`` → ``go``, ``cries`` → ``cry`` (None if not an -s form)."""
    if len(norm) < 3 or not norm.endswith("s") or norm.endswith("ss"):
        return None
    if norm.endswith("ies"):
        return norm[:-3] + "y"
    if norm.endswith("es") and norm[:-2] in lex.irregular_verbs()[0] | _REGULAR_BASES:
        return norm[:-2]
    return norm[:-1]


def _narration_words(sentence: Sentence) -> list[list[Token]]:
    """Runs of narration words, split where dialogue or punctuation interrupts."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for t, quoted in zip(sentence.tokens, speech_mask(sentence)):
        if quoted or (t.is_punct and t.text not in "'’-"):
            if cur:
                runs.append(cur)
            cur = []
            continue
        if not t.is_punct:
            cur.append(t)
    if cur:
        runs.append(cur)
    return runs


def tense_profile(sentences: Sequence[Sentence]) -> TenseProfile:
    """Past/present verb-form evidence over the English narration of ``sentences``."""
    bases, pasts, participles = lex.irregular_verbs()
    verb_bases = bases | _REGULAR_BASES
    past = present = 0.0
    examples: list[StyleExample] = []

    def note(s: Sentence, t: Token, kind: str) -> None:
        if len(examples) < MAX_EXAMPLES:
            examples.append(StyleExample(s.index, t.start, t.end, t.text, kind))

    for s in sentences:
        if s.language is not Language.en:
            continue
        for run in _narration_words(s):
            prev_counted = False
            for k, t in enumerate(run):
                w = t.norm
                prev = run[k - 1].norm if k else ""
                prev2 = run[k - 2].norm if k > 1 else ""
                base, suffix = _contraction(w)
                after_aux = (
                    prev in AUXILIARIES
                    or _contraction(prev)[1] in AUXILIARIES
                    or (prev2 in AUXILIARIES and (prev.endswith("ly") or prev in _ADVERBS_BETWEEN))
                )
                counted = False
                if suffix in ("'m", "'re", "'ve") or (
                    suffix == "'s" and base in ("he", "she", "it", "that", "there", "here", "what", "who", "everything", "nothing")
                ):
                    present += 1
                    note(s, t, "present")
                    counted = True
                elif suffix == "'ll":
                    present += MODAL_WEIGHT
                    counted = True
                elif w in PAST_AUX:
                    past += 1
                    note(s, t, "past")
                    counted = True
                elif w in PRESENT_AUX:
                    present += 1
                    note(s, t, "present")
                    counted = True
                elif w in PRESENT_MODALS:
                    present += MODAL_WEIGHT
                    counted = True
                elif w in PAST_MODALS:
                    past += MODAL_WEIGHT
                    counted = True
                elif after_aux or (prev_counted and w.endswith("ed")):
                    counted = False  # participle/adjective after an auxiliary or linking verb
                elif w in pasts and w not in bases:
                    past += 1
                    note(s, t, "past")
                    counted = True
                elif len(w) >= 4 and w.endswith("ed") and w not in _NON_VERB_ED and prev not in _DETERMINERS:
                    past += 1
                    note(s, t, "past")
                    counted = True
                elif prev in _SUBJECT_PLURAL and w in verb_bases:
                    present += 1
                    note(s, t, "present")
                    counted = True
                elif prev in _SUBJECT_SINGULAR and (b := _present_s_base(w)) is not None and b in verb_bases:
                    present += 1
                    note(s, t, "present")
                    counted = True
                prev_counted = counted
    total = past + present
    if total < MIN_EVIDENCE:
        tense = Tense.unknown
        share = round(past / total, 3) if total else None
    else:
        share = round(past / total, 3)
        if share >= PAST_SHARE:
            tense = Tense.past
        elif share <= 1 - PAST_SHARE:
            tense = Tense.present
        else:
            tense = Tense.mixed
    return TenseProfile(tense=tense, past=round(past, 2), present=round(present, 2), past_share=share, examples=examples)
