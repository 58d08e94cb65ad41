"""The emotional arc: per-sentence valence, low-pass smoothed, and its shape.

Smoothing follows Syuzhet's discrete-cosine-transform filter (Jockers 2015):
keep the lowest few DCT coefficients of the valence series and invert.  The
shape is read from the smoothed curve's significant turns and named after
Reagan et al. (2016)'s six arcs.
"""

from __future__ import annotations

import numpy as np
from scipy.fft import dct, idct

from ..analysis.report import Arc, ArcShape

FLAT_RANGE = 1.0  # on the 1–9 valence scale: a smaller swing is not a change of fortune
TURN_SHARE = 0.25
# Below this many sentences every sentence is a beat of the story and
# low-passing would erase a real turn (a five-sentence "fall-rise" essay).
MIN_SMOOTH = 8  # a move counts if it is at least this share of the curve's range
_SHAPES = {
    ("up",): ArcShape.rise,
    ("down",): ArcShape.fall,
    ("down", "up"): ArcShape.fall_rise,
    ("up", "down"): ArcShape.rise_fall,
    ("up", "down", "up"): ArcShape.rise_fall_rise,
    ("down", "up", "down"): ArcShape.fall_rise_fall,
}


def smooth(values: list[float]) -> list[float]:
    """Low-pass the series; short series are returned as they are."""
    n = len(values)
    if n < MIN_SMOOTH:
        return list(values)
    # Three to seven coefficients: enough for the three turns of a
    # rise-fall-rise arc, too few for sentence-to-sentence jitter.
    keep = min(max(3, n // 2), 7)
    coef = dct(np.asarray(values, dtype=float), norm="ortho")
    coef[keep:] = 0.0
    return [float(x) for x in idct(coef, norm="ortho")]


def _moves(curve: list[float]) -> list[tuple[str, float]]:
    """Significant up/down moves (hysteresis on the curve's range)."""
    lo, hi = min(curve), max(curve)
    threshold = max(TURN_SHARE * (hi - lo), FLAT_RANGE * 0.5)
    moves: list[tuple[str, float]] = []
    anchor = curve[0]
    direction: str | None = None
    extreme = curve[0]
    for x in curve[1:]:
        if direction is None:
            if x - anchor >= threshold:
                direction, extreme = "up", x
            elif anchor - x >= threshold:
                direction, extreme = "down", x
        elif direction == "up":
            if x > extreme:
                extreme = x
            elif extreme - x >= threshold:
                moves.append(("up", extreme - anchor))
                anchor, direction, extreme = extreme, "down", x
        else:
            if x < extreme:
                extreme = x
            elif x - extreme >= threshold:
                moves.append(("down", anchor - extreme))
                anchor, direction, extreme = extreme, "up", x
    if direction is not None:
        moves.append((direction, abs(extreme - anchor)))
    return moves


def classify(curve: list[float]) -> tuple[ArcShape, float]:
    """Shape of a (smoothed) valence curve and a confidence in [0, 1]."""
    if len(curve) < 2:
        return ArcShape.flat, 1.0
    span = max(curve) - min(curve)
    if span < FLAT_RANGE:
        return ArcShape.flat, min(1.0, 1.0 - span / FLAT_RANGE + 0.3)
    moves = _moves(curve)
    if not moves:
        return ArcShape.flat, 0.5
    # More than three turns: keep the three largest moves in order.
    while len(moves) > 3:
        k = min(range(len(moves)), key=lambda j: moves[j][1])
        del moves[k]
        merged: list[tuple[str, float]] = []
        for d, size in moves:
            if merged and merged[-1][0] == d:
                merged[-1] = (d, merged[-1][1] + size)
            else:
                merged.append((d, size))
        moves = merged
    shape = _SHAPES[tuple(d for d, _ in moves)]
    confidence = min(1.0, span / 3.0)
    return shape, round(confidence, 3)


def emotional_arc(valences: list[float]) -> Arc:
    """Arc of a story from its per-sentence valences (any length ≥ 1)."""
    raw = [round(v, 4) for v in valences]
    curve = smooth(raw)
    shape, confidence = classify(curve)
    return Arc(shape=shape, values=[round(v, 4) for v in curve], raw=raw,
               confidence=confidence, method="dct" if len(raw) >= MIN_SMOOTH else "raw")
