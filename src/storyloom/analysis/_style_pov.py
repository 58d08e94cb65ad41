"""Point of view from narration only.

Pronouns inside quoted dialogue (``Sentence.in_quote``) and in unquoted speech
or thought — after a speech/thought verb and a colon (奶奶说：我不饿。), or a
comma when the speaker is not the narrator (她想，我一定要考上。) — are counted
separately and never decide the point of view.

Decision
    Narration counts F (first person), S (second) and T (third; ``它``/"it"-like
    and named or kinship subjects count half) are weighed against each other
    with the asymmetries of personal narrative:

    * a first-person narrator constantly refers to other people in the third
      person, so T is discounted (``THIRD_DISCOUNT``): a story is third person
      only when third-person references outnumber first-person ones about
      five to one;
    * generic or addressed "you" is common in first-person text (你知道吗,
      "you know"), so S must beat F by ``SECOND_MARGIN`` to make a "you" story;
    * a story with no personal reference at all (Chinese drops the subject:
      今天去了公园……) is taken as first person with low confidence.

    Confidence is the winner's share of the weighed counts, shrunk towards 0
    when there is little evidence: ``share × n / (n + 2)``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ..text.document import Language, Sentence, Token
from ._style_lexicon import irregular_verbs
from ._style_types import POV

THIRD_DISCOUNT = 0.2  # first-person stories mention others in the third person
SECOND_MARGIN = 1.5  # "you" must beat "I" by this factor to make a you-story
HALF = 0.5  # weight of 它/it-like pronouns and of named/kinship subjects
NO_EVIDENCE_CONFIDENCE = 0.3
# A clause-initial word counts as a person's name when jieba's dictionary has
# it rarely or not at all (李明 0, 小明 0, 老王 190) — frequent words are
# ordinary vocabulary (高兴 5387, 小时 8143, 老家 686).
NAME_MAX_FREQ = 200
SURNAME_NAME_MAX_FREQ = 50

# --- Chinese ------------------------------------------------------------------
ZH_FIRST = frozenset({"我", "我们", "咱们", "咱", "俺", "俺们", "我俩", "咱俩"})
ZH_SECOND = frozenset({"你", "你们", "您", "你俩", "您们"})
ZH_THIRD = frozenset({"他", "她", "他们", "她们", "他俩", "她俩"})
ZH_THIRD_HALF = frozenset({"它", "它们"})
# jieba glues a pronoun to a following kinship/place noun (我妈, 你家, 她家);
# these compounds count for the pronoun.  Words that merely start with the
# character are excluded (他人 "others", 他乡 "foreign parts", 我国 "our country").
_ZH_GLUE_EXCLUDE = frozenset({"他人", "他乡", "他日", "他国", "他处", "他物", "我国", "你好", "您好", "我方", "你死我活"})
_ZH_PRONOUN_CHAR = {"我": "first", "俺": "first", "咱": "first", "你": "second", "您": "second", "他": "third", "她": "third"}
# Kinship and role nouns that, at the head of a clause in narration, mark a
# third-person subject (奶奶每天……).
ZH_PERSON_NOUNS = frozenset(
    "奶奶 爷爷 外婆 外公 姥姥 姥爷 妈妈 爸爸 母亲 父亲 爹 娘 哥哥 姐姐 弟弟 妹妹 叔叔 阿姨 伯伯 舅舅 姑姑 婶婶 "
    "老师 医生 护士 司机 同学 朋友 邻居 老板 师傅 男孩 女孩 孩子 小孩 老人 老奶奶 老爷爷 老太太 老头 女人 男人 "
    "妻子 丈夫 儿子 女儿 孙子 孙女 队长 班长 校长 警察 店主 经理 同事 室友 学生 女孩儿 男孩儿 小伙子 姑娘".split()
)
_ZH_NAME = re.compile(r"^(?:[小老阿][\u4e00-\u9fff]|[\u4e00-\u9fff]{2,3})$")
# Common surnames, for names jieba does not know (李明, 王小红).
_ZH_SURNAMES = frozenset(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 "
    "于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 "
    "薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤".split()
)
_ZH_SPEECH_VERBS = frozenset("说 问 道 喊 叫 答 回答 嚷 嘀咕 心想 想 暗想 说道 问道 喊道 大喊 告诉 叮嘱 笑道 哭道 自言自语".split())
_ZH_COLONS = frozenset({"：", ":"})
_COMMAS = frozenset({"，", ","})

# --- English ------------------------------------------------------------------
EN_FIRST = frozenset("i me my mine myself we us our ours ourselves".split())
EN_SECOND = frozenset("you your yours yourself yourselves ya".split())
EN_THIRD = frozenset("he him his himself she her hers herself they them their theirs themselves".split())
EN_PERSON_NOUNS = frozenset(
    "grandma grandpa granny grandmother grandfather mom mum mother dad father brother sister aunt uncle "
    "nana papa teacher doctor nurse driver neighbor neighbour friend boss boy girl man woman child kid "
    "husband wife son daughter coach captain".split()
)
# Capitalised sentence openers that are not people.
_EN_NOT_NAMES = frozenset(
    "the a an this that these those there then when while after before as at in on by for from with without "
    "but and so or if because though although once now today yesterday tomorrow later soon finally suddenly "
    "every each some no nobody everyone someone nothing it its what why how where who which all both many "
    "most one two three first last next here maybe perhaps still even just only sometimes always never "
    "dear yes oh well please thank thanks good hello hi okay ok".split()
)
_EN_FINITE = frozenset("was is had has did does would could will can says goes".split())
_EN_SPEECH_VERBS = frozenset(
    "said says say asked asks told tell thought think whispered shouted yelled replied answered cried".split()
)


def _en_base(norm: str) -> str:
    """``i'm`` → ``i``; ``she's`` → ``she``; ``you'll`` → ``you``."""
    return norm.split("'", 1)[0] if "'" in norm else norm


def speech_mask(sentence: Sentence) -> list[bool]:
    """Per-token flags: quoted dialogue, or unquoted speech and thought.

    Unquoted speech is what follows a speech or thought verb and a colon
    (奶奶说：我不饿。) or a comma when the speaker is not the narrator (她想，
    我一定要考上。 / He thought, I am not good enough.).  "我想，我应该……" is
    narration: the narrator is the one thinking.
    """
    mask = list(sentence.in_quote) if sentence.in_quote else [False] * len(sentence.tokens)
    toks = sentence.tokens
    zh = sentence.language is Language.zh
    speech = _ZH_SPEECH_VERBS if zh else _EN_SPEECH_VERBS
    prev_word: Token | None = None
    for i, t in enumerate(toks):
        if not t.is_punct:
            prev_word = t
            continue
        if prev_word is None or prev_word.norm not in speech or mask[i]:
            continue
        if t.text in _ZH_COLONS:
            pass
        elif t.text in _COMMAS:
            before = [toks[k].norm for k in range(i) if not toks[k].is_punct and not mask[k]]
            if any((_zh_person(w) if zh else _en_person(w)) == "first" for w in before):
                continue  # the narrator speaks or thinks: still narration
        else:
            continue
        following = [k for k in range(i + 1, len(toks)) if not toks[k].is_punct]
        if following and not any(mask[k] for k in following):
            for k in range(i + 1, len(toks)):
                mask[k] = True
            break
    return mask


def _zh_person(norm: str) -> str | None:
    if norm in ZH_FIRST:
        return "first"
    if norm in ZH_SECOND:
        return "second"
    if norm in ZH_THIRD:
        return "third"
    if norm in ZH_THIRD_HALF:
        return "third_half"
    if 1 < len(norm) <= 3 and norm not in _ZH_GLUE_EXCLUDE:
        person = _ZH_PRONOUN_CHAR.get(norm[0])
        if person is not None:  # 我妈, 我们家, 她家
            return person
    return None


def _en_person(norm: str) -> str | None:
    base = _en_base(norm)
    if base in EN_FIRST:
        return "first"
    if base in EN_SECOND:
        return "second"
    if base in EN_THIRD:
        return "third"
    return None


def _zh_subject_is_person(tok: Token) -> bool:
    norm = tok.norm
    if norm in ZH_PERSON_NOUNS:
        return True
    if not _ZH_NAME.match(norm):
        return False
    if norm[0] in "小老阿" and len(norm) == 2:
        # 小明, 老周, 阿强; not 小时/小心/小说/小区/老家 (frequent words, or places)
        return norm[1] not in "时候心说些的了区学屋家店路村镇城" and _jieba_freq(norm) < NAME_MAX_FREQ
    return norm[0] in _ZH_SURNAMES and len(norm) in (2, 3) and _jieba_freq(norm) < SURNAME_NAME_MAX_FREQ


def _jieba_freq(word: str) -> int:
    """Frequency of ``word`` in jieba's dictionary (0 if unknown): names jieba does not know are rare words."""
    import jieba

    if not jieba.dt.initialized:  # already done by prepare(); hand-built Documents may skip it
        jieba.setLogLevel(logging.WARNING)
        jieba.dt.initialize()
    return int(jieba.dt.FREQ.get(word, 0) or 0)


def _en_subject_is_person(words: Sequence[Token]) -> bool:
    if not words:
        return False
    first = words[0]
    norm = first.norm
    if norm in EN_PERSON_NOUNS and first.text[:1].isupper():
        return True
    if not first.text[:1].isupper() or norm in _EN_NOT_NAMES or _en_person(norm) is not None:
        return False
    if len(words) < 2:
        return False
    nxt = words[1].norm
    # "Maria walked", "Tom was", "Lily bought": a name followed by a finite verb.
    return nxt.endswith("ed") or nxt in _EN_FINITE or nxt in irregular_verbs()[1]


def count_pov(sentences: Sequence[Sentence]) -> tuple[dict[str, float], dict[str, int]]:
    """Weighted narration counts per person, and raw pronoun counts inside dialogue."""
    narr = {"first": 0.0, "second": 0.0, "third": 0.0}
    dial = {"first": 0, "second": 0, "third": 0}
    for s in sentences:
        mask = speech_mask(s)
        zh = s.language is Language.zh
        clause_start = True
        narr_words: list[Token] = []
        for t, quoted in zip(s.tokens, mask):
            if t.is_punct:
                if t.text in "，,；;：:。！？!?…—":
                    clause_start = True
                continue
            person = _zh_person(t.norm) if zh else _en_person(t.norm)
            if quoted:
                if person is not None:
                    dial["third" if person == "third_half" else person] += 1
                clause_start = False
                continue
            if not zh:
                narr_words.append(t)
            if person == "third_half":
                narr["third"] += HALF
            elif person is not None:
                narr[person] += 1.0
            elif zh and clause_start and _zh_subject_is_person(t):
                narr["third"] += HALF
            clause_start = False
        if not zh and _en_subject_is_person(narr_words):
            narr["third"] += HALF
    return narr, dial


def decide_pov(counts: dict[str, float]) -> tuple[POV, float]:
    """The point of view and a confidence in [0, 1] from weighted narration counts."""
    f, s, t = counts["first"], counts["second"], counts["third"]
    n = f + s + t
    if n == 0:
        return POV.first, NO_EVIDENCE_CONFIDENCE
    weighed = {"first": f, "second": s / SECOND_MARGIN, "third": t * THIRD_DISCOUNT}
    # Ties go to first person (the usual case for personal stories), then third.
    order = ("first", "third", "second")
    best = max(order, key=lambda k: (weighed[k], -order.index(k)))
    share = weighed[best] / sum(weighed.values())
    confidence = share * n / (n + 2)
    return POV(best), round(min(1.0, confidence), 3)
