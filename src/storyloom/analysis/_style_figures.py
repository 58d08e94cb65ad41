"""Figurative comparisons (similes, as-if) and sensory words.

Similes are found clause by clause with one small rule per cue, so that a
cue word used literally is not counted:

Chinese
    * 仿佛 宛如 犹如 如同 好似 恍如 宛若 恰似 好比: always a comparison.
    * 像 / 就像: a simile when the clause closes the comparison (…一样, …一般,
      …似的, …般) or a numeral/classifier phrase follows (像一团火, 像个银盘).
      Not 像…这样/那样 ("such as", "as … said"), not 像往常一样 ("as usual").
    * 好像 / 像是: usually "it seems" (好像要下雨了); a simile only with the
      same closers or a numeral/classifier phrase (好像一只受惊的小鸟).
    * 似的 / 似地 without 像 before it (跟个孩子似的); X般 / X一般的 as a
      postposition (梦一般的夜晚, 火焰般的热情), not 一般 "usually/ordinary".

English
    * "as if", "as though".
    * "like" after a verb or noun and before a noun phrase (like a frightened
      bird, sounded like thunder); not the verb (I like apples, would like,
      like to) nor "like this/that/it".
    * "as ADJ as NOUN" (as white as snow); not as soon/long/well/far/much/many
      as, and not when a pronoun or "possible/ever/usual" follows.  Literal
      comparisons (as tall as his father) are counted too: telling them from
      figurative ones needs world knowledge.
    * Known misses: similes without a cue word, and metaphors (时间是一把刀,
      "life is a journey"), which no surface rule finds reliably.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..text.document import Language, Sentence, Token
from . import _style_lexicon as lex
from ._style_types import SENSES, Figurative, Sensory, StyleExample

MAX_SIMILE_EXAMPLES = 10
MAX_SENSE_EXAMPLES = 5
MAX_EXAMPLE_CHARS = 60

_CLAUSE_PUNCT = frozenset("，,。.！!？?；;：:、…—“”\"「」『』‘’()（）")

# --- Chinese cues ---------------------------------------------------------------
ZH_ALWAYS = frozenset("仿佛 宛如 犹如 如同 好似 恍如 宛若 恰似 好比 俨然".split())
ZH_LIKE = frozenset({"像", "就像", "真像", "活像"})
ZH_SEEM = frozenset({"好像", "像是", "就像是", "好似是"})
ZH_CLOSERS = frozenset({"一样", "一般", "似的", "似地", "般", "般的", "般地", "一样的", "一样地", "一般的", "一般地"})
ZH_NOT_CLOSERS = frozenset({"这样", "那样", "这般", "那般", "这样的", "那样的"})
ZH_AS_USUAL = frozenset("往常 平常 平时 以前 从前 过去 往年 往日 原来 当年 以往 小时候".split())
_ZH_NUMERALS = "一两二三四五六七八九十几半每"
_ZH_CLASSIFIERS = frozenset("个 只 条 张 把 本 件 位 座 间 棵 朵 片 块 辆 双 道 扇 盏 头 匹 群 团 颗 根 阵 轮 缕 束 串 堆 层 滴 股 尊 艘".split())
_ZH_BAN_NOT = frozenset("这 那 一 百 万 千 诸 如此 这样 那样 怎样 一样".split())
_ZH_YIBAN_PREV_NOT = frozenset(
    "很 不 比较 非常 太 特别 都 也 是 还 挺 十分 相当 我 你 他 她 它 我们 你们 他们 她们 大家 人们 通常".split()
)

# --- English cues ---------------------------------------------------------------
_EN_LIKE_PREV_NOT = frozenset(
    "i you we they he she would do does did don't doesn't didn't really also not to who people kids "
    "you'd i'd we'd they'd he'd she'd might may will shall can could should "
    # "things like books" introduces examples, not a comparison
    "things stuff something anything everything nothing someone somebody anyone places people ones "
    "foods games sports subjects animals".split()
)
_EN_LIKE_NEXT_NOT = frozenset(
    "to this that it these those i you he she we they him her them me us there so what when how".split()
)
_EN_FEEL = frozenset({"feel", "feels", "felt", "feeling"})
_EN_AS_X_NOT = frozenset("soon long well far much many often quickly fast early late good little few".split())
_EN_AS_Y_NOT = frozenset(
    "possible ever usual always before i you he she we they it me him her us them i'd i'm he'd she'd "
    "we'd they'd you'd i'll he'll she'll we'll they'll you'll i've we've they've you've one".split()
)


def _clauses(tokens: Sequence[Token]) -> list[list[int]]:
    """Token indices grouped into clauses (split at clause punctuation)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(tokens):
        if t.is_punct and (t.text in _CLAUSE_PUNCT or t.text[:1] in _CLAUSE_PUNCT):
            if cur:
                out.append(cur)
            cur = []
            continue
        if not t.is_punct:
            cur.append(i)
    if cur:
        out.append(cur)
    return out


def _example(doc_text: str, sentence: Sentence, tokens: Sequence[Token], clause: list[int], marker: str, at: int) -> StyleExample:
    start = tokens[clause[0]].start
    end = tokens[clause[-1]].end
    if end - start > MAX_EXAMPLE_CHARS:  # keep the cue and what follows it
        start = max(start, tokens[at].start - 10)
        end = min(end, start + MAX_EXAMPLE_CHARS)
    return StyleExample(sentence=sentence.index, start=start, end=end, text=doc_text[start:end], marker=marker)


def _is_num_classifier(norm: str) -> bool:
    if norm in _ZH_CLASSIFIERS:
        return True
    return len(norm) >= 2 and norm[0] in _ZH_NUMERALS and norm[-1] in _ZH_CLASSIFIERS


def _zh_similes(tokens: Sequence[Token], clause: list[int]) -> list[tuple[int, str]]:
    """(token index, marker) of each simile in one Chinese clause."""
    found: list[tuple[int, str]] = []
    consumed: set[int] = set()
    norms = [tokens[i].norm for i in clause]
    for k, i in enumerate(clause):
        if i in consumed:
            continue
        w = norms[k]
        if w in ZH_ALWAYS:
            found.append((i, w))
            continue
        if w in ZH_LIKE or w in ZH_SEEM:
            rest = norms[k + 1 :]
            if not rest:
                continue
            if any(r in ZH_NOT_CLOSERS for r in rest):
                continue
            closer = next((j for j, r in enumerate(rest) if r in ZH_CLOSERS), None)
            if closer is not None:
                consumed.add(clause[k + 1 + closer])
                between = rest[:closer]
                if w in ZH_LIKE and len(between) == 1 and between[0] in ZH_AS_USUAL:
                    continue  # 像往常一样 "as usual"
                if not between:  # 像一样 makes no comparison
                    continue
                found.append((i, f"{w}…{rest[closer]}"))
                continue
            if _is_num_classifier(rest[0]):
                found.append((i, w))
            continue
        if w in ("似的", "似地") and k > 0:
            found.append((i, w))
            continue
        if w in ("一般", "一般的", "一般地") and k > 0:
            prev = norms[k - 1]
            nxt = norms[k + 1] if k + 1 < len(norms) else ""
            if prev not in _ZH_YIBAN_PREV_NOT and (w != "一般" or nxt in ("的", "地", "")):
                found.append((i, "一般"))
            continue
        if w.startswith("般") and k > 0 and norms[k - 1] not in _ZH_BAN_NOT:
            found.append((i, "般"))
            continue
        if len(w) >= 2 and w.endswith("般") and w not in ("一般", "这般", "那般", "百般", "万般", "千般", "诸般"):
            found.append((i, "般"))
    return found


def _en_similes(tokens: Sequence[Token], clause: list[int]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    norms = [tokens[i].norm for i in clause]
    n = len(norms)
    k = 0
    while k < n:
        w = norms[k]
        if w == "as" and k + 1 < n and norms[k + 1] in ("if", "though"):
            found.append((clause[k], f"as {norms[k + 1]}"))
            k += 2
            continue
        if w == "as" and k + 2 < n and norms[k + 2] == "as":
            x = norms[k + 1]
            y = norms[k + 3] if k + 3 < n else ""
            if x not in _EN_AS_X_NOT and y and y not in _EN_AS_Y_NOT and not y[:1].isdigit():
                found.append((clause[k], "as … as"))
                k += 3
                continue
        if w == "like":
            prev = norms[k - 1] if k > 0 else ""
            nxt = norms[k + 1] if k + 1 < n else ""
            ok = bool(nxt) and nxt not in _EN_LIKE_NEXT_NOT and prev not in _EN_LIKE_PREV_NOT
            if ok and prev.endswith("'d"):
                ok = False
            if ok and prev in _EN_FEEL and nxt.endswith("ing"):
                ok = False  # "felt like crying"
            if ok:
                found.append((clause[k], "like"))
        k += 1
    return found


def figurative(doc_text: str, sentences: Sequence[Sentence], units: int, unit: str) -> Figurative:
    """Similes and as-if comparisons over all sentences (narration and dialogue)."""
    markers: dict[str, int] = {}
    examples: list[StyleExample] = []
    count = 0
    for s in sentences:
        toks = s.tokens
        for clause in _clauses(toks):
            hits = _zh_similes(toks, clause) if s.language is Language.zh else _en_similes(toks, clause)
            for at, marker in hits:
                count += 1
                markers[marker] = markers.get(marker, 0) + 1
                if len(examples) < MAX_SIMILE_EXAMPLES:
                    examples.append(_example(doc_text, s, toks, clause, marker, at))
    per = round(1000.0 * count / units, 2) if units else 0.0
    return Figurative(count=count, per_1000=per, unit=unit, markers=dict(sorted(markers.items())), examples=examples)


def sensory(doc_text: str, sentences: Sequence[Sentence], units: int, unit: str) -> Sensory:
    """Sensory words by sense over all sentences."""
    counts = {sense: 0 for sense in SENSES}
    hits: dict[str, list[StyleExample]] = {sense: [] for sense in SENSES}
    zh_lex = en_lex = None
    for s in sentences:
        if s.language is Language.zh:
            zh_lex = zh_lex or lex.sensory("zh")
            toks = s.tokens
            for first, end, word in lex.match_zh(toks, zh_lex):
                sense = zh_lex[word]
                counts[sense] += 1
                start = toks[first].start
                hits[sense].append(StyleExample(s.index, start, end, doc_text[start:end], word))
        else:
            en_lex = en_lex or lex.sensory("en")
            for t in s.tokens:
                if t.is_punct:
                    continue
                sense = en_lex.get(t.norm)
                if sense is not None:
                    counts[sense] += 1
                    hits[sense].append(StyleExample(s.index, t.start, t.end, t.text, t.norm))
    examples: dict[str, list[StyleExample]] = {}
    for sense in SENSES:
        seen: set[str] = set()
        distinct: list[StyleExample] = []
        repeats: list[StyleExample] = []
        for e in hits[sense]:
            (repeats if e.marker in seen else distinct).append(e)
            seen.add(e.marker)
        examples[sense] = (distinct + repeats)[:MAX_SENSE_EXAMPLES]
    total = sum(counts.values())
    per = {k: (round(1000.0 * v / units, 2) if units else 0.0) for k, v in counts.items()}
    dominant = None
    if total:
        dominant = max(SENSES, key=lambda k: (counts[k], -SENSES.index(k)))
    return Sensory(counts=counts, per_1000=per, total=total, unit=unit, dominant=dominant, examples=examples)
