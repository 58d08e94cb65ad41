"""Loaders for the shared evaluation/training data, with FIXED train/dev/test splits.

Every loader returns a :class:`Split` (``train`` / ``dev`` / ``test`` lists of
:class:`Example`).  Trained models and benchmarks must use these splits so that
figures stay comparable: tune on ``dev``, report on ``test`` only.

Data directory
    ``$STORYLOOM_DATA`` if set, else ``<repo>/../shared/data`` (``/work/shared/data``).
    Nothing from it is ever copied into the package.

How the splits are made (datasets without an official split)
    * Rows are read with the :mod:`csv` module (no pandas, so strings such as
      ``NA`` / ``None`` stay text).  A BOM or surrounding whitespace is stripped
      from each text; rows whose text is then empty are dropped (counted in
      ``Split.info["dropped_empty"]``).  No other row is dropped: duplicates are kept.
    * 80 / 10 / 10, stratified by label, ``random.Random(20261128)``, one fresh
      generator per dataset.  The unit that is shuffled is a *group of identical
      texts* (whitespace-collapsed, case-folded), so the same text never lands in
      two parts (no train/test leakage through duplicates such as "哈哈" or
      "不错不错"); a group is stratified under its majority label (ties -> the
      alphabetically first label).  For each label (in sorted order) the groups
      are sorted by text, shuffled, and cut into test = round(10 %), dev =
      round(10 %), train = the rest.
    * Inside each part the examples are put in a seeded random order (the source
      files are sorted by label, so ``part[:n]`` is a fair sample); ``Example.id``
      (``"<dataset>:<row>"``) gives the row in the source file.
    * Nothing depends on ``PYTHONHASHSEED`` (everything is sorted before shuffling).

Datasets (``load(name)``; ``NAMES`` lists them)
    ``chnsenticorp``   ChnSentiCorp_htl_all hotel reviews, zh; label 1/0 -> positive/negative.
    ``waimai``         waimai_10k food-delivery reviews, zh; positive/negative.
    ``online_shopping`` online_shopping_10_cats, zh; positive/negative; ``meta["cat"]``.
    ``nlpcc_weibo``    NLPCC 2013/14 Weibo emotion sentences, zh; 7 emotions mapped to our
                       taxonomy: like->love, happiness->joy, sadness, anger, fear, disgust,
                       surprise (Chinese names 喜好/高兴/悲伤/愤怒/恐惧/厌恶/惊讶 and the DUTIR
                       one-character names 好/乐/哀/怒/惧/恶/惊 are accepted too).
                       The file has no header and no "none" class.
    ``goemotions``     GoEmotions (Reddit, en), the OFFICIAL train/dev/test. The 27 labels +
                       neutral map onto our 8 classes with :data:`GOEMOTIONS_MAP`:

                       =========  ===========================================================
                       joy        amusement, excitement, joy, optimism, pride, relief
                       love       admiration, love, gratitude, caring, approval, desire
                       sadness    sadness, grief, disappointment, remorse
                       anger      anger, annoyance, disapproval
                       fear       fear, nervousness
                       disgust    disgust, embarrassment
                       surprise   surprise, realization, confusion, curiosity
                       neutral    neutral
                       =========  ===========================================================

                       By default only examples whose labels ALL map to one class are kept
                       (single-label evaluation); ``goemotions(single_label=False)`` keeps
                       everything, with ``label=None`` where the mapped classes disagree.
                       ``Example.labels`` always holds the original GoEmotions names.
    ``emobank``        EmoBank (en), its own ``split`` column (train/dev/test).  V/A/D are on
                       1-5; ``Example.valence`` / ``.arousal`` are rescaled to 1-9 by
                       ``1 + (x - 1) * 2``; ``meta`` holds the raw V/A/D and the genre.
                       ``label`` is None (regression data).
    ``cped``           CPED (Chinese TV dialogue utterances).  Only valid_split.csv and
                       test_split.csv are available (the official train file is absent), so
                       both are pooled and re-split 80/10/10 by DIALOGUE (a dialogue never
                       straddles two parts), stratified by the dialogue's majority sentiment.
                       ``label`` = sentiment (positive/negative/neutral); ``meta["emotion"]``
                       is the raw 13-class emotion and ``meta["emotion8"]`` its mapping onto
                       our taxonomy via :data:`CPED_EMOTION_MAP` (None for positive-other /
                       negative-other).

Example::

    from bench.datasets import load
    split = load("waimai")
    for ex in split.test: ex.text, ex.label
"""

from __future__ import annotations

import csv
import os
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = 20261128
FRACTIONS = (0.8, 0.1, 0.1)
PARTS = ("train", "dev", "test")

#: Our emotion taxonomy (storyloom.analysis.report.EMOTIONS), in its canonical order.
EMOTIONS: tuple[str, ...] = ("joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral")
#: The seven non-neutral emotions (the NLPCC label set after mapping).
EMOTIONS7: tuple[str, ...] = EMOTIONS[:7]
POLARITIES: tuple[str, ...] = ("positive", "negative")

REPO = Path(__file__).resolve().parents[1]

#: GoEmotions label -> our class.  Covers all 28 names in goemotions/labels.txt.
GOEMOTIONS_MAP: dict[str, str] = {
    **dict.fromkeys(("amusement", "excitement", "joy", "optimism", "pride", "relief"), "joy"),
    **dict.fromkeys(("admiration", "love", "gratitude", "caring", "approval", "desire"), "love"),
    **dict.fromkeys(("sadness", "grief", "disappointment", "remorse"), "sadness"),
    **dict.fromkeys(("anger", "annoyance", "disapproval"), "anger"),
    **dict.fromkeys(("fear", "nervousness"), "fear"),
    **dict.fromkeys(("disgust", "embarrassment"), "disgust"),
    **dict.fromkeys(("surprise", "realization", "confusion", "curiosity"), "surprise"),
    "neutral": "neutral",
}

#: NLPCC Weibo emotion label (English, Chinese or DUTIR one-character form) -> our class.
NLPCC_MAP: dict[str, str] = {
    "like": "love", "happiness": "joy", "sadness": "sadness", "anger": "anger",
    "fear": "fear", "disgust": "disgust", "surprise": "surprise",
    # Chinese names used by the original NLPCC XML and some conversions
    "喜好": "love", "喜欢": "love", "好": "love",
    "高兴": "joy", "快乐": "joy", "乐": "joy",
    "悲伤": "sadness", "哀": "sadness",
    "愤怒": "anger", "怒": "anger",
    "恐惧": "fear", "惧": "fear",
    "厌恶": "disgust", "恶": "disgust",
    "惊讶": "surprise", "惊": "surprise",
}
#: NLPCC labels meaning "no emotion": such rows are dropped (counted in info["dropped_unlabelled"]).
NLPCC_NONE = frozenset({"none", "无", "neutral", ""})

#: CPED 13 emotions -> our class (None = no clean counterpart).
CPED_EMOTION_MAP: dict[str, str | None] = {
    "happy": "joy", "relaxed": "joy", "grateful": "love",
    "sadness": "sadness", "depress": "sadness",
    "anger": "anger", "fear": "fear", "worried": "fear",
    "disgust": "disgust", "astonished": "surprise", "neutral": "neutral",
    "positive-other": None, "negative-other": None,
}

_POLARITY_01 = {"1": "positive", "0": "negative"}


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text.

    ``label`` is the gold class in OUR vocabulary (polarity or emotion), or None
    for regression data (EmoBank) / ambiguous GoEmotions rows.  ``labels`` keeps
    the raw source label(s).  ``valence`` / ``arousal`` are on 1-9 when present.
    """

    text: str
    label: str | None
    id: str
    lang: str
    labels: tuple[str, ...] = ()
    valence: float | None = None
    arousal: float | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def row(self) -> int:
        """The example's row in its source file (0 = first data row)."""
        return int(self.id.rsplit(":", 1)[1])


@dataclass(slots=True)
class Split:
    """A dataset cut into train / dev / test."""

    name: str
    lang: str
    task: str  # "polarity" | "emotion" | "va" | "sentiment3"
    labels: tuple[str, ...]
    train: list[Example]
    dev: list[Example]
    test: list[Example]
    info: dict[str, Any] = field(default_factory=dict)

    def part(self, which: str) -> list[Example]:
        if which not in PARTS:
            raise ValueError(f"unknown part {which!r}; expected one of {PARTS}")
        return getattr(self, which)

    def all(self) -> list[Example]:
        return [*self.train, *self.dev, *self.test]

    def sizes(self) -> dict[str, int]:
        return {p: len(self.part(p)) for p in PARTS}

    def __len__(self) -> int:
        return len(self.train) + len(self.dev) + len(self.test)


# --------------------------------------------------------------------------- helpers


def data_dir() -> Path:
    """``$STORYLOOM_DATA`` or ``<repo>/../shared/data``."""
    env = os.environ.get("STORYLOOM_DATA")
    return Path(env) if env else (REPO.parent / "shared" / "data").resolve()


class DataMissing(FileNotFoundError):
    """A dataset file is not where it should be."""


def _path(folder: str, name: str) -> Path:
    p = data_dir() / folder / name
    if not p.is_file():
        raise DataMissing(f"{p} not found (set STORYLOOM_DATA to the shared data directory)")
    return p


def clean_text(text: str) -> str:
    """Drop BOMs (some rows carry one mid-file) and surrounding whitespace."""
    return text.replace("\ufeff", "").strip()


def text_key(text: str) -> str:
    """The key under which identical texts are grouped: whitespace-collapsed, case-folded."""
    return " ".join(text.split()).casefold()


def _read_csv(path: Path, delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> list[list[str]]:
    # utf-8-sig drops a BOM at the start of the file (CPED has one).
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter, quoting=quoting))


def _majority(labels: Iterable[str]) -> str:
    counts = Counter(labels)
    top = max(counts.values())
    return min(lab for lab, n in counts.items() if n == top)


def stratified_split(
    examples: Sequence[Example],
    seed: int = SEED,
    fractions: tuple[float, float, float] = FRACTIONS,
    group_key: Callable[[Example], str] | None = None,
) -> tuple[list[Example], list[Example], list[Example]]:
    """Cut ``examples`` into (train, dev, test), stratified by ``label``.

    Examples sharing ``group_key`` (default: :func:`text_key` of the text) go to
    the same part; a group counts under its majority label.  Deterministic for a
    seed and independent of the hash seed.
    """
    key = group_key or (lambda ex: text_key(ex.text))
    rng = random.Random(seed)
    groups: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        groups[key(ex)].append(ex)
    by_label: dict[str, list[str]] = defaultdict(list)
    for k, members in groups.items():
        by_label[_majority(str(ex.label) for ex in members)].append(k)

    _, f_dev, f_test = fractions
    parts: dict[str, list[Example]] = {p: [] for p in PARTS}
    for label in sorted(by_label):
        keys = sorted(by_label[label])
        rng.shuffle(keys)
        n = len(keys)
        n_test = round(n * f_test)
        n_dev = round(n * f_dev)
        cuts = {"test": keys[:n_test], "dev": keys[n_test : n_test + n_dev], "train": keys[n_test + n_dev :]}
        for p, ks in cuts.items():
            for k in ks:
                parts[p].extend(groups[k])
    out = []
    for p in PARTS:
        members = sorted(parts[p], key=lambda ex: ex.id)
        rng.shuffle(members)
        out.append(members)
    return out[0], out[1], out[2]


def _shuffled(examples: list[Example], rng: random.Random) -> list[Example]:
    examples = sorted(examples, key=lambda ex: ex.id)
    rng.shuffle(examples)
    return examples


def _dup_info(examples: Sequence[Example]) -> dict[str, int]:
    groups: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for ex in examples:
        k = text_key(ex.text)
        counts[k] += 1
        groups[k].add(str(ex.label))
    return {
        "duplicate_rows": sum(n - 1 for n in counts.values() if n > 1),
        "duplicate_groups_with_conflicting_labels": sum(1 for s in groups.values() if len(s) > 1),
    }


def _make_id(name: str, row: int) -> str:
    # zero-padded so that sorting ids sorts rows
    return f"{name}:{row:07d}"


# --------------------------------------------------------------------------- binary polarity sets


def _polarity_csv(name: str, folder: str, filename: str, label_col: str, text_col: str, extra: Sequence[str] = ()) -> Split:
    path = _path(folder, filename)
    rows = _read_csv(path)
    header = [h.strip() for h in rows[0]]
    li, ti = header.index(label_col), header.index(text_col)
    xi = {c: header.index(c) for c in extra}
    examples: list[Example] = []
    dropped = 0
    for row_no, row in enumerate(rows[1:]):
        text = clean_text(row[ti])
        if not text:
            dropped += 1
            continue
        raw = row[li].strip()
        if raw not in _POLARITY_01:
            raise ValueError(f"{path}: row {row_no}: unexpected label {raw!r}")
        examples.append(
            Example(text, _POLARITY_01[raw], _make_id(name, row_no), "zh", (raw,),
                    meta={c: row[i].strip() for c, i in xi.items()})
        )
    train, dev, test = stratified_split(examples)
    info = {"source": str(path), "rows_read": len(rows) - 1, "dropped_empty": dropped, **_dup_info(examples)}
    return Split(name, "zh", "polarity", POLARITIES, train, dev, test, info)


def chnsenticorp() -> Split:
    """ChnSentiCorp_htl_all: 7,765 hotel reviews (one empty row dropped)."""
    return _polarity_csv("chnsenticorp", "ChnSentiCorp_htl_all", "ChnSentiCorp_htl_all.csv", "label", "review")


def waimai() -> Split:
    """waimai_10k: 11,987 food-delivery reviews."""
    return _polarity_csv("waimai", "waimai_10k", "waimai_10k.csv", "label", "review")


def online_shopping() -> Split:
    """online_shopping_10_cats: 62,773 product reviews (one empty row dropped); ``meta['cat']``."""
    return _polarity_csv("online_shopping", "online_shopping_10_cats", "online_shopping_10_cats.csv",
                         "label", "review", extra=("cat",))


# --------------------------------------------------------------------------- emotion sets


def nlpcc_weibo() -> Split:
    """NLPCC Weibo emotion sentences (15,690), labels mapped with :data:`NLPCC_MAP`."""
    name = "nlpcc_weibo"
    path = _path("NLPCC_weibo_emotion_sentences", "Training_data_for_Emotion_Classification.csv")
    rows = _read_csv(path)
    if rows and rows[0] and rows[0][0].strip().lower() in {"label", "emotion", "类别", "情绪"}:
        rows = rows[1:]  # tolerate a header in other copies of the file
    examples: list[Example] = []
    dropped_empty = dropped_none = 0
    raw_counts: Counter[str] = Counter()
    for row_no, row in enumerate(rows):
        if not row:
            dropped_empty += 1
            continue
        raw = row[0].strip()
        # the sentence itself may contain commas if a conversion forgot to quote it
        text = clean_text(",".join(row[1:]))
        if not text:
            dropped_empty += 1
            continue
        key = raw.lower()
        if key in NLPCC_NONE:
            dropped_none += 1
            continue
        if key not in NLPCC_MAP and raw not in NLPCC_MAP:
            raise ValueError(f"{path}: row {row_no}: unknown emotion label {raw!r}")
        raw_counts[raw] += 1
        examples.append(Example(text, NLPCC_MAP.get(key, NLPCC_MAP.get(raw)), _make_id(name, row_no), "zh", (raw,)))
    train, dev, test = stratified_split(examples)
    info = {"source": str(path), "rows_read": len(rows), "dropped_empty": dropped_empty,
            "dropped_unlabelled": dropped_none, "raw_labels": dict(raw_counts), **_dup_info(examples)}
    return Split(name, "zh", "emotion", EMOTIONS7, train, dev, test, info)


def goemotion_names() -> list[str]:
    """The 28 GoEmotions label names, index = id used in the TSV files."""
    with open(_path("goemotions", "labels.txt"), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def map_goemotions(names: Iterable[str]) -> str | None:
    """Our class if all ``names`` map to the same one, else None."""
    classes = {GOEMOTIONS_MAP[n] for n in names}
    return classes.pop() if len(classes) == 1 else None


def goemotions(single_label: bool = True) -> Split:
    """GoEmotions with its official split, mapped to our 8 classes (see module docstring)."""
    name = "goemotions"
    names = goemotion_names()
    unmapped = [n for n in names if n not in GOEMOTIONS_MAP]
    if unmapped:
        raise ValueError(f"GoEmotions labels without a mapping: {unmapped}")
    parts: dict[str, list[Example]] = {}
    info: dict[str, Any] = {"source": str(data_dir() / "goemotions"), "dropped_empty": 0,
                            "dropped_multiclass": {}, "rows_read": {}}
    rng = random.Random(SEED)
    for part, fname in (("train", "train.tsv"), ("dev", "dev.tsv"), ("test", "test.tsv")):
        path = _path("goemotions", fname)
        # TSV without quoting: texts contain bare quote characters.
        rows = _read_csv(path, delimiter="\t", quoting=csv.QUOTE_NONE)
        kept: list[Example] = []
        multi = 0
        for row_no, row in enumerate(rows):
            text = clean_text(row[0])
            if not text:
                info["dropped_empty"] += 1
                continue
            raw = tuple(names[int(i)] for i in row[1].split(",") if i.strip())
            label = map_goemotions(raw)
            if label is None:
                multi += 1
                if single_label:
                    continue
            kept.append(Example(text, label, _make_id(f"{name}-{part}", row_no), "en", raw,
                                meta={"reddit_id": row[2].strip() if len(row) > 2 else ""}))
        parts[part] = _shuffled(kept, rng)
        info["rows_read"][part] = len(rows)
        info["dropped_multiclass" if single_label else "multiclass"][part] = multi
    info.update(_dup_info([ex for p in parts.values() for ex in p]))
    return Split(name, "en", "emotion", EMOTIONS, parts["train"], parts["dev"], parts["test"], info)


def _rescale_1_5_to_1_9(x: float) -> float:
    return 1.0 + (x - 1.0) * 2.0


def emobank() -> Split:
    """EmoBank with its own split; valence/arousal rescaled to 1-9."""
    name = "emobank"
    path = _path("EmoBank", "emobank.csv")
    rows = _read_csv(path)
    header = [h.strip() for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    genres: dict[str, str] = {}
    try:
        for r in _read_csv(_path("EmoBank", "meta.tsv"), delimiter="\t", quoting=csv.QUOTE_NONE)[1:]:
            if len(r) >= 3:
                genres[r[0].strip()] = r[2].strip()
    except DataMissing:
        pass
    parts: dict[str, list[Example]] = {p: [] for p in PARTS}
    dropped = 0
    for row_no, row in enumerate(rows[1:]):
        # NB: one text is literally "None" -- it is text, not a missing value.
        text = clean_text(row[col["text"]])
        if not text:
            dropped += 1
            continue
        v, a, d = (float(row[col[k]]) for k in ("V", "A", "D"))
        sid = row[col["id"]].strip()
        part = row[col["split"]].strip()
        parts[part].append(Example(
            text, None, _make_id(name, row_no), "en", (),
            valence=_rescale_1_5_to_1_9(v), arousal=_rescale_1_5_to_1_9(a),
            meta={"emobank_id": sid, "V": v, "A": a, "D": d,
                  "dominance": _rescale_1_5_to_1_9(d), "genre": genres.get(sid, "")},
        ))
    rng = random.Random(SEED)
    for p in PARTS:
        parts[p] = _shuffled(parts[p], rng)
    info = {"source": str(path), "rows_read": len(rows) - 1, "dropped_empty": dropped,
            **_dup_info([ex for p in parts.values() for ex in p])}
    return Split(name, "en", "va", (), parts["train"], parts["dev"], parts["test"], info)


def cped() -> Split:
    """CPED utterances (valid + test files pooled), split by dialogue; label = sentiment."""
    name = "cped"
    examples: list[Example] = []
    dropped = 0
    sources = []
    for fi, fname in enumerate(("valid_split.csv", "test_split.csv")):
        path = _path("CPED", fname)
        sources.append(str(path))
        rows = _read_csv(path)
        col = {h.strip(): i for i, h in enumerate(rows[0])}
        for row_no, row in enumerate(rows[1:]):
            text = clean_text(row[col["Utterance"]])
            if not text:
                dropped += 1
                continue
            emotion = row[col["Emotion"]].strip()
            examples.append(Example(
                text, row[col["Sentiment"]].strip(), _make_id(f"{name}{fi}", row_no), "zh", (emotion,),
                meta={"dialogue": f"{fname}:{row[col['Dialogue_ID']].strip()}",
                      "utterance_id": row[col["Utterance_ID"]].strip(),
                      "speaker": row[col["Speaker"]].strip(),
                      "emotion": emotion, "emotion8": CPED_EMOTION_MAP.get(emotion),
                      "da": row[col["DA"]].strip()},
            ))
    train, dev, test = stratified_split(examples, group_key=lambda ex: ex.meta["dialogue"])
    info = {"source": sources, "dropped_empty": dropped, "grouped_by": "dialogue", **_dup_info(examples)}
    return Split(name, "zh", "sentiment3", ("positive", "negative", "neutral"), train, dev, test, info)


# --------------------------------------------------------------------------- registry

LOADERS: dict[str, Callable[[], Split]] = {
    "chnsenticorp": chnsenticorp,
    "waimai": waimai,
    "online_shopping": online_shopping,
    "nlpcc_weibo": nlpcc_weibo,
    "goemotions": goemotions,
    "emobank": emobank,
    "cped": cped,
}
NAMES: tuple[str, ...] = tuple(LOADERS)

ALIASES: dict[str, str] = {
    "ChnSentiCorp_htl_all": "chnsenticorp", "ChnSentiCorp": "chnsenticorp",
    "waimai_10k": "waimai", "online_shopping_10_cats": "online_shopping",
    "NLPCC_weibo_emotion_sentences": "nlpcc_weibo", "nlpcc": "nlpcc_weibo", "weibo": "nlpcc_weibo",
    "EmoBank": "emobank", "GoEmotions": "goemotions", "CPED": "cped",
}


def canonical(name: str) -> str:
    n = name.strip()
    if n in LOADERS:
        return n
    if n in ALIASES:
        return ALIASES[n]
    low = {k.lower(): v for k, v in ALIASES.items()}
    if n.lower() in low:
        return low[n.lower()]
    raise KeyError(f"unknown dataset {name!r}; known: {', '.join(NAMES)}")


def load(name: str) -> Split:
    """Load one dataset by name (or folder name) with its fixed split."""
    return LOADERS[canonical(name)]()


FOLDERS: dict[str, str] = {
    "chnsenticorp": "ChnSentiCorp_htl_all", "waimai": "waimai_10k",
    "online_shopping": "online_shopping_10_cats", "nlpcc_weibo": "NLPCC_weibo_emotion_sentences",
    "goemotions": "goemotions", "emobank": "EmoBank", "cped": "CPED",
}


def available(name: str | None = None) -> bool:
    """Whether the data directory (or one dataset's folder) exists."""
    d = data_dir()
    if name is None:
        return d.is_dir()
    return (d / FOLDERS[canonical(name)]).is_dir()


def _describe(names: Sequence[str]) -> None:
    for n in names:
        s = load(n)
        print(f"{s.name:16s} {s.lang} {s.task:10s} " + "  ".join(f"{p}={len(s.part(p)):6d}" for p in PARTS)
              + f"  total={len(s)}")
        if s.labels:
            for p in PARTS:
                c = Counter(ex.label for ex in s.part(p))
                tot = sum(c.values()) or 1
                print(f"    {p:5s} " + " ".join(f"{lab}:{100 * c[lab] / tot:.1f}%" for lab in sorted(c, key=str)))
        print("    info:", {k: v for k, v in s.info.items() if k != "source"})


if __name__ == "__main__":
    _describe(sys.argv[1].split(",") if len(sys.argv) > 1 else NAMES)
