"""The ``storyloom`` command line.

One Typer function per command; each is a thin call on the public API
(:func:`storyloom.analyze`) and the renderers.  Results go to stdout,
diagnostics (errors, progress, summaries) to stderr.  Every user mistake is a
:class:`~storyloom.errors.StoryLoomError`, caught once in :class:`_Group` and
printed as ``Error [E101]: message`` with its exit code — never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.29 vendors its own click; its parser raises these, not click's
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer on real click
    from click.exceptions import UsageError

from .errors import (
    BatchLineError,
    DecodingError,
    EmptyText,
    InputFileError,
    InputTooLong,
    InvalidOption,
    StoryLoomError,
    UnsupportedLanguage,
)
from .examples import DEFAULT_EXAMPLE, EXAMPLES
from .render import OutputFormat
from .analysis.report import Engine as EngineChoice
from .text.document import Language

# Exit codes besides StoryLoomError.exit_code (2, or 3 for missing resources).
EXIT_BATCH_ALL_FAILED = 1  # a JSONL batch where no line could be analysed
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_BROKEN_PIPE = 141  # reader went away, e.g. `| head` (128 + SIGPIPE)

# How many failed lines a batch summary lists before "… and N more".
SUMMARY_ERRORS_SHOWN = 10

PANEL_INPUT = "Input"
PANEL_OUTPUT = "Output"
PANEL_ENGINE = "Engine"


# -- consoles and error reporting --------------------------------------------


def _stdout_console() -> Console:
    # Built per call, not at import, so tests (CliRunner) and redirections are seen.
    return Console(highlight=False, emoji=False)


def _stderr_console() -> Console:
    return Console(stderr=True, highlight=False, emoji=False)


def _print_error(exc: StoryLoomError) -> None:
    usage = getattr(exc, "usage_hint", None)  # set by _Command for argument mistakes
    if usage:
        _stderr_console().print(Text(usage), soft_wrap=True)
    line = Text(f"Error [{exc.code}]: ", style="bold red")
    line.append(exc.message, style="red")
    _stderr_console().print(line, soft_wrap=True)


def _note(message: str) -> None:
    """A diagnostic line on stderr (never mixed into results)."""
    _stderr_console().print(Text(message, style="dim"), soft_wrap=True)


class _Group(TyperGroup):
    """The one place where user mistakes become a message and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoryLoomError as exc:
            _print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None


class _Command(TyperCommand):
    """Every command: argument mistakes come with the usage line and the help hint.

    Click raises "Option '--format' requires an argument." without a context,
    so it printed no usage; and a StoryLoomError about an argument (no such
    file, unknown example, two inputs) printed only the message.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (InvalidOption, InputFileError) as exc:
            exc.usage_hint = f"{ctx.get_usage()}\nTry '{ctx.command_path} -h' for help."
            raise


class _AnalyzeCommand(_Command):
    """``analyze`` also accepts ``--example=NAME`` (the same as ``--example NAME``)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        fixed: list[str] = []
        for arg in args:
            if arg == "--":
                fixed.extend(args[len(fixed):])
                break
            if arg.startswith("--example="):
                fixed.extend(["--example", arg.split("=", 1)[1]])
            else:
                fixed.append(arg)
        return super().parse_args(ctx, fixed)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. tests)
        pass


app = typer.Typer(
    name="storyloom",
    cls=_Group,
    help=(
        "StoryLoom (叙事工坊): understand the feelings in a personal story, "
        "in Chinese or English, fully offline.\n\n"
        "Try: [bold]storyloom analyze --example[/bold]"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,  # never dump a user's story in a traceback
    add_completion=False,
)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("storyloom")
    except Exception:  # not installed (running from a source tree)
        return "unknown"


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"storyloom {_version()}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version_callback, is_eager=True
        ),
    ] = False,
) -> None:
    """StoryLoom (叙事工坊): understand the feelings in a personal story, offline."""


# -- input -------------------------------------------------------------------


def _read_stdin() -> str:
    from .config import settings
    from .text import decode_bytes

    limit = settings().max_file_bytes  # the same limit files get
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (rare; some embedders)
        data = sys.stdin.read(limit + 1).encode("utf-8")
    else:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputTooLong(
            f"Standard input is over {limit:,} bytes (STORYLOOM_MAX_FILE_BYTES). "
            "Split the story into parts, or raise the limit."
        )
    if not data.strip():
        raise EmptyText(
            "Standard input is empty. Pipe a story in, or give a FILE, --text or --example."
        )
    return decode_bytes(data)


def _example_text(name: str | None) -> str:
    key = name or DEFAULT_EXAMPLE
    example = EXAMPLES.get(key)
    if example is None:
        raise InvalidOption(
            f"There is no example called {key!r}. Choose one of: {', '.join(EXAMPLES)} "
            "(see `storyloom examples`)."
        )
    return example.text


def _resolve_text(source: str | None, text: str | None, example: bool) -> str:
    if text is not None:
        return text
    if example:
        return _example_text(source)
    if source == "-":
        return _read_stdin()
    if source is not None:
        from .text import read_text_file

        return read_text_file(source)
    if not sys.stdin.isatty():
        return _read_stdin()
    raise InvalidOption(
        "Nothing to analyse. Give a FILE, '-' for standard input, --text \"…\" or --example "
        "(see `storyloom analyze --help`)."
    )


def _check_one_input(source: str | None, text: str | None, example: bool, jsonl: str | None) -> None:
    given = []
    if source is not None and not example:
        given.append(f"FILE ({source})")
    if text is not None:
        given.append("--text")
    if example:
        given.append("--example")
    if jsonl is not None:
        given.append("--jsonl")
        if source is not None and example:
            given.append(f"NAME ({source})")
    if len(given) > 1:
        raise InvalidOption(f"Give one input at a time; got {' and '.join(given)}.")


# -- output ------------------------------------------------------------------


def _write_file(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InvalidOption(f"Cannot write --output {str(path)!r}: {exc.strerror or exc}.") from None


def _emit(report: Any, fmt: OutputFormat, output: Path | None) -> None:
    from .render import render_html, render_json, render_markdown, render_terminal, render_text

    if fmt is OutputFormat.json:
        content = render_json(report) + "\n"
    elif fmt is OutputFormat.markdown:
        content = render_markdown(report)
    elif fmt is OutputFormat.html:
        content = render_html(report)
    elif output is not None:
        content = render_text(report)
    else:
        render_terminal(report, _stdout_console())
        return
    _deliver(content, output, f"the {fmt.value} report")


def _deliver(content: str, output: Path | None, what: str) -> None:
    """Write a rendered result to ``--output`` (with a note on stderr) or to stdout."""
    if output is not None:
        _write_file(output, content)
        _note(f"Saved {what} to {output}")
        return
    # Plain writes: rich would re-wrap long (Chinese) lines when stdout is not a tty.
    sys.stdout.write(content)
    sys.stdout.flush()


# -- batch -------------------------------------------------------------------


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _parse_line(raw: bytes) -> dict[str, Any]:
    """One JSONL line as an object; line-level mistakes raise (the caller adds the line number)."""
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecodingError("This line is not UTF-8; JSON Lines files must be UTF-8.") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BatchLineError(f"Not valid JSON: {exc.msg} (column {exc.colno}).") from None
    if not isinstance(obj, dict):
        raise BatchLineError(
            f'Expected a JSON object like {{"id": 1, "text": "…"}}, not {_json_type(obj)}.'
        )
    return obj


def _line_input(obj: dict[str, Any], default_lang: str | None) -> tuple[str, str | None]:
    if "text" not in obj:
        raise BatchLineError('No "text" field; expected {"id": 1, "text": "…"}.')
    text = obj["text"]
    if not isinstance(text, str):
        raise BatchLineError(f'"text" must be a string, not {_json_type(text)}.')
    if not text.strip():
        raise EmptyText('"text" is empty.')
    lang = obj.get("lang")
    if lang is None or lang == "":
        return text, default_lang
    valid = [lang_.value for lang_ in Language]
    if lang not in valid:
        raise UnsupportedLanguage(
            f'"lang" must be one of {", ".join(valid)} (or left out), got {json.dumps(lang, ensure_ascii=False)}.'
        )
    return text, lang


def _open_batch_input(path: str) -> tuple[IO[bytes], int | None, bool]:
    """(binary stream, size in bytes if known, whether we must close it)."""
    if path == "-":
        return sys.stdin.buffer, None, False
    p = Path(path)
    try:
        stream = p.open("rb")
    except FileNotFoundError:
        raise InputFileError(f"There is no file {path!r}.") from None
    except IsADirectoryError:
        raise InputFileError(f"{path!r} is a directory; give a .jsonl file.") from None
    except OSError as exc:
        raise InputFileError(f"Cannot read {path!r}: {exc.strerror or exc}.") from None
    try:
        size = os.fstat(stream.fileno()).st_size or None
    except OSError:
        size = None
    return stream, size, True


def _run_batch(
    path: str, output: Path | None, lang: str | None, engine: str | None = None, model: str | None = None
) -> None:
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from . import analyze

    if output is not None and path != "-" and output.exists():
        try:
            if os.path.samefile(path, output):
                raise InvalidOption("--output is the input file; choose another path.")
        except OSError:
            pass
    stream, size, close_in = _open_batch_input(path)
    if output is not None:
        try:
            out: IO[str] = output.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            if close_in:
                stream.close()
            raise InvalidOption(f"Cannot write --output {str(output)!r}: {exc.strerror or exc}.") from None
    else:
        out = sys.stdout

    err = _stderr_console()
    n_ok = n_err = 0
    shown: list[tuple[int, str, str]] = []
    progress = Progress(
        TextColumn("[bold]analysing[/bold]"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[ok]} ok · {task.fields[failed]} errors"),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        redirect_stdout=False,
        redirect_stderr=False,
        transient=True,
    )
    try:
        with progress:
            task = progress.add_task("batch", total=size, ok=0, failed=0)
            for lineno, raw in enumerate(stream, 1):
                progress.advance(task, len(raw))
                if not raw.strip():
                    continue  # blank lines (e.g. a trailing newline) are not items
                item_id: Any = None
                try:
                    obj = _parse_line(raw)
                    item_id = obj.get("id", lineno)
                    text, line_lang = _line_input(obj, lang)
                    report = analyze(text, line_lang, engine=engine, model=model)
                    entry: dict[str, Any] = {"id": item_id, "report": report.to_dict()}
                    n_ok += 1
                except StoryLoomError as exc:
                    entry = {"id": item_id, "error": {"code": exc.code, "message": exc.message}, "line": lineno}
                    n_err += 1
                    if len(shown) < SUMMARY_ERRORS_SHOWN:
                        shown.append((lineno, exc.code, exc.message))
                except Exception as exc:  # an engine bug on one line must not lose the batch
                    message = f"Internal error ({type(exc).__name__}: {exc}); please report this bug."
                    entry = {"id": item_id, "error": {"code": "E000", "message": message}, "line": lineno}
                    n_err += 1
                    if len(shown) < SUMMARY_ERRORS_SHOWN:
                        shown.append((lineno, "E000", message))
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                progress.update(task, ok=n_ok, failed=n_err)
            out.flush()
    finally:
        if close_in:
            stream.close()
        if out is not sys.stdout:
            out.close()

    if n_ok == 0 and n_err == 0:
        raise EmptyText(f"{'Standard input' if path == '-' else repr(path)} has no lines to analyse.")
    summary = Text(f"{n_ok} analysed, {n_err} error{'s' if n_err != 1 else ''}", style="bold")
    if output is not None:
        summary.append(f" → {output}", style="dim")
    if n_err:
        summary.append(":")
    err.print(summary, soft_wrap=True)
    for lineno, code, message in shown:
        line = Text()
        line.append(f"  line {lineno} ", style="dim")
        line.append(code, style="red")
        line.append(f" {message}")
        err.print(line, soft_wrap=True)
    if n_err > len(shown):
        err.print(Text(f"  … and {n_err - len(shown)} more (see the \"error\" entries)", style="dim"))
    if n_ok == 0:
        raise typer.Exit(EXIT_BATCH_ALL_FAILED)


# -- commands ----------------------------------------------------------------

ANALYZE_HELP = f"""
Analyse a story: overall feeling, the eight emotions, valence and arousal,
the emotional arc, and the words that show each emotion.

Give the story one way: a FILE (UTF-8, UTF-16, GB18030 or Big5), [bold]-[/bold] for
standard input, [bold]--text[/bold], [bold]--example[/bold] [NAME] (a built-in story;
default {DEFAULT_EXAMPLE}), or [bold]--jsonl[/bold] for a batch.

[bold]Examples[/bold]

  storyloom analyze --example

  storyloom analyze --example exam --format markdown -o exam.md

  storyloom analyze story.txt --format html -o report.html

  storyloom analyze story.txt --format json

  cat story.txt | storyloom analyze -

  storyloom analyze --text "今天终于拿到了offer，我开心得跳了起来！"

  storyloom analyze --jsonl stories.jsonl -o reports.jsonl
"""


@app.command(
    "analyze",
    cls=_AnalyzeCommand,
    help=ANALYZE_HELP,
    short_help="Analyse a story: a file, stdin, --text, --example, or a --jsonl batch.",
)
def analyze_command(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE|-|NAME",
            help="A text file, or - for standard input. After --example: the example's NAME.",
            show_default=False,
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", "-t", help="Analyse this text.", rich_help_panel=PANEL_INPUT),
    ] = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            "-e",
            help=(
                f"Analyse a built-in example story: --example alone uses {DEFAULT_EXAMPLE}; "
                "--example NAME (or --example=NAME) picks one. List them with --list-examples."
            ),
            rich_help_panel=PANEL_INPUT,
        ),
    ] = False,
    list_examples: Annotated[
        bool,
        typer.Option("--list-examples", help="List the built-in examples and exit.", rich_help_panel=PANEL_INPUT),
    ] = False,
    jsonl: Annotated[
        str | None,
        typer.Option(
            "--jsonl",
            metavar="PATH|-",
            help=(
                'Batch: one JSON object per line, {"id": …, "text": "…", "lang": "zh"} ("lang" optional). '
                'Writes one line per input, {"id", "report"} or {"id", "error", "line"}; '
                "goes on after bad lines; exits 1 only if every line failed."
            ),
            rich_help_panel=PANEL_INPUT,
        ),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            "-l",
            help="The story's language (default: detected, per sentence for mixed text).",
            case_sensitive=False,
            rich_help_panel=PANEL_INPUT,
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=(
                "text: a report to read (plain when not a terminal); json: the storyloom.report/1 "
                "contract; markdown; html: one offline page with charts (use -o report.html). "
                "[dim]\\[default: text][/dim]"
            ),
            case_sensitive=False,
            rich_help_panel=PANEL_OUTPUT,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the result to this file (UTF-8) instead of standard output.",
            dir_okay=False,
            rich_help_panel=PANEL_OUTPUT,
        ),
    ] = None,
    engine: Annotated[
        EngineChoice | None,
        typer.Option(
            "--engine",
            help=(
                "lexicon: rules over lexicons (fast, explains every number); model: trained models "
                "(more accurate on implicit and short text; evidence still comes from the lexicon). "
                "[dim]\\[default: $STORYLOOM_ENGINE or lexicon][/dim]"
            ),
            case_sensitive=False,
            rich_help_panel=PANEL_ENGINE,
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="A model directory made by `storyloom train`; replaces the shipped model for its task (implies --engine model).",
            exists=True,
            file_okay=False,
            rich_help_panel=PANEL_ENGINE,
        ),
    ] = None,
) -> None:
    if list_examples:
        _print_examples()
        return
    _check_one_input(source, text, example, jsonl)
    lang_code = lang.value if lang is not None else None
    engine_name = engine.value if engine is not None else None
    model_dir = str(model) if model is not None else None
    if jsonl is not None:
        if fmt not in (None, OutputFormat.json):
            raise InvalidOption(f"Batch output is always JSON Lines; drop --format {fmt.value}.")
        _run_batch(jsonl, output, lang_code, engine_name, model_dir)
        return
    story = _resolve_text(source, text, example)

    from . import analyze

    report = analyze(story, lang_code, engine=engine_name, model=model_dir)
    _emit(report, fmt or OutputFormat.text, output)


def _print_examples() -> None:
    console = _stdout_console()
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("name", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title", overflow="fold")
    for name, ex in EXAMPLES.items():
        shown = Text(name, style="bold cyan")
        if name == DEFAULT_EXAMPLE:
            shown.append(" (default)", style="dim")
        table.add_row(shown, ex.language, ex.title)
    console.print(table)
    console.print(Text("Analyse one with: storyloom analyze --example NAME", style="dim"))


class Task(str, Enum):
    """What a label file labels."""

    polarity = "polarity"
    emotion = "emotion"
    valence = "valence"
    arousal = "arousal"


@app.command("train", cls=_Command)
def train_command(
    task: Annotated[Task, typer.Option("--task", help="What the labels are.", case_sensitive=False)],
    data: Annotated[
        Path,
        typer.Option("--data", help="labels.csv (columns text,label) or labels.jsonl ({\"text\", \"label\"} per line).",
                     exists=True, dir_okay=False),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to save the model in.", file_okay=False)],
    lang: Annotated[
        Language | None,
        typer.Option("--lang", "-l", help="Language of the texts (default: detected).", case_sensitive=False),
    ] = None,
    from_shipped: Annotated[
        bool,
        typer.Option("--from-shipped/--from-scratch", help="Start from StoryLoom's own model for the task (fine-tune)."),
    ] = False,
) -> None:
    """Train a model on your own labels; use it with `storyloom analyze --model DIR`.

    Example: storyloom train --task emotion --data my_labels.csv -o my-emotions
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from .training import train_from_file

    err = _stderr_console()
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        bar = progress.add_task("training", total=1.0)

        def report(stage: str, fraction: float) -> None:
            progress.update(bar, description=stage, completed=max(0.0, min(1.0, fraction)))

        result = train_from_file(data, task.value, out, language=lang.value if lang else None,
                                 from_shipped=from_shipped, progress=report)
    figures = ", ".join(f"{k} {v:.3f}" for k, v in sorted(result.dev.items()) if isinstance(v, float) and k != "n")
    held = f"; held-out {result.n_dev}: {figures}" if result.n_dev else " (too few rows to hold any out)"
    sys.stdout.write(
        f"Saved a {result.task} model ({result.language}, from {result.started_from}) to {result.directory}\n"
        f"trained on {result.n_train} rows{held}\n"
        f"Use it: storyloom analyze story.txt --model {result.directory}\n"
    )


@app.command("evaluate", cls=_Command)
def evaluate_command(
    data: Annotated[
        Path,
        typer.Option("--data", help="Labelled test file: CSV (text,label) or JSONL.", exists=True, dir_okay=False),
    ],
    task: Annotated[Task, typer.Option("--task", help="What the labels are.", case_sensitive=False)] = Task.polarity,
    engine: Annotated[
        EngineChoice | None,
        typer.Option("--engine", help="lexicon or model (default as for analyze).", case_sensitive=False),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A model directory from `storyloom train`.", exists=True, file_okay=False),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", "-l", help="Language of the texts (default: detected).", case_sensitive=False),
    ] = None,
) -> None:
    """Score StoryLoom's reading of whole texts against your labels.

    Prints accuracy, macro-F1 and a confusion matrix (polarity, emotion) or
    Pearson r and MAE (valence, arousal).
    """
    from .training import evaluate_file

    result = evaluate_file(data, task.value, engine=engine.value if engine else None,
                           model=str(model) if model else None, language=lang.value if lang else None)
    out = _stdout_console()
    out.print(f"{result.n} texts · task {result.task} · engine {result.engine}"
              + (f" · {result.errors} could not be analysed (counted as wrong)" if result.errors else ""))
    if result.accuracy is not None:
        out.print(f"accuracy {result.accuracy:.3f} · macro-F1 {result.macro_f1:.3f}")
        table = Table(title="confusion (rows: your label, columns: StoryLoom)", show_lines=False)
        table.add_column("gold \\ predicted")
        for lab in result.labels:
            table.add_column(lab, justify="right")
        for lab, row in zip(result.labels, result.confusion):
            if sum(row) or lab in result.per_class_f1:
                table.add_row(lab, *(str(n) for n in row))
        out.print(table)
        out.print("per-class F1: " + "  ".join(f"{k} {v:.2f}" for k, v in result.per_class_f1.items()))
    else:
        out.print(f"Pearson r {result.pearson_r:.3f} · MAE {result.mae:.3f}")


@app.command("serve", cls=_Command)
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to bind; anything but loopback needs --accounts.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: SQLite in your data directory, "
                                                        "or $STORYLOOM_DATABASE_URL).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Server processes.")] = 1,
    accounts: Annotated[bool, typer.Option("--accounts", help="Require sign-in (same as STORYLOOM_AUTH=1).")]
    = False,
) -> None:
    """Start the StoryLoom studio: the web page at / and the JSON API (docs at /docs).

    Examples: [bold]storyloom serve[/bold] · [bold]storyloom serve --port 8080 --workers 2[/bold] ·
    [bold]storyloom serve --host 0.0.0.0 --accounts --db postgresql://user:pw@db/storyloom[/bold]
    """
    from .server.serve import serve

    serve(host=host, port=port, db=db, workers=workers, accounts=accounts)


@app.command("examples", cls=_Command)
def examples_command() -> None:
    """List the built-in example stories (for [bold]analyze --example NAME[/bold])."""
    _print_examples()


@app.command("version", cls=_Command)
def version_command() -> None:
    """Show the StoryLoom version."""
    sys.stdout.write(f"storyloom {_version()}\n")


class WriteFormat(str, Enum):
    """Output formats of ``storyloom write --format``."""

    text = "text"
    json = "json"  # Story.to_dict(): schema storyloom.story/1, both Reports nested
    markdown = "markdown"


class BackendChoice(str, Enum):
    """Generation backends."""

    builtin = "builtin"
    openai = "openai"
    llamacpp = "llamacpp"


WRITE_HELP = f"""
Write a personalised story from yours: the same people, places and events,
told in the point of view and with the feeling you ask for, ending with a
reflective close. Several candidates are written and analysed; the one whose
emotion and themes are closest to the target is kept, and every score is shown.

Give the story like [bold]analyze[/bold]: a FILE, [bold]-[/bold], [bold]--text[/bold] or [bold]--example[/bold] [NAME].

[bold]Examples[/bold]

  storyloom write --example

  storyloom write story.txt --target 温暖 --pov second

  storyloom write story.txt --target hopeful --style letter --format markdown -o story.md

  storyloom write story.txt --backend openai --base-url http://127.0.0.1:11434/v1 --llm-model qwen2.5:7b
"""

PANEL_STORY = "Story"
PANEL_BACKEND = "Backend"


@app.command("write", cls=_AnalyzeCommand, help=WRITE_HELP,
             short_help="Write a personalised story from yours, aimed at an emotion, with proof.")
def write_command(
    source: Annotated[str | None, typer.Argument(metavar="FILE|-|NAME", show_default=False,
                                                 help="A text file, or - for standard input. After --example: the example's NAME.")] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Use this text.", rich_help_panel=PANEL_INPUT)] = None,
    example: Annotated[bool, typer.Option("--example", "-e", help=f"Use a built-in example story (default {DEFAULT_EXAMPLE}).",
                                          rich_help_panel=PANEL_INPUT)] = False,
    target: Annotated[str | None, typer.Option(
        "--target", "--emotion", "-T", metavar="EMOTION",
        help="The feeling to aim at: joy, love, sadness, anger, fear, disgust, surprise, neutral, or your own word "
             "(温暖, 治愈, hopeful, bittersweet…). Default: the story's own dominant emotion.",
        rich_help_panel=PANEL_STORY)] = None,
    pov: Annotated[str, typer.Option("--pov", help="Point of view: first, second or third.", rich_help_panel=PANEL_STORY)] = "second",
    style: Annotated[str, typer.Option("--style", help="plain, lyrical, children, fable or letter (to your past self).",
                                       rich_help_panel=PANEL_STORY)] = "plain",
    length: Annotated[str, typer.Option("--length", help="short, medium or long.", rich_help_panel=PANEL_STORY)] = "short",
    lang: Annotated[Language | None, typer.Option("--lang", "-l", case_sensitive=False,
                                                  help="Language of the new story (default: the story's; another language needs a model backend).",
                                                  rich_help_panel=PANEL_STORY)] = None,
    close: Annotated[bool, typer.Option("--close/--no-close", help="End with a reflective close.", rich_help_panel=PANEL_STORY)] = True,
    rename: Annotated[list[str] | None, typer.Option("--rename", metavar="OLD=NEW",
                                                     help="Change a name in the new story (repeatable).",
                                                     rich_help_panel=PANEL_STORY)] = None,
    candidates: Annotated[int, typer.Option("--candidates", "-n", help="How many candidates to write and score.",
                                            rich_help_panel=PANEL_STORY)] = 4,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same stories (builtin backend).", rich_help_panel=PANEL_STORY)] = 0,
    gender: Annotated[str | None, typer.Option("--gender", metavar="female|male",
                                               help="The narrator's gender, for --pov third (她/she or 他/he; default 他/they).",
                                               rich_help_panel=PANEL_STORY)] = None,
    backend: Annotated[BackendChoice, typer.Option("--backend", "-b", case_sensitive=False,
                                                   help="builtin (offline, no model), openai (any OpenAI-compatible server) or llamacpp (a local GGUF).",
                                                   rich_help_panel=PANEL_BACKEND)] = BackendChoice.builtin,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint (default $STORYLOOM_OPENAI_BASE_URL or Ollama's).",
                                                 rich_help_panel=PANEL_BACKEND)] = None,
    llm_model: Annotated[str | None, typer.Option("--llm-model", help="Model name on the server (default $STORYLOOM_OPENAI_MODEL or the server's first).",
                                                  rich_help_panel=PANEL_BACKEND)] = None,
    model_path: Annotated[Path | None, typer.Option("--model-path", help="GGUF file for --backend llamacpp (default $STORYLOOM_GGUF).",
                                                    dir_okay=False, rich_help_panel=PANEL_BACKEND)] = None,
    redact: Annotated[bool | None, typer.Option("--redact/--no-redact",
                                                help="Redact names, phones, IDs… before text leaves this machine (default: on for remote servers).",
                                                show_default=False, rich_help_panel=PANEL_BACKEND)] = None,
    fallback: Annotated[bool, typer.Option("--fallback", help="If the model backend is unreachable, use builtin instead of failing.",
                                           rich_help_panel=PANEL_BACKEND)] = False,
    stream: Annotated[bool, typer.Option("--stream/--no-stream", help="Show model output as it arrives (terminal only).",
                                         rich_help_panel=PANEL_BACKEND)] = True,
    fmt: Annotated[WriteFormat | None, typer.Option("--format", "-f", case_sensitive=False,
                                                    help="text, json (storyloom.story/1) or markdown. [dim]\\[default: text][/dim]",
                                                    rich_help_panel=PANEL_OUTPUT)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False, help="Write the result to this file.",
                                                rich_help_panel=PANEL_OUTPUT)] = None,
    engine: Annotated[EngineChoice | None, typer.Option("--engine", case_sensitive=False,
                                                        help="The analyser that reads the story and judges candidates.",
                                                        rich_help_panel=PANEL_ENGINE)] = None,
) -> None:
    from .render.story import render_story_markdown, render_story_terminal, render_story_text

    _check_one_input(source, text, example, None)
    story_text = _resolve_text(source, text, example)
    names: dict[str, str] = {}
    for item in rename or []:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InvalidOption(f"--rename takes OLD=NEW (e.g. --rename 李明=小林), got {item!r}.")
        names[old.strip()] = new.strip()
    options: dict[str, Any] = {}
    if backend is BackendChoice.openai:
        options = {"base_url": base_url, "model": llm_model, "redact": redact}
    elif backend is BackendChoice.llamacpp:
        options = {"model_path": str(model_path) if model_path else None}
    elif base_url or llm_model or model_path:
        raise InvalidOption("--base-url, --llm-model and --model-path need --backend openai or llamacpp.")
    fmt = fmt or WriteFormat.text
    live = stream and backend is not BackendChoice.builtin and fmt is WriteFormat.text and output is None \
        and sys.stdout.isatty()
    on_token = (lambda piece: (sys.stdout.write(piece), sys.stdout.flush())) if live else None

    from . import write

    story = write(
        story_text, target, pov=pov, style=style, length=length, language=lang.value if lang else None,
        close=close, keep_names=not names, names=names or None, gender=gender, backend=backend.value,
        backend_options={k: v for k, v in options.items() if v is not None}, n=candidates, seed=seed,
        engine=engine.value if engine else None, fallback=fallback, on_token=on_token,
    )
    if live:
        sys.stdout.write("\n\n")
    if fmt is WriteFormat.json:
        content = json.dumps(story.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt is WriteFormat.markdown:
        content = render_story_markdown(story)
    elif output is not None or not sys.stdout.isatty():
        content = render_story_text(story)
    else:
        render_story_terminal(story, _stdout_console())
        return
    _deliver(content, output, "the story")


def main() -> None:
    """Entry point of the ``storyloom`` console script."""
    try:
        app(prog_name="storyloom")
    except SystemExit:
        _flush_quietly()
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)


def _flush_quietly() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
