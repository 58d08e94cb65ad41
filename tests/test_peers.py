"""bench/peers.py: the mappings and the table, without the shared data or the peer packages."""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datasets as D  # noqa: E402
from bench import peers as P  # noqa: E402


def ex(text: str, label: str | None) -> D.Example:
    return D.Example(text, label, f"goemotions-test:{len(text):07d}", "en")


def test_goemotions_polarity_subset():
    items = P.goemotions_polarity([ex("yay", "joy"), ex("aww", "love"), ex("ugh", "disgust"),
                                   ex("hm", "neutral"), ex("oh!", "surprise"), ex("no", "fear")])
    assert items == [("yay", "positive"), ("aww", "positive"), ("ugh", "negative"), ("no", "negative")]


def test_binary_counts_undecided_as_wrong():
    fig = P.binary(["positive", "negative", "positive", "negative"],
                   ["positive", P.UNDECIDED, "negative", "negative"])
    assert fig["accuracy"] == 0.5 and fig["undecided"] == 0.25


def test_emotion7_neutral_is_a_miss():
    fig = P.emotion7(["joy", "anger"], ["joy", "neutral"])
    assert fig["accuracy"] == 0.5 and fig["undecided"] == 0.5
    assert math.isclose(fig["macro_f1"], 1 / 7)


def test_dutir_map_covers_seven_classes():
    assert sorted(P.DUTIR_MAP.values()) == sorted(D.EMOTIONS7)


def test_sign_and_per_text_errors():
    assert P._sign(0.3) == "positive" and P._sign(-1) == "negative" and P._sign(0.0) == P.UNDECIDED
    s = P.System("x", "1")

    def boom(t: str) -> str:
        if t == "bad":
            raise RuntimeError("no")
        return "positive"

    assert s.per_text(boom, P.UNDECIDED)(["ok", "bad"]) == ["positive", P.UNDECIDED]
    assert s.errors == {"RuntimeError": 1}


def test_table_dashes_where_a_system_does_not_apply():
    a, b = P.System("A", "1"), P.System("B", "2")
    results = {
        "waimai": {"A": {"n": 4, "accuracy": 0.75, "undecided": 0.25}},
        "emobank_v": {"B": {"n": 3, "r": 0.5}},
    }
    out = P.table([a, b], results)
    lines = out.splitlines()
    assert "waimai acc" in lines[0] and "EmoBank V r" in lines[0]
    assert "0.750 (u 25.0%)" in lines[2] and "—" in lines[2]
    assert "0.500" in lines[3] and lines[3].count("—") == 1
