"""Chinese element tagging: Baidu LAC names merged with word-list rules.

Per sentence, on its Simplified form (Traditional input is converted with
OpenCC, character for character when a phrase rule would change the length,
so offsets always map back to what the writer wrote):

* **times** — LAC ``TIME`` and ``t`` words, words of ``zh_times.txt`` and
  number+unit patterns (2019年, 三点半, 星期六); adjacent time words merge
  (那年 + 冬天 → 那年冬天, also across one 的), a ``…岁`` number joins a
  following time (十岁那年); discourse words (后来, 最后, 当时…) alone are not
  times;
* **characters** — LAC ``PER`` names; kinship/role/group nouns of
  ``zh_characters.tsv`` matched on one to three LAC words (外卖 + 小哥), with
  a plural 们, a 老/小 prefix (老奶奶 is listed; 老王/小李 by surname) and a
  possessive prefix stripped (我妈 → 妈); the narrator 我/我们/咱们 outside
  quotes, reported as ``我``.  jieba's ``nr`` tags are not used (it calls
  慈祥 a name);
* **places** — LAC ``LOC`` (place) and ``ORG`` (organisation), ``s``
  locatives that are not body parts or relations (脸上, 心里, 身边), words of
  ``zh_places.txt`` and nouns ending in a place head (…医院, …站, 老房子),
  with a leading 在/回/到 removed (回家 → 家); X家 after a kinship word is a
  place and X a character (奶奶家);
* **objects** — LAC nouns that are none of the above nor abstract
  (``zh_not_elements.tsv``); single-character nouns only when counted by a
  classifier (一封信).  Each occurrence weighs 1, plus 1 when a numeral or
  classifier introduces it (一辆……三轮车).
"""

from __future__ import annotations

import re

from ..text.document import Sentence
from ..text.script import to_simplified, to_simplified_chars
from . import _lexicons, _ner_lac
from ._ner_common import CHARACTER, OBJECT, PLACE, TIME, Found

NARRATOR = "我"
BODY_PARTS = frozenset("嘴脸手眼心脚头身背耳怀肩胸腿脑掌指额鼻唇喉肚腰膝")
RELATIONAL = frozenset("上下里外边旁前后内中间头")
# 小/老 words LAC can mistake for 小明-style names.
NOT_NAMES = frozenset({"小声", "小心", "小时", "小气", "小事", "小费", "老是", "老实", "老早", "老远", "老家",
                       "老板", "老师", "老人", "小孩", "小伙"})
ADDRESSEE = "你"
ADDRESSEE_WORDS = frozenset({"你", "你们", "您", "你自己"})
NARRATOR_WORDS = frozenset({"我", "我们", "咱", "咱们", "俺", "俺们", "我俩", "我们俩", "我自己"})
POSSESSIVE_PREFIXES = ("我们", "咱们", "我", "你", "他", "她", "咱")
LOCATIVE_VERBS = ("在", "回", "到", "去", "进", "出", "离")
# Common surnames for 老王 / 小李 style names (LAC tags most of them PER already).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)
NOUN_TAGS = frozenset({"n", "nz"})
RELATIVE_LOCATIVES = frozenset({"门口", "附近", "旁边", "对面", "外面", "里面", "后面", "前面", "边上",
                                "楼下", "楼上", "周围", "一带", "深处", "中心"})
DEMONSTRATIVES = frozenset({"那个", "这个", "那", "这", "那一个", "这一个"})
NAME_TAGS = {"PER": (CHARACTER, "person"), "LOC": (PLACE, "place"), "ORG": (PLACE, "organisation")}
TIME_TAGS = frozenset({"TIME", "t"})
# Tags that end the noun phrase when looking back for a numeral/classifier.
PHRASE_BREAK = frozenset({"w", "p", "r", "c", "xc"})
# Nouns ending like this are abstract (安全感, 重要性, 温度…).
ABSTRACT_ENDINGS = ("感", "性", "度", "观", "意义", "精神", "心情", "情绪")
_NUM = "0-9０-９零〇一二两三四五六七八九十百千万几"
TIME_PATTERN = re.compile(
    rf"^(?:[{_NUM}]+(?:年|月|日|号|点钟|点半|点|分钟?|岁那年|年代)"
    r"|(?:星期|周|礼拜)[一二三四五六日天末]"
    rf"|[{_NUM}]+月[{_NUM}]+[日号])"
    rf"(?:[{_NUM}]+(?:月|日|号|点钟|点半|点|分))*$"
)
# 两年, 二十年, 三个月: a duration (Chinese numeral + unit alone) is not a point in time.
# (一天 is left alone: 有一天 / 最后一天 name a day.)
DURATION_PATTERN = re.compile(
    r"^(?!一天$)[零〇一二两三四五六七八九十百千万几多半]+(?:个)?(?:年|天|个月|月|周|星期|小时|分钟|秒)(?:多)?$")
AGE_PATTERN = re.compile(rf"^[{_NUM}]+岁$")


def simplified_view(text: str) -> str:
    """``text`` in Simplified characters, always of the same length."""
    simp = to_simplified(text)
    if len(simp) != len(text):
        simp = to_simplified_chars(text)
    return simp


def _quoted(sentence: Sentence) -> list[tuple[int, int]]:
    """Quoted character ranges of a sentence (document offsets)."""
    return [(t.start, t.end) for t, q in zip(sentence.tokens, sentence.in_quote) if q]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def tag_sentences(sentences: list[Sentence]) -> list[list[_ner_lac.Tag]]:
    """LAC tags of each sentence's Simplified view (offsets within the sentence)."""
    return _ner_lac.tag([simplified_view(s.text) for s in sentences])


def extract(sentences: list[Sentence], doc_text: str) -> list[Found]:
    """All element occurrences in the Chinese ``sentences``."""
    found: list[Found] = []
    all_tags = tag_sentences(sentences)
    for sentence, tags in zip(sentences, all_tags):
        found.extend(_sentence(sentence, tags, doc_text))
    return found


def _sentence(sentence: Sentence, tags: list[_ner_lac.Tag], doc_text: str) -> list[Found]:
    lex = _lexicons.zh()
    base = sentence.start
    simp = simplified_view(sentence.text)
    quoted = _quoted(sentence)
    taken = [False] * len(tags)  # word already part of a character/place/time
    out: list[Found] = []

    def add(category: str, kind: str, s: int, e: int, source: str, text: str | None = None) -> None:
        out.append(Found(
            category=category, kind=kind, sentence=sentence.index, start=base + s, end=base + e,
            key=simp[s:e], text=text if text is not None else doc_text[base + s: base + e],
            source=source,
        ))

    # 1. times
    is_time = [_is_time(w, t, lex) for _, _, w, t in tags]
    i = 0
    n = len(tags)
    while i < n:
        if not is_time[i] and not (AGE_PATTERN.match(tags[i][2]) and i + 1 < n and is_time[i + 1]):
            i += 1
            continue
        j = i + 1
        while j < n:
            if is_time[j]:
                j += 1
            elif tags[j][2] == "的" and j + 1 < n and is_time[j + 1]:
                j += 2
            else:
                break
        words = [tags[k][2] for k in range(i, j)]
        # trim discourse words (后来…) and 的 at the edges
        a, b = i, j
        while a < b and (lex.excluded(tags[a][2], "time") or tags[a][2] == "的"):
            a += 1
        while b > a and (lex.excluded(tags[b - 1][2], "time") or tags[b - 1][2] == "的"):
            b -= 1
        if a < b and not all(AGE_PATTERN.match(w) for w in words[a - i: b - i]) and not (
                b == a + 1 and DURATION_PATTERN.match(tags[a][2])):
            start = tags[a][0]
            if a > 0 and tags[a - 1][2] == "有" and tags[a][2].startswith("一"):
                start = tags[a - 1][0]  # 有一天, 有一次
            elif a > 0 and tags[a - 1][2] in DEMONSTRATIVES:
                start = tags[a - 1][0]  # 那个晚上
            add(TIME, "time", start, tags[b - 1][1], "lac" if any(
                tags[k][3] in TIME_TAGS for k in range(a, b)) else "rules")
        for k in range(i, j):
            taken[k] = True
        i = j

    # 2. characters and places from LAC names and the word lists (longest match first)
    i = 0
    while i < n:
        if taken[i]:
            i += 1
            continue
        s, e, word, tag = tags[i]
        if tag == "w":
            i += 1
            continue
        # narrator, and the "you" of second-person narration
        if tag == "r" and (word in NARRATOR_WORDS or word.startswith(("我", "咱"))):
            if not _inside(quoted, base + s):
                add(CHARACTER, "narrator", s, e, "rules", NARRATOR)
            taken[i] = True
            i += 1
            continue
        if tag == "r" and word in ADDRESSEE_WORDS:
            if not _inside(quoted, base + s):
                add(CHARACTER, "addressee", s, e, "rules", ADDRESSEE)
            taken[i] = True
            i += 1
            continue
        span = _lexicon_span(tags, i, lex, taken)
        if span is not None and span[1] == PLACE and span[0] < n and not taken[span[0]]:
            after = _lexicon_span(tags, span[0], lex, taken)
            if after is not None and after[1] == CHARACTER and after[3] == tags[span[0]][0]:
                # a place word modifying a person (大学 室友, 医院 保安) is part of the role
                span = (after[0], CHARACTER, after[2], span[3], after[4])
        if span is not None:
            j, category, kind, ss, ee = span
            if category == CHARACTER or not lex.excluded(simp[ss:ee], "place"):
                add(category, kind, ss, ee, "rules")
            full_end = tags[j - 1][1]
            if category == CHARACTER and ee < full_end and simp[ee:full_end] == "家":
                add(PLACE, "place", ss, full_end, "rules")  # 奶奶家: grandma's home
            for k in range(i, j):
                taken[k] = True
            if category == CHARACTER:
                j = _home_of(tags, j, ss, taken, add)
            i = j
            continue
        if tag in NAME_TAGS:
            category, kind = NAME_TAGS[tag]
            if category == CHARACTER:
                if len(word) >= 2 and not lex.excluded(word, "person") and not _bad_name(word):
                    add(CHARACTER, "person", s, e, "lac")
                    taken[i] = True
                    i = _home_of(tags, i + 1, s, taken, add)
                    continue
            elif not lex.excluded(word, "place"):
                add(category, kind, s, e, "lac")
            taken[i] = True
            i += 1
            continue
        if len(word) == 2 and word[0] in "老小" and word[1] in SURNAMES and tag in ("n", "nz", "PER", "r"):
            add(CHARACTER, "person", s, e, "rules")
            taken[i] = True
            i += 1
            continue
        if tag == "s" and len(word) >= 2 and not lex.excluded(word, "place") and _is_place_locative(word, lex):
            add(PLACE, "place", s, e, "lac")
            taken[i] = True
        i += 1

    out = _join_places(out, tags, taken, base, simp, doc_text)

    # 3. objects: remaining nouns
    for i, (s, e, word, tag) in enumerate(tags):
        if taken[i] or tag not in NOUN_TAGS:
            continue
        if lex.excluded(word, "object") or word.endswith(ABSTRACT_ENDINGS) or word in NARRATOR_WORDS:
            continue
        counted = _counted(tags, i)
        if len(word) < 2 and not counted:
            continue
        f = Found(
            category=OBJECT, kind="object", sentence=sentence.index, start=base + s, end=base + e,
            key=simp[s:e], text=doc_text[base + s: base + e], source="lac",
            weight=1.0 + (1.0 if counted else 0.0),
        )
        out.append(f)
    return out


def _is_place_locative(word: str, lex: _lexicons.ElementLexicon) -> bool:
    """Whether a LAC ``s`` (locative) word names a place.

    Body-part locatives (嘴里, 脚下) never do.  Noun + relational suffix
    (树下, 窗外, 桌上) only when the noun is itself a place (路上, 镇上, 楼下).
    """
    if word[0] in BODY_PARTS:
        return False
    if word[-1] in RELATIONAL and len(word) >= 2:
        stem = word[:-1]
        return stem in lex.places or stem.endswith(lex.place_suffixes)
    return True


def _bad_name(word: str) -> bool:
    """LAC's PER on an adverb or adjective such as 小声 or 老是."""
    return word in NOT_NAMES


def _home_of(tags: list[_ner_lac.Tag], j: int, start: int, taken: list[bool], add) -> int:
    """奶奶 + 家 → the place 奶奶家 (the character was added already); returns the next word."""
    if j < len(tags) and not taken[j] and tags[j][2] in ("家", "家里"):
        add(PLACE, "place", start, tags[j][1], "rules")
        taken[j] = True
        return j + 1
    return j


def _join_places(out: list[Found], tags: list[_ner_lac.Tag], taken: list[bool], base: int,
                 simp: str, doc_text: str) -> list[Found]:
    """学校 + 门口 → 学校门口; 公园 + 附近 → 公园附近 (adjacent places and relative locatives)."""
    ends = {e: k for k, (_, e, _, _) in enumerate(tags)}
    places = sorted((f for f in out if f.category == PLACE), key=lambda f: f.start)
    others = [f for f in out if f.category != PLACE]
    joined: list[Found] = []
    for f in places:
        k = ends.get(f.end - base)
        if k is not None and k + 1 < len(tags) and tags[k + 1][2] in RELATIVE_LOCATIVES and not taken[k + 1]:
            taken[k + 1] = True
            f.end = base + tags[k + 1][1]
        if joined and joined[-1].end == f.start and joined[-1].kind == f.kind == "place":
            prev = joined[-1]
            prev.end = f.end
        else:
            joined.append(f)
    for f in joined:
        f.key = simp[f.start - base: f.end - base]
        f.text = doc_text[f.start: f.end]
    return others + joined


def _is_time(word: str, tag: str, lex: _lexicons.ElementLexicon) -> bool:
    if tag in TIME_TAGS or word in lex.times:
        return True
    return bool(TIME_PATTERN.match(word))


def _counted(tags: list[_ner_lac.Tag], i: int) -> bool:
    """A numeral or classifier introduces the noun phrase ending at word ``i``."""
    for k in range(i - 1, max(-1, i - 7), -1):
        tag = tags[k][3]
        if tag in ("m", "q"):
            return True
        if tag in PHRASE_BREAK:
            return False
    return False


def _lexicon_span(
    tags: list[_ner_lac.Tag], i: int, lex: _lexicons.ElementLexicon, taken: list[bool]
) -> tuple[int, str, str, int, int] | None:
    """Longest word-list match starting at word ``i``.

    Returns ``(next word index, category, kind, start, end)`` with offsets
    within the sentence, or ``None``.
    """
    n = len(tags)
    for size in range(min(lex.max_words, n - i), 0, -1):
        if any(taken[k] or tags[k][3] == "w" for k in range(i, i + size)):
            continue
        s = tags[i][0]
        word = "".join(tags[k][2] for k in range(i, i + size))
        all_nouns = (size == 2 and all(tags[k][3] in NOUN_TAGS for k in range(i, i + size))
                     and len(tags[i + 1][2]) == 1)
        hit = _classify(word, lex, single=size == 1, tag=tags[i][3], tags_all_nouns=all_nouns)
        if hit is not None:
            category, kind, ds, de = hit
            return i + size, category, kind, s + ds, s + len(word) - de
    return None


def _classify(word: str, lex: _lexicons.ElementLexicon, *, single: bool, tag: str,
              tags_all_nouns: bool = False) -> tuple[str, str, int, int] | None:
    """What ``word`` names, with characters trimmed from its start and end."""
    chars = lex.characters
    if word in chars:
        return CHARACTER, chars[word], 0, 0
    if word.endswith("们") and word[:-1] in chars:
        return CHARACTER, "group", 0, 0
    if single and tag in ("n", "nz", "r", "s", "PER"):
        for prefix in POSSESSIVE_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and rest in chars and rest not in ("们",):
                return CHARACTER, chars[rest], len(prefix), 0
        if word.endswith("家") and word[:-1] in chars:
            return CHARACTER, chars[word[:-1]], 0, 1
    if word in lex.places:
        return PLACE, "place", 0, 0
    if single and tag in ("n", "nz") and len(word) >= 3 and word.endswith("们"):
        return CHARACTER, "group", 0, 0  # 们 marks human plurals: 街坊们
    if single and tag in ("n", "nz", "s") and len(word) >= 3 and not lex.excluded(word, "place"):
        for k in range(1, len(word) - 1):
            if word[k:] in lex.places:
                return PLACE, "place", 0, 0  # 老房子, 新学校
    if not single and tags_all_nouns and word[-1:] in lex.place_suffixes and len(word) >= 3:
        return PLACE, "place", 0, 0  # 早餐 + 店
    if single:
        if tag in ("n", "nz", "s", "vn", "d", "v") and word[:1] in LOCATIVE_VERBS and word[1:] in lex.places:
            return PLACE, "place", 1, 0
        if tag in ("n", "nz", "s") and len(word) >= 2 and not lex.excluded(word, "place"):
            for suffix in lex.place_suffixes:
                if word.endswith(suffix) and len(word) > len(suffix) - (1 if len(suffix) > 1 else 0):
                    return PLACE, "place", 0, 0
    return None
