"""The merged lexicons: cleaned, cached, and with their provenance recorded."""

from __future__ import annotations

from pathlib import Path

from storyloom.affect import lexicon


def test_zh_lexicon_is_clean() -> None:
    lex = lexicon.zh()
    assert len(lex.polarity) > 20_000 and len(lex.emotion) > 10_000 and len(lex.va) > 5_000
    for word in list(lex.polarity)[:: max(1, len(lex.polarity) // 2000)]:
        assert word == word.strip() and "\ufeff" not in word
    # function words that research lexicons tag with a polarity are removed
    for word in ("一再", "了解", "东西", "告诉"):
        assert word not in lex.polarity
    assert lex.polarity["开心"] > 0 > lex.polarity["难过"]
    assert lex.emotion["慈祥"][0] == "love"
    assert lex.va["开心"][0] > 6


def test_en_lexicon() -> None:
    lex = lexicon.en()
    assert lex.polarity["happy"] > 0 > lex.polarity["sad"]
    assert lex.emotion["grateful"][0] == "love"
    assert lex.emotion["terrified"][0] == "fear"


def test_zh_lexicon_disk_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STORYLOOM_CACHE", str(tmp_path))
    built = lexicon.zh.__wrapped__()
    files = list((tmp_path / "storyloom").glob("zh-lexicon-*.pickle"))
    assert len(files) == 1
    reread = lexicon.zh.__wrapped__()
    assert reread.polarity == built.polarity and reread.emotion == built.emotion
    # a corrupt cache file is ignored and replaced, never an error
    files[0].write_bytes(b"not a pickle")
    again = lexicon.zh.__wrapped__()
    assert again.polarity == built.polarity


def test_every_source_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "resources.md").read_text(encoding="utf-8")
    for source in lexicon.SOURCES:
        key = source.citation.split(",")[0].split(" ")[0]
        assert key in doc, source.name
