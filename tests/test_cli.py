"""The ``storyloom`` command line, end to end with the real engine."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from storyloom.analysis.report import SCHEMA
from storyloom.cli import app
from storyloom.examples import DEFAULT_EXAMPLE, EXAMPLES

ANSI = re.compile(r"\x1b\[")

# A real PNG header (signature + IHDR chunk start) followed by binary noise.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    b"\x1f\xf3\xffa\x00\x00\x00\x04gAMA\x00\x00\xb1\x8f\x0b\xfca\x05" + bytes(range(256)) * 4
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


def assert_user_error(result, code: str) -> None:
    """Non-zero exit, ``Error [code]`` on stderr, and no traceback anywhere."""
    assert result.exit_code != 0, result.output
    assert f"[{code}]" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def report_of(result) -> dict:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA
    return data


# -- inputs --------------------------------------------------------------------


def test_cli_analyze_example_json(runner):
    data = report_of(run(runner, "analyze", "--example", "--format", "json"))
    assert data["language"] == "zh"
    assert "老奶奶" in data["text"]  # Chinese kept readable, no mojibake
    assert data["sentiment"]["polarity"] == "positive"
    assert abs(sum(data["emotions"].values()) - 1) < 1e-3


@pytest.mark.parametrize("args", [("--example", "first-day"), ("--example=first-day",), ("-e", "first-day")])
def test_cli_analyze_example_by_name(runner, args):
    data = report_of(run(runner, "analyze", *args, "-f", "json"))
    assert data["language"] == "en"
    assert "Mrs. Chen" in data["text"]


def test_cli_analyze_unknown_example(runner):
    result = run(runner, "analyze", "--example", "no-such-story")
    assert_user_error(result, "E108")
    assert DEFAULT_EXAMPLE in result.stderr


def test_cli_analyze_text_option(runner):
    data = report_of(run(runner, "analyze", "--text", "I am so happy and grateful today!", "-f", "json"))
    assert data["language"] == "en"
    assert data["sentiment"]["polarity"] == "positive"


def test_cli_analyze_stdin_dash(runner):
    story = EXAMPLES["exam"].text
    data = report_of(run(runner, "analyze", "-", "-f", "json", input=story.encode("utf-8")))
    assert "五十八分" in data["text"]


def test_cli_analyze_stdin_implicit(runner):
    data = report_of(run(runner, "analyze", "-f", "json", input="今天我很开心，也很感激朋友的帮助。"))
    assert data["language"] == "zh"


def test_cli_analyze_stdin_gb18030(runner):
    story = EXAMPLES["exam"].text
    data = report_of(run(runner, "analyze", "-", "-f", "json", input=story.encode("gb18030")))
    assert "五十八分" in data["text"]


def test_cli_analyze_gb18030_file(runner, tmp_path):
    path = tmp_path / "exam-gb.txt"
    path.write_bytes(EXAMPLES["exam"].text.encode("gb18030"))
    data = report_of(run(runner, "analyze", str(path), "-f", "json"))
    assert data["language"] == "zh"
    assert "五十八分" in data["text"]


def test_cli_analyze_big5_file(runner, tmp_path):
    path = tmp_path / "letter-big5.txt"
    path.write_bytes(EXAMPLES["grandpa-letter"].text.encode("big5"))
    data = report_of(run(runner, "analyze", str(path), "-f", "json"))
    assert data["language"] == "zh"
    assert data["script"] == "traditional"
    assert "外公" in data["text"]


def test_cli_analyze_empty_file(runner, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_user_error(run(runner, "analyze", str(path)), "E101")


def test_cli_analyze_png_file(runner, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(PNG_BYTES)
    assert_user_error(run(runner, "analyze", str(path)), "E103")


def test_cli_analyze_missing_file(runner, tmp_path):
    assert_user_error(run(runner, "analyze", str(tmp_path / "nope.txt")), "E106")


def test_cli_analyze_emoji_only(runner):
    assert_user_error(run(runner, "analyze", "--text", "😀😀🎉"), "E101")


def test_cli_analyze_empty_stdin(runner):
    assert_user_error(run(runner, "analyze", "-", input=b""), "E101")


def test_cli_analyze_too_long(runner, monkeypatch):
    monkeypatch.setenv("STORYLOOM_MAX_CHARS", "20")
    result = run(runner, "analyze", "--text", "今天我很开心。" * 10)
    assert_user_error(result, "E102")


def test_cli_analyze_one_input_only(runner):
    assert_user_error(run(runner, "analyze", "--text", "我很开心", "--example"), "E108")


# -- options and formats -------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [("--format", "xml", "markdown"), ("--lang", "fr", "zh")],
)
def test_cli_analyze_rejects_unknown_choice(runner, option, value, choices):
    result = run(runner, "analyze", "--example", option, value)
    assert result.exit_code == 2
    assert value in result.stderr and choices in result.stderr
    assert "Traceback" not in result.output


def test_cli_analyze_lang_option(runner):
    data = report_of(run(runner, "analyze", "--text", "我很开心，谢谢你。", "--lang", "zh", "-f", "json"))
    assert data["language"] == "zh"


def test_cli_analyze_markdown(runner):
    result = run(runner, "analyze", "--example", "--format", "markdown")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# ")
    assert "积极" in md  # the reference story is positive; Chinese UI for a Chinese story
    assert "| 情绪 |" in md
    assert re.search(r"`[▁▂▃▄▅▆▇█]+`", md)
    assert re.search(r"\*\*[^*\s]+\*\*", md)  # bold evidence
    # Long Chinese lines are written whole, not re-wrapped.
    assert "在深夜的街头，我遇到了一位老奶奶" in md


def test_cli_analyze_text_format_is_plain_when_piped(runner):
    result = run(runner, "analyze", "--example")
    assert result.exit_code == 0, result.output
    assert not ANSI.search(result.stdout)
    assert "积极" in result.stdout  # the reference story is positive
    assert "情绪分布" in result.stdout


def test_cli_analyze_english_text_format(runner):
    result = run(runner, "analyze", "--example", "first-day", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Overall feeling" in result.stdout
    assert "Emotional arc" in result.stdout


def test_cli_analyze_output_file(runner, tmp_path):
    out = tmp_path / "report.md"
    result = run(runner, "analyze", "--example", "exam", "-f", "markdown", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert str(out) in result.stderr


def test_cli_analyze_every_example(runner):
    for name in EXAMPLES:
        data = report_of(run(runner, "analyze", "--example", name, "-f", "json"))
        assert data["sentences"], name


# -- batch ---------------------------------------------------------------------


def _jsonl(path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_batch_with_bad_lines(runner, tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _jsonl(
        src,
        [
            json.dumps({"id": "a", "text": EXAMPLES["night-street"].text}, ensure_ascii=False),
            '{"id": "b", "text": ',  # invalid JSON
            json.dumps({"id": "c", "text": ""}),
            json.dumps({"id": "d", "text": EXAMPLES["first-day"].text, "lang": "en"}),
        ],
    )
    result = run(runner, "analyze", "--jsonl", str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c", "d"]
    assert rows[0]["report"]["schema"] == SCHEMA
    assert rows[3]["report"]["language"] == "en"
    assert rows[1]["line"] == 2 and rows[1]["error"]["code"] == "E107"
    assert rows[2]["line"] == 3 and rows[2]["error"]["code"] == "E101"
    assert "report" not in rows[1] and "report" not in rows[2]
    assert "2 analysed, 2 errors" in result.stderr
    assert "line 2" in result.stderr and "line 3" in result.stderr
    assert "Traceback" not in result.output


def test_cli_batch_to_stdout(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    _jsonl(src, [json.dumps({"id": 1, "text": "我很开心。"}, ensure_ascii=False), "", json.dumps({"text": "I feel so sad."})])
    result = run(runner, "analyze", "--jsonl", str(src))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, 3]  # blank line skipped; missing id = line number
    assert all("report" in r for r in rows)


def test_cli_batch_every_line_failed(runner, tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _jsonl(src, ["not json", json.dumps({"id": 2}), json.dumps({"id": 3, "text": "   "})])
    result = run(runner, "analyze", "--jsonl", str(src), "-o", str(out))
    assert result.exit_code == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert [r["error"]["code"] for r in rows] == ["E107", "E107", "E101"]
    assert "0 analysed, 3 errors" in result.stderr


def test_cli_batch_from_stdin(runner):
    lines = json.dumps({"id": "x", "text": "我很开心。"}, ensure_ascii=False) + "\n"
    result = run(runner, "analyze", "--jsonl", "-", input=lines.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "x"


def test_cli_batch_empty_file(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("", encoding="utf-8")
    assert_user_error(run(runner, "analyze", "--jsonl", str(src)), "E101")


def test_cli_batch_rejects_markdown(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    _jsonl(src, [json.dumps({"text": "I am happy."})])
    assert_user_error(run(runner, "analyze", "--jsonl", str(src), "-f", "markdown"), "E108")


# -- other commands ------------------------------------------------------------


def test_cli_examples_lists_all(runner):
    for args in (["examples"], ["analyze", "--list-examples"]):
        result = run(runner, *args)
        assert result.exit_code == 0, result.output
        for name in EXAMPLES:
            assert name in result.stdout


def test_cli_version(runner):
    result = run(runner, "version")
    assert result.exit_code == 0
    assert result.stdout.startswith("storyloom ")
    assert run(runner, "--version").stdout == result.stdout


def test_cli_help_has_examples(runner):
    result = run(runner, "analyze", "--help")
    assert result.exit_code == 0
    assert "--example" in result.stdout and "--jsonl" in result.stdout
    assert "storyloom analyze --example" in result.stdout
