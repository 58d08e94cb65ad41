"""The story library (storyloom.store): migrations, cascades, transactions, export/import.

Each behaviour runs on SQLite and on a real PostgreSQL server (tests/_postgres.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from _postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
from sqlalchemy import create_engine, func, inspect, select, text

import storyloom
from storyloom.store import Conflict, NotFound, db, make_engine, migrate, open_store
from storyloom.store.models import Analysis, Base, Feedback, Share, StoryTag, Version
from storyloom.store.repository import EXPORT_SCHEMA, Store

STORY = "Tonight I walked home alone in the cold. An old woman smiled at me and I felt warm."


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'library.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(url: str):  # type: ignore[no-untyped-def]
    s = open_store(url)
    yield s
    s.dispose()


def _schema(engine) -> dict[str, tuple[list[str], list[tuple[str, ...]], list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    insp = inspect(engine)
    out = {}
    for table in insp.get_table_names():
        if table == "alembic_version":
            continue
        columns = sorted(c["name"] for c in insp.get_columns(table))
        indexes = sorted(tuple(i["column_names"]) for i in insp.get_indexes(table))
        fks = sorted((fk["referred_table"], fk.get("options", {}).get("ondelete") or "")
                     for fk in insp.get_foreign_keys(table))
        out[table] = (columns, indexes, [(t, o.upper()) for t, o in fks])
    return out


def test_store_migration_matches_models(url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    migrate(url)
    migrated = make_engine(url)
    if url.startswith("sqlite"):
        reference = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
        Base.metadata.create_all(reference)
        assert _schema(migrated) == _schema(reference)
    else:  # compare with Alembic's autogenerate: no difference between models and the migrated schema
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        with migrated.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    with migrated.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    migrate(url)  # idempotent
    migrated.dispose()


def test_store_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x' / 'nested.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_store_default_url_in_user_data_dir(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("STORYLOOM_DATABASE_URL", raising=False)
    monkeypatch.delenv("STORYLOOM_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert db.default_url() == f"sqlite:///{tmp_path / 'storyloom' / 'storyloom.db'}"
    monkeypatch.setenv("STORYLOOM_DATABASE_URL", "postgres://u@h/db")
    assert db.normalize_url(db.default_url()) == "postgresql+psycopg://u@h/db"
    assert db.dialect("postgres://u@h/db") == "postgresql"


def _full_story(store: Store) -> tuple[int, int]:
    report = storyloom.analyze(STORY).to_dict()
    with store.session() as repo:
        user = repo.create_user("alice", "hash")
        story, analysis = repo.create_story(user.id, STORY, report, tags=["night", "kindness", "night "],
                                            written_on=dt.date(2024, 1, 2))
        repo.add_version(user.id, story.id, {"schema": "storyloom.story/1", "title": "t", "text": "new",
                                             "target": {"emotion": "joy", "label": "joy"}, "seed": 3,
                                             "backend": "builtin", "candidates": [{"score": {"total": 0.1}}]})
        repo.add_feedback(user.id, story.id, "love", "positive", "it was warm")
        teacher = repo.create_user("teacher", "hash", role="teacher")
        group = repo.create_group(teacher, "class")
        repo.add_member(teacher.id, group.id, "alice")
        repo.share_story(user.id, story.id, group.id)
        assert analysis is not None and analysis.dominant_emotion == report["dominant_emotion"]
        assert story.tag_names == ["kindness", "night"]
        return user.id, story.id


def test_store_delete_story_cascades(store: Store) -> None:
    user_id, story_id = _full_story(store)
    with store.session() as repo:
        repo.delete_story(user_id, story_id)
    with store.session() as repo:
        for model in (Analysis, Version, Feedback, StoryTag, Share):
            assert repo.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
        with pytest.raises(NotFound):
            repo.get_story(user_id, story_id)


def test_store_writes_are_transactional(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as repo:
        user = repo.create_user("bob", "hash")
        repo.create_story(user.id, "half-written", None)
        raise RuntimeError("crash mid-transaction")
    with store.session() as repo:
        assert repo.user_by_name("bob") is None
    with store.session() as repo:
        repo.create_user("carol", "hash")
    with pytest.raises(Conflict), store.session() as repo:
        repo.create_user("carol", "other")


def test_store_owner_filter(store: Store) -> None:
    user_id, story_id = _full_story(store)
    with store.session() as repo:
        other = repo.create_user("mallory", "hash")
        with pytest.raises(NotFound):
            repo.get_story(other.id, story_id)
        with pytest.raises(NotFound):
            repo.delete_story(other.id, story_id)
        assert repo.list_stories(other.id) == ([], 0)
        assert repo.list_stories(user_id, q="OLD WOMAN")[1] == 1
        assert repo.list_stories(user_id, q="100%")[1] == 0  # wildcards are escaped
        assert repo.list_stories(user_id, tag="night")[1] == 1


def test_store_export_import_round_trip(store: Store) -> None:
    user_id, _ = _full_story(store)
    with store.session() as repo:
        document = repo.export_all(repo.get_user(user_id))  # type: ignore[arg-type]
        other = repo.create_user("newcomer", "hash")
        assert document["schema"] == EXPORT_SCHEMA
        assert repo.import_all(other.id, document) == 1
        again = repo.export_all(other)
    a, b = document["stories"][0], again["stories"][0]
    for key in ("title", "text", "tags", "written_on", "language", "created_at"):
        assert a[key] == b[key], key
    assert [x["report"] for x in a["analyses"]] == [x["report"] for x in b["analyses"]]
    assert [x["story"] for x in a["versions"]] == [x["story"] for x in b["versions"]]
    assert [(x["emotion"], x["note"]) for x in a["feedback"]] == [(x["emotion"], x["note"]) for x in b["feedback"]]


def test_store_session_expiry(store: Store) -> None:
    with store.session() as repo:
        user = repo.create_user("dave", "hash")
        live, _ = repo.create_session(user.id, dt.timedelta(hours=1))
        dead, _ = repo.create_session(user.id, dt.timedelta(seconds=-1))
    with store.session() as repo:
        assert repo.session_user(live)[0].username == "dave"  # type: ignore[index]
        assert repo.session_user(dead) is None
        assert repo.session_user("forged") is None
