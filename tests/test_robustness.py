"""Robustness (issue #7 §3): property-based tests over ``analyze``, decoding, the CLI and ``write``.

The only exceptions allowed anywhere are StoryLoom's own
:class:`~storyloom.errors.StoryLoomError` subclasses (a clear, coded message);
anything else is a bug.  Hypothesis draws arbitrary Unicode (zero-width and
bidi controls, combining marks, RTL scripts, emoji ZWJ sequences, lone
surrogates), random bytes as files, and random command lines.  Example counts
are tuned so the whole module runs in well under 60 s on two shared cores;
run with ``--hypothesis-show-statistics`` to see how many cases ran.

Bounds (measured on the 2-core dev machine, asserted with a wide margin in
:func:`test_robustness_large_inputs_stay_bounded`, which runs them in a fresh
process so its peak RSS is theirs):

* 200,000 characters (over the 100,000 default limit): ``InputTooLong``
  (E102) in ~0.05 s warm — the limit is checked before any segmentation;
* one 99,000-character Chinese sentence, affect only: ~6 s;
* one 99,000-character English sentence, affect only: ~1.5 s (was 33 s,
  VADER is quadratic in sentence length — fixed in ``affect/sentiment.py``);
* 20,000 one-character sentences: ~7 s;
* peak RSS of a process doing all of the above: ~0.35 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import storyloom  # noqa: E402
from storyloom.cli import app  # noqa: E402
from storyloom.errors import EmptyText, InputTooLong, StoryLoomError, UnsupportedLanguage  # noqa: E402
from storyloom.render import render_json  # noqa: E402
from storyloom.text import decode_bytes, read_text_file  # noqa: E402

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])

# -- strategies ------------------------------------------------------------------

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2069"]
COMBINING = ["\u0301", "\u0308", "\u0336", "\u20dd", "\u0e49", "\u302a"]
EMOJI = ["👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇨🇳", "❤️", "🙂", "1️⃣", "🧑🏻‍💻"]
RTL = ["مرحبا بالعالم", "שלום עולם", "سلام", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629"]
SURROGATES = ["\ud800", "\udfff", "\udc80", "\ud83d"]  # lone halves (what surrogateescape makes)
WORDS = ["我", "今天", "很", "开心", "难过", "奶奶", "的", "微笑", "雨", "夜", "媽媽", "謝謝", "回家",
         "happy", "sad", "grandma", "the", "night", "I", "love", "never", "but", "rain", "home",
         "2019", "555555", "3.14", "¥100", "Привет", "日本語です", "한국어", "ไทย", "😀"]
PUNCT = ["。", "，", "！", "？", "……", "——", "、", "；", "：", "“", "”", "「", "」", ".", ",", "!", "?",
         "...", "\n", "\n\n", " ", "\t", "\r\n", "'", '"', "(", ")", "《", "》", "~", "*", "#", "<br>", "&amp;"]

pieces = st.sampled_from(ZERO_WIDTH + BIDI + COMBINING + EMOJI + RTL + SURROGATES + WORDS + PUNCT)
any_chars = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)  # includes Cs (surrogates)
stories = st.lists(st.one_of(pieces, pieces, pieces, any_chars), max_size=60).map("".join)
langs = st.sampled_from([None, "zh", "en", "auto", "zh-TW", "fr", "", "EN"])


def _check_report(report) -> None:
    assert isinstance(report, storyloom.Report)
    assert abs(sum(report.emotions.values()) - 1.0) < 1e-3
    assert 0.0 <= report.sentiment.intensity <= 1.0
    assert 1.0 <= report.valence <= 9.0 and 1.0 <= report.arousal <= 9.0
    data = json.loads(render_json(report))  # lone surrogates must not break the JSON encoder
    assert data["schema"] == storyloom.SCHEMA


def _analyze_or_user_error(text, lang=None, **kw):
    try:
        report = storyloom.analyze(text, lang, **kw)
    except StoryLoomError as exc:
        assert exc.code.startswith("E") and exc.message  # a coded, non-empty message
        return None
    _check_report(report)
    return report


# -- analyze -----------------------------------------------------------------------


@FAST
@given(text=stories, lang=langs)
@example(text="\ud800", lang=None)
@example(text="我今天很开心\ud800，真的\udfff。", lang=None)
@example(text="\u202e我今天很开心\u202c", lang=None)
@example(text="👨‍👩‍👧‍👦" * 50, lang=None)
@example(text="e\u0301\u0301\u0301 happy day", lang="en")
@example(text="\u200b\u200c\u200d" * 100, lang=None)
def test_robustness_analyze_arbitrary_unicode(text, lang):
    _analyze_or_user_error(text, lang, parts=())


@SLOW
@given(text=stories)
@example(text="我今天很开心，奶奶给我买了一个蛋糕。But then it rained. 🌧️ 我们回家了。")
@example(text="媽媽說：「謝謝你。」\u200d我哭了。")
def test_robustness_analyze_full_parts(text):
    _analyze_or_user_error(text)


@FAST
@given(text=st.text(max_size=200), lang=langs)
def test_robustness_analyze_plain_hypothesis_text(text, lang):
    _analyze_or_user_error(text, lang, parts=())


@pytest.mark.parametrize("text, error", [
    ("，。！？……——" * 20, EmptyText),  # only punctuation
    ("555555", EmptyText),  # only numbers: "contains only numbers and punctuation"
    ("123 456 7890 2019 3.14", EmptyText),
    ("مرحبا بالعالم هذا نص عربي طويل", UnsupportedLanguage),  # RTL script: clear refusal
    ("שלום עולם זה טקסט בעברית", UnsupportedLanguage),
    ("", EmptyText),
    ("\u200b\u200d\u2060", EmptyText),
    ("👍🏽🇨🇳❤️", EmptyText),
])
def test_robustness_analyze_refuses_with_a_reason(text, error):
    with pytest.raises(error) as info:
        storyloom.analyze(text, parts=())
    assert any(w in info.value.message for w in ("only", "looks like", "empty"))


def test_robustness_digits_only_message_says_why():
    with pytest.raises(EmptyText, match="only numbers"):
        storyloom.analyze("555555", parts=())


def test_robustness_mixed_scripts_analysed_per_sentence():
    report = storyloom.analyze("今天奶奶给我讲故事，我很开心。Then it rained and I was sad. مرحبا", parts=())
    assert {s.language for s in report.sentences} >= {"zh", "en"}


def test_robustness_over_limit_refused_quickly():
    storyloom.analyze("热身。", parts=())
    t0 = time.perf_counter()
    with pytest.raises(InputTooLong):
        storyloom.analyze("我" * 200_000, parts=())
    assert time.perf_counter() - t0 < 2.0  # measured ~0.05 s


LARGE_SCRIPT = r"""
import json, resource, sys, time
import storyloom
from storyloom.errors import InputTooLong
from storyloom.render import render_json
storyloom.analyze("热身。Warm up.", parts=())
out = {}
def timed(name, text):
    t = time.perf_counter()
    r = storyloom.analyze(text, parts=())
    render_json(r)
    out[name] = round(time.perf_counter() - t, 2)
t = time.perf_counter()
try:
    storyloom.analyze("我" * 200_000, parts=())
except InputTooLong:
    out["over_limit_200k"] = round(time.perf_counter() - t, 3)
timed("zh_one_sentence_99k", ("我今天很开心" * 16500)[:99_000])
timed("en_one_sentence_99k", ("happy day and " * 7100)[:99_000])
timed("one_char_sentences_20k", "好。" * 20_000)
out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource module")
def test_robustness_large_inputs_stay_bounded():
    proc = subprocess.run([sys.executable, "-c", LARGE_SCRIPT], capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    print("large-input bounds:", figures)
    assert "over_limit_200k" in figures and figures["over_limit_200k"] < 2.0
    assert figures["zh_one_sentence_99k"] < 40  # measured ~6 s
    assert figures["en_one_sentence_99k"] < 20  # measured ~1.5 s (33 s before the VADER window fix)
    assert figures["one_char_sentences_20k"] < 45  # measured ~7 s
    assert figures["peak_rss_mb"] < 1500  # measured ~350 MB


# -- decoding and files ----------------------------------------------------------------


def _decode_or_user_error(data: bytes):
    try:
        text = decode_bytes(data)
    except StoryLoomError:
        return None
    assert isinstance(text, str)
    return text


encoded_stories = st.tuples(stories, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                                      "utf-32", "gb18030", "gbk", "big5", "latin-1", "cp1252"]))


@FAST
@given(data=st.binary(max_size=600))
@example(data=b"\xed\xa0\x80")  # an encoded lone surrogate
@example(data=b"\xff\xfe\x00")
@example(data=b"\x00" * 100)
@example(data=b"\xef\xbb\xbf")
def test_robustness_decode_random_bytes(data):
    _decode_or_user_error(data)


@FAST
@given(pair=encoded_stories)
def test_robustness_decode_encoded_text(pair):
    text, codec = pair
    try:
        data = text.encode(codec)
    except UnicodeError:
        data = text.encode(codec, "replace") if codec != "utf-8" else text.encode(codec, "surrogatepass")
    _decode_or_user_error(data)


@SLOW
@given(data=st.one_of(st.binary(max_size=2000), stories.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_robustness_files_through_read_and_analyze(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("rb") / "story.txt"
    path.write_bytes(data)
    try:
        text = read_text_file(path)
    except StoryLoomError:
        return
    _analyze_or_user_error(text, parts=())


def test_robustness_read_special_paths(tmp_path):
    for bad in (tmp_path, tmp_path / "missing.txt"):
        with pytest.raises(StoryLoomError):
            read_text_file(bad)


# -- the CLI ---------------------------------------------------------------------------


def _write_ready() -> bool:
    if not hasattr(storyloom, "write"):
        return False
    try:  # the built-in backend is still being written while this module lands
        from storyloom.generate.backends import get_backend  # noqa: F401
    except ImportError:
        return False
    return True


COMMANDS = ["analyze", "train", "evaluate", "examples", "version"] + (["write"] if _write_ready() else [])
OPTIONS = ["--text", "-t", "--example", "-e", "--list-examples", "--jsonl", "--lang", "-l", "--format", "-f",
           "--output", "-o", "--engine", "--model", "--task", "--data", "--out", "--from-shipped",
           "--from-scratch", "--help", "-h", "--version", "--bogus", "-x", "--", "-"]
VALUES = ["zh", "en", "fr", "json", "text", "markdown", "html", "xml", "lexicon", "model", "polarity", "emotion",
          "bogus", "night-street", "mixed", "", "我今天很开心。", "\ud800", "0", "-1"]


def _no_traceback(result) -> None:
    text = (result.stdout or "") + (result.stderr or "")
    assert "Traceback" not in text, text[-2000:]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"unexpected {type(result.exception).__name__}: {result.exception!r}")
    assert result.exit_code in (0, 1, 2, 3), (result.exit_code, text[-2000:])


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    files = {
        "story": base / "story.txt", "bin": base / "bin.dat", "jsonl": base / "batch.jsonl",
        "csv": base / "labels.csv", "dir": base / "adir",
    }
    files["story"].write_text("我今天很开心。奶奶笑了。", encoding="utf-8")
    files["bin"].write_bytes(bytes(range(256)) * 8)
    files["jsonl"].write_text('{"id": 1, "text": "今天下雨了。"}\n[1]\n{"text": 5}\nnot json\n', encoding="utf-8")
    files["csv"].write_text("text,label\n好,positive\n", encoding="utf-8")
    files["dir"].mkdir()
    return base, files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(argv=st.lists(st.one_of(st.sampled_from(COMMANDS), st.sampled_from(OPTIONS), st.sampled_from(VALUES),
                               st.sampled_from(["@story", "@bin", "@jsonl", "@csv", "@dir", "@missing", "@out"]),
                               st.text(max_size=12)), max_size=7),
       data=st.binary(max_size=300))
def test_robustness_cli_random_argv(cli_files, argv, data):
    base, files = cli_files
    (base / "random.bin").write_bytes(data)

    def resolve(arg: str) -> str:
        if arg == "@missing":
            return str(base / "missing.txt")
        if arg == "@out":
            return str(base / "out" / "report.json")
        if arg.startswith("@") and arg[1:] in files:
            return str(files[arg[1:]])
        return arg

    args = [resolve(a) for a in argv]
    # never train a real model here: train needs --task, --data and --out all valid (random bytes as data)
    if "train" in args:
        args = [str(base / "random.bin") if a == str(files["csv"]) else a for a in args]
    result = CliRunner().invoke(app, args, input=data)
    _no_traceback(result)


@SLOW
@given(data=st.one_of(st.binary(max_size=1500), stories.map(lambda s: s.encode("utf-8", "surrogatepass"))),
       fmt=st.sampled_from(["text", "json", "markdown", "html"]))
def test_robustness_cli_random_file_and_stdin(tmp_path_factory, data, fmt):
    path = tmp_path_factory.mktemp("f") / "story.txt"
    path.write_bytes(data)
    _no_traceback(CliRunner().invoke(app, ["analyze", str(path), "-f", fmt]))
    _no_traceback(CliRunner().invoke(app, ["analyze", "-", "-f", fmt], input=data))


def test_robustness_cli_lone_surrogate_json_is_valid():
    result = CliRunner().invoke(app, ["analyze", "-t", "我今天很开心\ud800，真的。", "-f", "json"])
    _no_traceback(result)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["schema"] == storyloom.SCHEMA


# -- CLI wrong arguments: usage help + a specific message, never a traceback ----------

WRONG_ARGS = [
    (["analyze", "--bogus"], "No such option"),
    (["analyze", "--format"], "requires an argument"),
    (["analyze", "-t"], "requires an argument"),
    (["analyze", "-t", "hi", "--format", "xml"], "'xml' is not one of"),
    (["analyze", "-t", "hi", "--lang", "fr"], "'fr' is not one of"),
    (["analyze", "-t", "hi", "--engine", "zz"], "'zz' is not one of"),
    (["analyze", "/nonexistent/story.txt"], "No such file"),
    (["analyze", "--jsonl", "/nonexistent/batch.jsonl"], "There is no file"),
    (["analyze", "--example", "nosuch"], "no example called"),
    (["analyze", "--model", "/nonexistent/model", "-t", "hi"], "does not exist"),
    (["analyze", "-t", "hi", "--example"], "one input at a time"),
    (["train"], "Missing option"),
    (["train", "--task", "bogus", "--data", "x", "--out", "y"], "'bogus' is not one of"),
    (["train", "--task", "polarity", "--data", "/nonexistent.csv", "--out", "/tmp/x"], "does not exist"),
    (["train", "--task"], "requires an argument"),
    (["evaluate"], "Missing option"),
    (["evaluate", "--data", "/nonexistent.csv"], "does not exist"),
    (["evaluate", "--data"], "requires an argument"),
    (["examples", "extra"], "unexpected extra argument"),
    (["examples", "--bogus"], "No such option"),
    (["version", "--x"], "No such option"),
    (["nosuch"], "No such command"),
    (["--bogus"], "No such option"),
]
if "write" in COMMANDS:
    # not --backend/--base-url/--llm-model/--model-path: no network or model loads from random argv
    OPTIONS += ["--target", "--emotion", "--pov", "--style", "--length", "--rename", "--candidates", "--seed",
                "--fallback"]
    VALUES += ["温暖", "hopeful", "first", "second", "letter", "3"]
    WRONG_ARGS += [
        (["write", "--bogus"], "No such option"),
        (["write", "--target"], "requires an argument"),
        (["write", "/nonexistent/story.txt"], "No such file"),
        (["write", "-t", "我今天很开心。", "--pov", "zzz"], "point of view"),
    ]


@pytest.mark.parametrize("argv, message", WRONG_ARGS, ids=[" ".join(a) or "(none)" for a, _ in WRONG_ARGS])
def test_robustness_cli_wrong_arguments(argv, message):
    result = CliRunner().invoke(app, argv)
    _no_traceback(result)
    assert result.exit_code != 0
    err = result.stderr
    assert message in err, err
    assert "Usage:" in err and "-h' for help" in err, err


def test_robustness_every_command_is_covered():
    listed = CliRunner().invoke(app, ["--help"]).stdout
    for command in COMMANDS:
        assert command in listed
    covered = {argv[0] for argv, _ in WRONG_ARGS}
    missing = [c for c in COMMANDS if c not in covered]
    assert not missing, f"add wrong-argument cases for {missing}"


# -- write (storyloom.write, being built by the lead) ------------------------------------

needs_write = pytest.mark.skipif(not _write_ready(), reason="storyloom.write / its backends not built yet")


@needs_write
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=stories)
@example(text="我今天很开心\ud800，奶奶给我买了蛋糕。")
@example(text="\u202e我今天很开心\u202c")
def test_robustness_write_arbitrary_unicode(text):
    try:
        story = storyloom.write(text)
    except StoryLoomError:
        return
    assert story is not None


@needs_write
def test_robustness_write_pathological_shapes():
    for text in ("，。！？" * 10, "555555", "مرحبا بالعالم", "我" * 200_000):
        with pytest.raises(StoryLoomError):
            storyloom.write(text)
