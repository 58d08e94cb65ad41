"""`storyloom train` and `storyloom evaluate` on users' own label files, and the engine switch."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import storyloom
from storyloom.cli import app
from storyloom.errors import InvalidOption

runner = CliRunner()

POLARITY_ROWS = [
    ("我今天特别开心，和朋友去看了海", "positive"),
    ("这家店太难吃了，再也不来了", "negative"),
    ("虽然很累，但是很开心", "positive"),
    ("我一点也不开心", "negative"),
    ("妈妈给我做了一碗热汤，心里暖暖的", "positive"),
    ("考试没考好，回家的路上一直在哭", "negative"),
]


def _csv(tmp_path, rows, name="labels.csv"):
    path = tmp_path / name
    path.write_text("text,label\n" + "".join(f"{t},{lab}\n" for t, lab in rows), encoding="utf-8")
    return path


def test_evaluate_prints_accuracy_and_confusion(tmp_path) -> None:
    path = _csv(tmp_path, POLARITY_ROWS)
    result = runner.invoke(app, ["evaluate", "--data", str(path), "--task", "polarity", "--engine", "lexicon"])
    assert result.exit_code == 0, result.output
    assert "accuracy 1.000" in result.output
    assert "negative" in result.output and "positive" in result.output


def test_evaluate_bad_label_file_names_the_lines(tmp_path) -> None:
    path = _csv(tmp_path, [("我今天特别开心", "happy"), ("", "negative")])
    result = runner.invoke(app, ["evaluate", "--data", str(path), "--task", "polarity"])
    assert result.exit_code != 0
    assert "E109" in result.output and "line 2" in result.output and "line 3" in result.output
    assert "Traceback" not in result.output


def test_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(InvalidOption):
        storyloom.analyze("我很开心。", engine="bert")


def test_lexicon_engine_is_named_in_the_report() -> None:
    report = storyloom.analyze("我很开心。", engine="lexicon", parts=())
    assert report.engine["name"] == "lexicon"
    data = json.loads(report.to_json())
    assert data["engine"]["name"] == "lexicon"


def test_train_then_analyze_and_evaluate_with_the_users_model(tmp_path) -> None:
    path = _csv(tmp_path, POLARITY_ROWS * 6)
    out = tmp_path / "my-model"
    result = runner.invoke(app, ["train", "--task", "polarity", "--data", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "model.json").is_file() and "Saved a polarity model (zh" in result.output
    report = storyloom.analyze("妈妈给我做了一碗热汤。", model=str(out), parts=())
    assert report.engine["name"] == "model"
    assert report.engine["models"]["polarity-zh"] == str(out)
    result = runner.invoke(app, ["evaluate", "--data", str(path), "--task", "polarity", "--model", str(out)])
    assert result.exit_code == 0, result.output
    assert "engine model" in result.output


def test_train_rejects_unknown_labels_with_line_numbers(tmp_path) -> None:
    path = _csv(tmp_path, [("我今天特别开心", "快乐的"), ("这家店太难吃了", "negative")])
    result = runner.invoke(app, ["train", "--task", "polarity", "--data", str(path), "-o", str(tmp_path / "m")])
    assert result.exit_code != 0 and "line 2" in result.output and "Traceback" not in result.output


def test_model_engine_reads_reviews_and_implicit_text() -> None:
    positive = storyloom.analyze("这家酒店干净又舒服，服务也很热情，下次还来。", engine="model", parts=())
    negative = storyloom.analyze("等了两个小时才送到，菜都凉了。", engine="model", parts=())
    assert positive.sentiment.polarity.value == "positive"
    assert negative.sentiment.polarity.value == "negative"
    assert positive.engine["name"] == "model" and "polarity-zh" in positive.engine["models"]
    # evidence still comes from the lexicon cues
    assert positive.extra["sentiment_evidence"]["positive"]


def test_model_engine_english_emotions_and_valence() -> None:
    report = storyloom.analyze("I am so grateful for everything you did for me.", engine="model", parts=())
    assert report.dominant_emotion in ("love", "joy")
    assert report.valence > 5.5
