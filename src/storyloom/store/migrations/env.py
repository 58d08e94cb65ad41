"""Alembic environment for the story library.

Run programmatically by :func:`storyloom.store.migrate` (which passes an open
connection in ``config.attributes["connection"]``), or from a shell with
``alembic -x url=sqlite:///path.db upgrade head`` using the ``alembic.ini``
beside this file.
"""

from __future__ import annotations

from alembic import context

from storyloom.store.db import make_engine
from storyloom.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can't ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("StoryLoom migrations run online only (alembic upgrade head).")
run_migrations_online()
