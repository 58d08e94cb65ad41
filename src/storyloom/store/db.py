"""Database engines: SQLite in the user's data directory by default, or any
PostgreSQL URL from ``STORYLOOM_DATABASE_URL`` for a shared deployment.

SQLite connections run with ``foreign_keys=ON`` (so deleting a story deletes its
analyses, versions and feedback), WAL journaling (readers never block the
writer) and a 5 s busy timeout (several server processes may share the file).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000  # wait this long for another process's write lock


def data_dir() -> Path:
    """Where StoryLoom keeps the user's library (created on first use).

    ``$STORYLOOM_DATA_DIR`` if set, else ``$XDG_DATA_HOME/storyloom``, else
    ``~/.local/share/storyloom``.
    """
    explicit = os.environ.get("STORYLOOM_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "storyloom"


def default_url() -> str:
    """``$STORYLOOM_DATABASE_URL``, else a SQLite file in :func:`data_dir`."""
    url = os.environ.get("STORYLOOM_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'storyloom.db'}"


def normalize_url(url: str) -> str:
    """Accept plain ``postgres://`` / ``postgresql://`` URLs and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def dialect(url: str) -> str:
    """``"sqlite"`` or ``"postgresql"`` (the backend name of ``url``)."""
    return make_url(normalize_url(url)).get_backend_name()


def make_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    """An engine for ``url`` (default :func:`default_url`); SQLite parents are created."""
    url = normalize_url(url or default_url())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
