"""The story library: users, stories, analyses, generated versions, feedback
labels, batch jobs and groups, in SQLite (default) or PostgreSQL.

>>> from storyloom.store import open_store                     # doctest: +SKIP
>>> store = open_store("sqlite:///stories.db")                 # doctest: +SKIP
>>> with store.session() as repo: ...                          # doctest: +SKIP

The schema is managed by Alembic migrations shipped in
``storyloom/store/migrations``; :func:`migrate` upgrades a database to head.
"""

from __future__ import annotations

from pathlib import Path

from .db import data_dir, default_url, dialect, make_engine, normalize_url, session_factory
from .errors import Conflict, Forbidden, NotFound

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None):  # type: ignore[no-untyped-def]
    """An Alembic ``Config`` pointing at the shipped migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default :func:`default_url`) to ``revision``."""
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def open_store(url: str | None = None, *, upgrade: bool = True):  # type: ignore[no-untyped-def]
    """A :class:`~storyloom.store.repository.Store` for ``url``, migrated to head first."""
    from .repository import Store

    if upgrade:
        migrate(url)
    return Store(make_engine(url))


__all__ = [
    "Conflict", "Forbidden", "MIGRATIONS_DIR", "NotFound", "alembic_config", "data_dir", "default_url",
    "dialect", "make_engine", "migrate", "normalize_url", "open_store", "session_factory",
]
