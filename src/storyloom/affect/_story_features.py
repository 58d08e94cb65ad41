"""Story-level features for the discourse-aware reading (:mod:`storyloom.affect.story`).

A story becomes one dense row built from the per-sentence readings the
pipeline already has (scores, emotion distributions, valence–arousal, cues)
and from where each sentence sits in the narrative:

* the old aggregate (sentiment.py / emotion.py / va.py / arc.py) as a baseline;
* position: first and last sentences, the final third against the first;
* Labov roles (orientation, complicating action, evaluation, resolution,
  coda) from :mod:`storyloom.analysis.structure` when the elements analyser
  ran, else :func:`guess_roles` (position and cue words; no tagger);
* the turn: sentences after a contrast (但是/却/but) against those before;
* shape: max/min, sign changes, spread;
* discourse cues from ``resources/lexicon/story_cues_{zh,en}.tsv``: ironic
  praise next to a grievance, sarcasm markers, loss beside warmth
  (bittersweet);
* with sentence embeddings (multilingual-e5-small, the ones theme detection
  computes): similarity to prototype situations per emotion
  (``resources/story/situations.tsv``) and the mean / final sentence
  embedding.

Two variants: ``cues`` (no embeddings; affect-only analyses) and ``emb``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

EMOTIONS8 = ("joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral")
ROLES = ("orientation", "complicating-action", "evaluation", "resolution", "coda")
CUE_KINDS = ("praise", "grievance", "sarcasm", "loss", "warmth")
ARC_SHAPES = ("rise", "fall", "fall-rise", "rise-fall", "rise-fall-rise", "fall-rise-fall", "flat")
NEUTRAL_BAND = 0.05  # as sentiment.NEUTRAL_BAND
EMB_DIM = 384
# Cheap role guess: a sentence reads as evaluation when it is this strongly felt.
EVAL_SCORE = 0.35
_PRESENT_START = re.compile(r"(?:现在|現在|如今|今天|至今|后来|後來|now\b|today\b|these days\b|to this day\b|since then\b)",
                            re.IGNORECASE)


@dataclass(slots=True)
class StoryInputs:
    """Per-sentence readings of one story (all lists have one item per sentence)."""

    lang: str
    texts: list[str]  # normalised sentence text (Simplified zh / lower-cased en) for cue matching
    scores: list[float]
    dists: list[dict[str, float]]
    vas: list[tuple[float, float]]
    weights: list[float]
    negations: list[int]
    exclamations: list[int]
    questions: list[bool]
    rhetorical: list[bool]
    turn: list[bool]
    starts_turn: list[bool]
    dialogue: list[bool]
    n_cues: list[int]
    roles: list[str] | None = None  # Labov roles when the elements analyser ran
    emb: np.ndarray | None = None  # (k, 384) L2-normalised embeddings of some sentences…
    emb_index: list[int] = field(default_factory=list)  # …and which sentences they are


def inputs_from(sentences, cues, scores, weights, dists, vas, *, lang: str,
                roles: list[str] | None = None) -> StoryInputs:
    """Collect :class:`StoryInputs` from the pipeline's per-sentence values."""
    texts = []
    for s in sentences:
        if s.language.value == "zh":
            texts.append("".join(t.norm for t in s.tokens))
        else:
            texts.append(" " + " ".join(t.norm for t in s.tokens) + " ")
    return StoryInputs(
        lang=lang, texts=texts, scores=[float(x) for x in scores],
        dists=[dict(d) for d in dists], vas=[(float(v), float(a)) for v, a in vas],
        weights=[float(w) for w in weights],
        negations=[sum(1 for c in sc.cues if c.negated) for sc in cues],
        exclamations=[int(sc.exclamations) for sc in cues],
        questions=[bool(sc.question) for sc in cues], rhetorical=[bool(sc.rhetorical) for sc in cues],
        turn=[bool(sc.turn) for sc in cues], starts_turn=[bool(sc.starts_with_turn) for sc in cues],
        dialogue=[bool(s.is_dialogue) for s in sentences], n_cues=[len(sc.cues) for sc in cues],
        roles=roles,
    )


# --- cue tables ----------------------------------------------------------------

@lru_cache(maxsize=2)
def cue_table(lang: str) -> dict[str, tuple[str, ...]]:
    """Discourse cues per kind (``resources/lexicon/story_cues_{lang}.tsv``)."""
    from .lexicon import _read_tsv

    out: dict[str, list[str]] = {k: [] for k in (*CUE_KINDS, "review")}
    for kind, cue in _read_tsv(f"story_cues_{lang}.tsv"):
        out.setdefault(kind, []).append(cue.strip().lower())
    return {k: tuple(sorted(set(v))) for k, v in out.items()}


def cue_hits(text: str, lang: str) -> dict[str, int]:
    """How many cues of each kind occur in one normalised sentence."""
    table = cue_table(lang)
    if lang == "en":
        t = re.sub(r"[^a-z0-9' ]+", " ", text.lower())
        t = " " + " ".join(t.split()) + " "
        return {k: sum(1 for c in cues if f" {c} " in t) for k, cues in table.items()}
    return {k: sum(1 for c in cues if c in text) for k, cues in table.items()}


# --- roles ---------------------------------------------------------------------

def guess_roles(inp: StoryInputs) -> list[str]:
    """A cheap Labov role per sentence from position and cues (no tagger)."""
    n = len(inp.scores)
    out: list[str] = []
    for i in range(n):
        p = i / (n - 1) if n > 1 else 0.0
        felt = abs(inp.scores[i]) >= EVAL_SCORE or inp.exclamations[i] > 0 or inp.rhetorical[i]
        if i == 0 and n > 1:
            role = "orientation"
        elif n > 2 and i == n - 1:
            role = "coda" if (felt or _PRESENT_START.match(inp.texts[i].strip())) else "resolution"
        elif p >= 0.7:
            role = "evaluation" if felt else "resolution"
        else:
            role = "evaluation" if felt else "complicating-action"
        out.append(role)
    return out


# --- prototype situations --------------------------------------------------------

@lru_cache(maxsize=1)
def situations() -> tuple[tuple[str, str, str], ...]:
    """(lang, emotion, situation) rows of ``resources/story/situations.tsv``."""
    text = resources.files("storyloom.resources.story").joinpath("situations.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, emo, sit = line.split("\t")
        rows.append((lang, emo, sit.strip()))
    return tuple(rows)


def situation_sims(emb: np.ndarray, protos: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """(k, 8) per-sentence similarity to each emotion's situations, z-scored across emotions."""
    cos = emb @ protos.T
    sim = np.empty((emb.shape[0], len(EMOTIONS8)))
    for e in range(len(EMOTIONS8)):
        cols = np.sort(cos[:, owner == e], axis=1)
        sim[:, e] = cols[:, -3:].mean(axis=1)
    std = sim.std(axis=1, keepdims=True)
    return (sim - sim.mean(axis=1, keepdims=True)) / np.where(std > 1e-9, std, 1.0)


# --- the feature row -------------------------------------------------------------

def _mean(xs, default: float = 0.0) -> float:
    return float(np.mean(xs)) if len(xs) else default


def _old_reading(inp: StoryInputs):
    from . import arc as arc_mod
    from . import emotion as emo_mod
    from . import sentiment as sent_mod
    from . import va as va_mod

    sent = sent_mod.story_sentiment(inp.scores, inp.weights)
    emos = emo_mod.story_emotions(inp.dists, inp.weights)
    v, a = va_mod.story_va(inp.vas, inp.scores, inp.weights)
    shape = arc_mod.emotional_arc([x for x, _ in inp.vas])
    return sent, emos, v, a, shape


def feature_names(variant: str) -> list[str]:
    names = ["bias_zh", "log_n", "old_score", "old_intensity", "old_pos", "old_neg",
             *(f"old_pol_{p}" for p in ("positive", "negative", "neutral", "mixed")),
             "old_v", "old_a", *(f"old_emo_{e}" for e in EMOTIONS8), *(f"old_arc_{s}" for s in ARC_SHAPES),
             "old_arc_conf",
             "mean_s", "std_s", "max_s", "min_s", "frac_pos", "frac_neg", "sign_changes",
             "first_s", "last_s", "last2_s", "last_third_s", "first_third_s", "delta_s",
             "first_v", "last_v", "last2_v", "last_third_v", "first_third_v", "delta_v", "mean_v", "min_v", "max_v",
             "mean_a", "max_a", "last_a",
             *(f"role_{r}_s" for r in ROLES), *(f"role_{r}_v" for r in ROLES), *(f"role_{r}_share" for r in ROLES),
             "after_turn_s", "before_turn_s", "turn_count", "turn_flip",
             *(f"mean_emo_{e}" for e in EMOTIONS8), *(f"last2_emo_{e}" for e in EMOTIONS8),
             *(f"max_emo_{e}" for e in EMOTIONS8[:7]), *(f"evalres_emo_{e}" for e in EMOTIONS8),
             "exclam", "question", "rhetorical", "negations", "dialogue", "cue_density", "affective_share",
             *(f"cue_{k}" for k in CUE_KINDS), "irony_pair", "irony_near", "praise_in_negative",
             "bittersweet", "loss_final_pos", "warm_final"]
    if variant == "emb":
        names += [f"sit_mean_{e}" for e in EMOTIONS8] + [f"sit_max_{e}" for e in EMOTIONS8]
        names += [f"sit_last_{e}" for e in EMOTIONS8] + [f"sit_evalres_{e}" for e in EMOTIONS8]
        names += [f"emb_mean_{i}" for i in range(EMB_DIM)] + [f"emb_last_{i}" for i in range(EMB_DIM)]
    return names


def features(inp: StoryInputs, variant: str, protos: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The feature row of one story (``variant`` ``cues`` or ``emb``)."""
    n = len(inp.scores)
    s = np.asarray(inp.scores, dtype=float) if n else np.zeros(1)
    v = (np.asarray([x for x, _ in inp.vas], dtype=float) - 5.0) / 4.0 if n else np.zeros(1)
    a = (np.asarray([y for _, y in inp.vas], dtype=float) - 5.0) / 4.0 if n else np.zeros(1)
    D = np.asarray([[d.get(e, 0.0) for e in EMOTIONS8] for d in inp.dists]) if n else np.eye(8)[[7]]
    m = max(n, 1)
    k3 = max(1, m // 3)
    roles = inp.roles if inp.roles is not None and len(inp.roles) == n else guess_roles(inp)
    sent, emos, ov, oa, arc = _old_reading(inp) if n else (None, None, 5.0, 4.0, None)

    f: list[float] = [1.0 if inp.lang == "zh" else 0.0, np.log1p(n)]
    if sent is not None:
        f += [sent.score, sent.intensity, sent.positive, sent.negative]
        f += [1.0 if sent.polarity.value == p else 0.0 for p in ("positive", "negative", "neutral", "mixed")]
        f += [(ov - 5) / 4, (oa - 5) / 4, *(emos[e] for e in EMOTIONS8)]
        f += [1.0 if arc.shape.value == sh else 0.0 for sh in ARC_SHAPES] + [arc.confidence]
    else:
        f += [0.0] * 4 + [0, 0, 1, 0] + [0.0, -0.25] + [0.0] * 7 + [1.0] + [0.0] * 6 + [1.0, 1.0]
    signs = np.sign(np.where(np.abs(s) >= NEUTRAL_BAND, s, 0.0))
    nz = signs[signs != 0]
    f += [s.mean(), s.std(), s.max(), s.min(), float((s >= NEUTRAL_BAND).mean()), float((s <= -NEUTRAL_BAND).mean()),
          float(np.sum(nz[1:] != nz[:-1])) / m if len(nz) > 1 else 0.0]
    f += [s[0], s[-1], s[-2:].mean(), s[-k3:].mean(), s[:k3].mean(), s[-k3:].mean() - s[:k3].mean()]
    f += [v[0], v[-1], v[-2:].mean(), v[-k3:].mean(), v[:k3].mean(), v[-k3:].mean() - v[:k3].mean(),
          v.mean(), v.min(), v.max()]
    f += [a.mean(), a.max(), a[-1]]
    idx = {r: [i for i, x in enumerate(roles) if x == r] for r in ROLES}
    f += [_mean(s[idx[r]]) for r in ROLES] + [_mean(v[idx[r]]) for r in ROLES] + [len(idx[r]) / m for r in ROLES]
    after = [i for i in range(n) if inp.starts_turn[i] or inp.turn[i]]
    before = sorted({i - 1 for i in range(1, n) if inp.starts_turn[i]})
    after_s = _mean(s[after]) if after else 0.0
    before_s = _mean(s[before]) if before else 0.0
    f += [after_s, before_s, len(after) / m, float(after_s * before_s < 0)]
    late = ([i for i in range(n) if roles[i] in ("evaluation", "resolution", "coda")] or [n - 1]) if n else [0]
    f += list(D.mean(axis=0)) + list(D[-2:].mean(axis=0)) + list(D[:, :7].max(axis=0)) + list(D[late].mean(axis=0))
    f += [sum(inp.exclamations) / m, sum(inp.questions) / m, sum(inp.rhetorical) / m, sum(inp.negations) / m,
          sum(inp.dialogue) / m, sum(inp.n_cues) / m, float((np.abs(s) >= NEUTRAL_BAND).mean())]
    hits = [cue_hits(t, inp.lang) for t in inp.texts] or [dict.fromkeys(CUE_KINDS, 0)]
    tot = {k: sum(h[k] for h in hits) for k in CUE_KINDS}
    f += [np.log1p(tot[k]) for k in CUE_KINDS]
    pr = [i for i, h in enumerate(hits) if h["praise"] or h["sarcasm"]]
    gr = {i for i, h in enumerate(hits) if h["grievance"]}
    f += [float(bool(pr) and bool(gr)), float(any(j in gr for i in pr for j in (i - 1, i, i + 1))),
          float(any(s[i] > 0 for i in pr) and s.mean() < 0)]
    loss_any = tot["loss"] > 0
    warm_late = any(hits[i]["warmth"] for i in range(max(0, n - k3), n)) if n else False
    f += [float(loss_any and tot["warmth"] > 0), float(loss_any and s[-1] > 0), float(warm_late)]
    if variant == "emb":
        f += _emb_features(inp, roles, protos)
    return np.asarray(f, dtype=np.float64)


def _emb_features(inp: StoryInputs, roles: list[str], protos) -> list[float]:
    if inp.emb is None or not len(inp.emb_index) or protos is None:
        return [0.0] * (32 + 2 * EMB_DIM)
    emb = np.asarray(inp.emb, dtype=np.float64)
    z = situation_sims(emb, *protos)
    late = [j for j, i in enumerate(inp.emb_index) if roles[i] in ("evaluation", "resolution", "coda")] or [len(z) - 1]
    out = list(z.mean(axis=0)) + list(z.max(axis=0)) + list(z[-2:].mean(axis=0)) + list(z[late].mean(axis=0))
    mean = emb.mean(axis=0)
    mean /= np.linalg.norm(mean) or 1.0
    return out + list(mean) + list(emb[-1])


# --- the story gate: is this a personal story or a review / post? ------------------

_ZH_FIRST = re.compile(r"我")
_ZH_PAST = re.compile(r"了|过|那天|那年|那时|当时|后来|小时候|去年|昨天|那一刻|那晚|记得")
_ZH_FAMILY = re.compile(r"妈|爸|奶奶|爷爷|外婆|外公|姥|儿子|女儿|老婆|老公|丈夫|妻子|朋友|同学|同事|老师")
_EN_FIRST = re.compile(r"\b(?:i|me|my|mine|myself|we|us|our)\b")
_EN_PAST = re.compile(r"\b(?:was|were|had|did|went|came|told|said|\w+ed)\b")
_EN_TIME = re.compile(r"\b(?:when|then|yesterday|ago|last|that (?:day|night|morning|year)|years|remember|used to)\b")
_EN_FAMILY = re.compile(r"\b(?:mum|mom|dad|mother|father|grandma|grandad|grandpa|grandmother|grandfather|son|"
                        r"daughter|wife|husband|friend|sister|brother|teacher|boss)\b")
GATE_NAMES = ("bias_zh", "log_n", "log_chars", "review", "review_any", "first", "past", "family", "exclam", "question",
              "dialogue")


def gate_features(inp: StoryInputs) -> np.ndarray:
    """Cheap genre features of a text: review/post vocabulary against first-person past narration."""
    text = "".join(inp.texts) if inp.lang == "zh" else " ".join(inp.texts)
    n = max(len(inp.texts), 1)
    chars = max(len(text.replace(" ", "")), 1)
    review = sum(cue_hits(t, inp.lang).get("review", 0) for t in inp.texts)
    if inp.lang == "zh":
        first, past, family = (len(rx.findall(text)) for rx in (_ZH_FIRST, _ZH_PAST, _ZH_FAMILY))
        unit = chars / 10.0
    else:
        low = text.lower()
        first, past, family = (len(rx.findall(low)) for rx in (_EN_FIRST, _EN_PAST, _EN_FAMILY))
        past += len(_EN_TIME.findall(low))
        unit = max(len(low.split()), 1) / 2.0
    return np.asarray([1.0 if inp.lang == "zh" else 0.0, np.log1p(n), np.log1p(chars), review / unit,
                       float(review > 0), first / unit, past / unit, family / unit, sum(inp.exclamations) / n,
                       sum(inp.questions) / n, sum(inp.dialogue) / n], dtype=np.float64)


GATE_HASH_DIM = 2 ** 15


def gate_grams(inp: StoryInputs) -> dict[int, float]:
    """Hashed n-grams of a text for the gate (zh character 1–2-grams, en words), L2-normalised binary."""
    import zlib

    grams: set[str] = set()
    for t in inp.texts:
        if inp.lang == "zh":
            grams.update("c" + ch for ch in t)
            grams.update("c" + t[i:i + 2] for i in range(len(t) - 1))
        else:
            grams.update("w" + w for w in re.findall(r"[a-z']+", t.lower()))
    idx = sorted({zlib.crc32(g.encode("utf-8")) & (GATE_HASH_DIM - 1) for g in grams})
    val = 1.0 / np.sqrt(len(idx)) if idx else 0.0
    return {i: val for i in idx}
