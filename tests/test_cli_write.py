"""`storyloom write` from the command line, on the built-in examples."""

from __future__ import annotations

import json
import socket

from typer.testing import CliRunner

from storyloom.cli import app

runner = CliRunner()


def _run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_write_example_as_json_is_a_warm_second_person_story():
    result = _run("write", "--example", "--target", "温暖", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "storyloom.story/1" and data["status"] == "story"
    assert data["pov"] == "second" and data["target"]["emotion"] == "love" and data["target"]["source"] == "user"
    assert data["title"] == "深夜街头的老奶奶"
    body = data["body"]
    assert "你" in body and "我" not in body and "老奶奶" in body and "三轮车" in body
    assert data["report"]["dominant_emotion"] == "love"
    assert data["original"]["sentiment"]["polarity"] == "positive"
    assert len(data["candidates"]) == 4 and sum(c["chosen"] for c in data["candidates"]) == 1


def test_write_text_output_shows_story_comparison_and_candidates():
    result = _run("write", "--example", "--target", "sadness", "--candidates", "3", "--seed", "7")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("深夜街头的老奶奶")
    assert "目标情绪：sadness → 哀" in out
    assert "情感倾向" in out and "→" in out
    assert "候选故事（" in out and out.count("✓ 选中") == 1


def test_write_markdown_and_seed_repeat():
    a = _run("write", "--example", "exam", "--format", "markdown", "--seed", "3")
    b = _run("write", "--example", "exam", "--format", "markdown", "--seed", "3")
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    assert "| | 原文 | 新故事 |" in a.stdout and "## 候选故事" in a.stdout


def test_write_english_first_person_keeps_dialogue_and_pov():
    result = _run("write", "--example", "first-day", "--pov", "third", "--gender", "female", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "en" and data["pov"] == "third"
    assert "Mrs. Chen" in data["body"]
    assert " she " in f" {data['body']} " or "She " in data["body"]


def test_write_rename_changes_the_name():
    story = "昨天李明陪我去医院看外婆，一路上他都在讲笑话，外婆笑得合不拢嘴。"
    result = _run("write", "--text", story, "--rename", "李明=小林", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)["body"]
    assert "小林" in body and "李明" not in body


def test_write_traditional_story_comes_back_traditional():
    result = _run("write", "--example", "grandpa-letter", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    from storyloom.text import is_traditional

    assert data["script"] == "traditional" and is_traditional(data["text"])


def test_bad_arguments_are_specific_errors_with_usage():
    result = _run("write", "--example", "--pov", "fourth")
    assert result.exit_code == 2 and "Unknown point of view 'fourth'" in result.stderr
    assert "Usage:" in result.stderr and "Traceback" not in result.output
    result = _run("write", "--example", "--base-url", "http://127.0.0.1:1/v1")
    assert result.exit_code == 2 and "need --backend openai" in result.stderr
    result = _run("write", "--example", "--rename", "李明")
    assert result.exit_code == 2 and "OLD=NEW" in result.stderr
    result = _run("write", "--example", "--target", "xyzzy")
    assert result.exit_code == 2 and "Unknown target emotion" in result.stderr


def test_unreachable_server_exits_3_and_fallback_recovers():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    result = _run("write", "--example", "--backend", "openai", "--base-url", url, "--llm-model", "m")
    assert result.exit_code == 3 and "E501" in result.stderr and "Cannot reach the model server" in result.stderr
    result = _run("write", "--example", "--backend", "openai", "--base-url", url, "--llm-model", "m",
                  "--fallback", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["backend"] == "builtin"


def test_urgent_story_gets_support_on_the_command_line():
    result = _run("write", "--text", "我已经写好了遗书，今晚就结束自己的生命。")
    assert result.exit_code == 0, result.output
    assert "12356" in result.stdout or "010-82951332" in result.stdout
    assert "候选故事" not in result.stdout
