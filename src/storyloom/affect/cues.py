"""Find the affect cues of a sentence: lexicon words after the rules.

A cue is one sentiment or emotion word (or a phrase of up to three tokens)
with everything the rules did to it — negation, degree, the contrast turn, a
rhetorical question — so that sentiment, emotions and valence–arousal are all
computed from the same reading of the sentence, and every number in a Report
can point back at the words behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.document import Language, Sentence, Token
from . import en_va, lexicon, rules


@dataclass(slots=True)
class Cue:
    """One affect-bearing word or phrase in a sentence, after the rules."""

    text: str
    norm: str
    start: int
    end: int
    polarity: float  # signed weight after rules; 0 for valence–arousal-only words
    emotion: str | None  # emotion class after negation (None: none)
    strength: float  # emotion strength after rules (>= 0)
    valence: float | None  # 1–9 after negation/degree, None if unrated
    arousal: float | None
    weight: float  # clause weight: contrast turn, concession
    negated: bool = False
    degree: float = 1.0
    base_emotion: str | None = None  # the word's own emotion, before negation
    base_strength: float = 0.0


@dataclass(slots=True)
class SentenceCues:
    """All cues of one sentence plus sentence-level signals."""

    cues: list[Cue]
    exclamations: int
    question: bool
    rhetorical: bool
    turn: bool  # the sentence contains a contrast turn
    starts_with_turn: bool  # "但是……" at sentence start refers back to the previous one


def _negated_emotion(emotion: str | None, strength: float) -> tuple[str | None, float]:
    # "不开心" shows sadness (weakly); "不害怕" shows no fear, and no other emotion.
    if emotion in ("joy", "love"):
        return "sadness", strength * 0.5
    return None, 0.0


def _negate_va(value: float | None, scalar: float) -> float | None:
    if value is None:
        return None
    return 5.0 + (value - 5.0) * scalar * 0.7


def _boost_va(value: float | None, degree: float) -> float | None:
    if value is None or degree == 1.0:
        return value
    return min(9.0, max(1.0, 5.0 + (value - 5.0) * min(degree, 1.6)))


class _Modifiers:
    """Pending negation/degree state while walking a clause."""

    __slots__ = ("neg_count", "neg_emphatic", "neg_before_degree", "degree", "age", "emph_prefix")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.neg_count = 0
        self.neg_emphatic = False
        self.neg_before_degree = False
        self.degree = 1.0
        self.age = 0
        self.emph_prefix = False

    @property
    def active(self) -> bool:
        return self.neg_count > 0 or self.degree != 1.0

    def scalar(self) -> tuple[float, bool, float]:
        """(multiplier, negated, degree) for the next sentiment word."""
        degree = self.degree
        if self.neg_count % 2 == 1:
            if self.neg_emphatic:
                return rules.EMPHATIC_NEGATION_SCALAR, True, degree
            if self.neg_before_degree and degree > 1.0:
                return rules.NEGATED_DEGREE_SCALAR, True, degree
            return rules.NEGATION_SCALAR * (degree if degree < 1.0 else 1.0), True, degree
        if self.neg_count and self.neg_count % 2 == 0:
            # "不是不开心" — double negation: a hedged positive
            return 0.6 * degree, False, degree
        return degree, False, degree


def _span_text(tokens: list[Token], i: int, n: int) -> tuple[str, str]:
    return "".join(t.text for t in tokens[i : i + n]), "".join(t.norm for t in tokens[i : i + n])


def _modifies_next(tokens: list[Token], j: int, lex: lexicon.ZhLexicon) -> bool:
    """True if a sentiment word (or another modifier) follows within the clause."""
    for t in tokens[j : j + rules.NEGATION_WINDOW + 1]:
        if t.is_punct:
            return False
        n = t.norm
        if (n in lex.polarity or n in lex.emotion or n in rules.ZH_NEGATORS or n in rules.ZH_DEGREE
                or n in rules.ZH_EMPHATIC_PREFIX or n in rules.ZH_NEGATED_DEGREE):
            return True
        if n.isascii():
            continue
    # a phrase starting later ("一点也不" + 开心) is found by the look-ahead above;
    # anything else means this word stands alone
    return False


_PARTICLES = ("着", "了", "过", "地", "的")


def _split_fused(word: str, lex: lexicon.ZhLexicon) -> tuple[int, float, str] | None:
    """(negations, degree, core) for a token that fuses modifiers with a lexicon word."""
    if word[-1] in _PARTICLES and len(word) > 2:
        core = word[:-1]
        if core in lex.polarity or core in lex.emotion:
            return 0, 1.0, core
    neg, deg, rest = 0, 1.0, word
    found: tuple[int, float, str] | None = None
    for _ in range(3):
        for size in (2, 1):
            head = rest[:size]
            if len(rest) <= size:
                continue
            if head in rules.ZH_NEGATORS:
                neg += 1
                rest = rest[size:]
                break
            if head in rules.ZH_DEGREE:
                deg *= rules.ZH_DEGREE[head]
                rest = rest[size:]
                break
        else:
            break
        if rest in lex.polarity or rest in lex.emotion:
            found = (neg, deg, rest)  # keep stripping: "不太好" is 不 + 太 + 好
    return found


def _post_negated(tokens: list[Token], j: int) -> bool:
    """True if a potential-complement negation follows (高兴不起来, 开心不了)."""
    one = tokens[j].norm if j < len(tokens) else ""
    two = one + (tokens[j + 1].norm if j + 1 < len(tokens) else "")
    return one in rules.ZH_POST_NEGATION or two in rules.ZH_POST_NEGATION


def zh_cues(sentence: Sentence) -> SentenceCues:
    """Cues of a Chinese sentence (English words inside it use the English tables)."""
    lex = lexicon.zh()
    enlex = lexicon.en()
    tokens = list(sentence.tokens)
    cues: list[Cue] = []
    mods = _Modifiers()
    clause_first_word = True
    concessive_from: int | None = None
    turn = False
    starts_with_turn = False
    rhetorical = False
    n_tok = len(tokens)
    i = 0
    seen_word = False
    while i < n_tok:
        tok = tokens[i]
        norm = tok.norm
        if tok.is_punct:
            if norm in rules.ZH_CLAUSE_PUNCT or norm in "。！？!?":
                mods.reset()
                clause_first_word = True
            i += 1
            continue
        # Turn and concession words change the weight of what came before/after.
        if (norm in rules.ZH_CONTRAST and (norm != "可" or clause_first_word)) or (
            norm in rules.ZH_CLAUSE_CONTRAST and clause_first_word and i > 0
        ):
            for c in cues:
                c.weight *= rules.BEFORE_TURN_WEIGHT
            turn = True
            if not seen_word:
                starts_with_turn = True
            concessive_from = None
            seen_word = True
            clause_first_word = False
            i += 1
            continue
        if norm in rules.ZH_CONCESSIVE:
            concessive_from = len(cues)
            seen_word = True
            clause_first_word = False
            i += 1
            continue
        if norm in rules.ZH_RHETORICAL:
            rhetorical = True
        seen_word = True
        clause_first_word = False

        match_n = 0
        entry_pol = entry_emo = entry_va = None
        # Longest match first: "毫不犹豫" is one phrase, not 毫不 + 犹豫.
        for n in (3, 2, 1):
            if i + n > n_tok or any(t.is_punct for t in tokens[i : i + n]):
                continue
            key = norm if n == 1 else "".join(t.norm for t in tokens[i : i + n])
            if n > 1 and len(key) > lex.max_len:
                continue
            pol = lex.polarity.get(key)
            emo = lex.emotion.get(key)
            va = lex.va.get(key)
            if pol is None and emo is None and key.isascii():
                low = key.lower()
                pol = enlex.polarity.get(low)
                emo = enlex.emotion.get(low)
                if pol is None and emo is None:
                    continue
            if pol is None and emo is None and (va is None or n > 1):
                continue
            # A negator or degree word is a modifier, unless it starts a longer
            # phrase or nothing it could modify follows ("我不太好" ends on 好).
            if n == 1 and (norm in rules.ZH_NEGATORS or norm in rules.ZH_DEGREE
                           or norm in rules.ZH_EMPHATIC_PREFIX or norm in rules.ZH_NEGATED_DEGREE):
                if _modifies_next(tokens, i + 1, lex):
                    break
            match_n, entry_pol, entry_emo, entry_va = n, pol, emo, va
            break

        if (match_n == 0 and len(norm) >= 2 and norm not in rules.ZH_NEGATORS
                and norm not in rules.ZH_NEGATED_DEGREE):
            # jieba keeps some modified words whole ("不太好", "很难过", "洋溢着"):
            # read the modifiers off the front and the aspect particle off the end.
            split = _split_fused(norm, lex)
            if split is not None:
                neg, deg, core = split
                mods.neg_count += neg
                if neg and deg != 1.0:
                    mods.neg_before_degree = True
                mods.degree *= deg
                entry_pol, entry_emo, entry_va = lex.polarity.get(core), lex.emotion.get(core), lex.va.get(core)
                match_n = 1

        if match_n == 0:
            if norm in rules.ZH_EMPHATIC_PREFIX:
                mods.emph_prefix = True
                mods.age = 0
            elif norm in rules.ZH_NEGATED_DEGREE:
                mods.neg_count += 1
                mods.neg_before_degree = True
                mods.degree *= rules.ZH_NEGATED_DEGREE[norm]
                mods.age = 0
            elif norm in rules.ZH_NEGATORS:
                mods.neg_count += 1
                mods.age = 0
                if norm in rules.ZH_EMPHATIC_NEGATORS or mods.emph_prefix:
                    mods.neg_emphatic = True
            elif norm in rules.ZH_DEGREE:
                if mods.neg_count and mods.degree == 1.0:
                    mods.neg_before_degree = True
                mods.degree *= rules.ZH_DEGREE[norm]
                mods.age = 0
            elif mods.active or mods.emph_prefix:
                if norm not in rules.ZH_NEGATION_TRANSPARENT:
                    mods.age += 1
                if mods.age > rules.NEGATION_WINDOW:
                    mods.reset()
            i += 1
            continue

        text, key = _span_text(tokens, i, match_n)
        if _post_negated(tokens, i + match_n):
            # "高兴不起来": the negation follows the word it negates
            mods.neg_count += 1
        scalar, negated, degree = mods.scalar()
        mods.reset()
        pol = (entry_pol or 0.0) * scalar
        emo_name, strength = (entry_emo or (None, 0.0))
        base_emotion, base_strength = emo_name, strength
        strength *= abs(scalar) if not negated else 1.0
        if negated:
            emo_name, strength = _negated_emotion(emo_name, strength)
        val = aro = None
        if entry_va is not None:
            val, aro = entry_va
            if negated:
                val = _negate_va(val, abs(scalar))
            else:
                val = _boost_va(val, degree)
        weight = rules.CONCESSIVE_WEIGHT if concessive_from is not None else 1.0
        if turn:
            weight *= rules.AFTER_TURN_WEIGHT
        cues.append(Cue(text=text, norm=key, start=tokens[i].start, end=tokens[i + match_n - 1].end,
                        polarity=pol, emotion=emo_name, strength=strength, valence=val, arousal=aro,
                        weight=weight, negated=negated, degree=degree,
                        base_emotion=base_emotion, base_strength=base_strength))
        i += match_n

    text = sentence.text.rstrip("”」』\"')）) ")
    exclam = min(3, len(text) - len(text.rstrip("！!")))
    question = text.endswith(("？", "?")) or text.endswith(("吗", "呢"))
    return SentenceCues(cues, exclam, question, rhetorical and question, turn, starts_with_turn)


def en_cues(sentence: Sentence) -> SentenceCues:
    """Cues of an English sentence."""
    enlex = lexicon.en()
    tokens = list(sentence.tokens)
    cues: list[Cue] = []
    neg = 0
    neg_age = 0
    degree = 1.0
    turn = False
    starts_with_turn = False
    concessive = False
    seen_word = False
    words = tokens
    for idx, tok in enumerate(words):
        norm = tok.norm
        if tok.is_punct:
            if norm in rules.EN_CLAUSE_PUNCT or norm in ".!?":
                neg, degree, neg_age = 0, 1.0, 0
            continue
        bare = norm.replace("'", "").replace("\u2019", "")
        if norm in rules.EN_CONTRAST and norm != "still":
            for c in cues:
                c.weight *= rules.BEFORE_TURN_WEIGHT
            turn = True
            starts_with_turn = starts_with_turn or not seen_word
            concessive = False
            seen_word = True
            continue
        if norm in rules.EN_CONCESSIVE and not turn:
            concessive = True
            seen_word = True
            continue
        seen_word = True
        if bare in rules.EN_NEGATORS or bare.endswith("nt") and norm.endswith(("n't", "n\u2019t")):
            neg += 1
            neg_age = 0
            continue
        if norm == "longer" and idx and words[idx - 1].norm == "no":
            continue  # "no longer" is one negator, already counted at "no"
        if norm in rules.EN_DEGREE:
            degree *= rules.EN_DEGREE[norm]
            continue
        pol = enlex.polarity.get(norm)
        emo = enlex.emotion.get(norm)
        va = en_va.word_va(norm)
        if pol is None and emo is None:
            if neg or degree != 1.0:
                neg_age += 1
                if neg_age > rules.NEGATION_WINDOW:
                    neg, degree, neg_age = 0, 1.0, 0
            if va is None or abs(va[0] - 5.0) < 0.6:
                continue
        emphatic = neg % 2 == 1 and any(
            idx + 2 < len(words) and words[idx + 1].norm == a and words[idx + 2].norm == b
            for a, b in rules.EN_EMPHATIC_SUFFIX
        )
        negated = neg % 2 == 1
        if negated:
            scalar = rules.EMPHATIC_NEGATION_SCALAR if emphatic else rules.NEGATION_SCALAR * min(degree, 1.0)
        else:
            scalar = degree
        emo_name, strength = emo or (None, 0.0)
        base_emotion, base_strength = emo_name, strength
        if negated:
            emo_name, strength = _negated_emotion(emo_name, strength)
        else:
            strength *= degree
        val = aro = None
        if va is not None:
            val, aro = va[0], va[1]
            val = _negate_va(val, abs(scalar)) if negated else _boost_va(val, degree)
        weight = rules.CONCESSIVE_WEIGHT if concessive else 1.0
        if turn:
            weight *= rules.AFTER_TURN_WEIGHT
        cues.append(Cue(text=tok.text, norm=norm, start=tok.start, end=tok.end,
                        polarity=(pol or 0.0) * scalar, emotion=emo_name, strength=strength,
                        valence=val, arousal=aro, weight=weight, negated=negated, degree=degree,
                        base_emotion=base_emotion, base_strength=base_strength))
        if pol is not None or emo is not None:
            neg, degree, neg_age = 0, 1.0, 0
    text = sentence.text.rstrip("”\"')) ")
    exclam = min(3, len(text) - len(text.rstrip("!")))
    question = text.endswith("?")
    return SentenceCues(cues, exclam, question, False, turn, starts_with_turn)


def sentence_cues(sentence: Sentence) -> SentenceCues:
    """Cues of a sentence in whichever language it is written."""
    if sentence.language == Language.en:
        return en_cues(sentence)
    return zh_cues(sentence)
