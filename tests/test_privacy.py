"""People and privacy (issue #6 §3), against SQLite and a real PostgreSQL server.

User B must not read, list, search, change, export, version, label, share or
delete user A's story by id; a teacher sees only what members shared with the
teacher's group, and members see nothing of each other.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from _postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
from fastapi.testclient import TestClient

from storyloom.server import ServerSettings, create_app


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for tests only (the server uses argon2-cffi's defaults)."""
    from argon2 import PasswordHasher

    from storyloom.server import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(auth, "_dummy_hash", None)

SECRET = "My secret diary: tonight I cried alone in the rain, and nobody knew."
OTHER = "I shared this one with my class: the old woman smiled at me and I felt warm."


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'privacy.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    application = create_app(ServerSettings(database_url=url, accounts=True, host="0.0.0.0", rate_per_second=0.0))
    yield application
    application.state.store.dispose()


class Person:
    """A browser of its own (cookie jar) that sends its CSRF token."""

    def __init__(self, app, username: str, role: str = "user") -> None:  # type: ignore[no-untyped-def]
        self.client = TestClient(app, base_url="https://studio.example")
        response = self.client.post("/api/auth/register",
                                    json={"username": username, "password": "a long password", "role": role})
        assert response.status_code == 201, response.text
        self.csrf = response.json()["csrf_token"]
        self.username = username

    def __getattr__(self, method: str):  # type: ignore[no-untyped-def]
        def call(path: str, **kwargs):  # type: ignore[no-untyped-def]
            headers = {"x-csrf-token": self.csrf, **kwargs.pop("headers", {})}
            return self.client.request(method.upper(), path, headers=headers, **kwargs)
        return call


@pytest.fixture
def people(app) -> Iterator[tuple[Person, Person, Person]]:  # type: ignore[no-untyped-def]
    yield Person(app, "alice"), Person(app, "bob"), Person(app, "teacher", role="teacher")


def test_privacy_session_cookie_is_secure_on_https(people) -> None:  # type: ignore[no-untyped-def]
    alice, _, _ = people
    response = alice.client.post("/api/auth/login", json={"username": "alice", "password": "a long password"})
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_privacy_other_users_cannot_touch_a_story(people) -> None:  # type: ignore[no-untyped-def]
    alice, bob, _ = people
    story = alice.post("/api/stories", json={"text": SECRET, "tags": ["diary"]}).json()
    sid = story["id"]
    version = alice.post(f"/api/stories/{sid}/versions",
                         json={"story": {"schema": "storyloom.story/1", "text": "rewritten"}}).json()
    assert alice.post(f"/api/stories/{sid}/feedback", json={"emotion": "sadness"}).status_code == 201
    batch = alice.post("/api/batches", files={"file": ("d.csv", f"text\n{SECRET}\n".encode())}).json()

    attempts = [
        ("get", f"/api/stories/{sid}", {}),
        ("patch", f"/api/stories/{sid}", {"json": {"title": "pwned"}}),
        ("patch", f"/api/stories/{sid}", {"json": {"text": "overwritten by bob"}}),
        ("delete", f"/api/stories/{sid}", {}),
        ("get", f"/api/stories/{sid}/analyses", {}),
        ("get", f"/api/stories/{sid}/versions", {}),
        ("post", f"/api/stories/{sid}/versions", {"json": {"story": {"text": "bob's"}}}),
        ("delete", f"/api/versions/{version['id']}", {}),
        ("post", f"/api/stories/{sid}/feedback", {"json": {"emotion": "joy"}}),
        ("post", f"/api/stories/{sid}/share", {"json": {"group_id": 1}}),
        ("post", "/api/write", {"json": {"story_id": sid, "save": True}}),
        ("get", f"/api/batches/{batch['id']}", {}),
        ("get", f"/api/batches/{batch['id']}/csv", {}),
        ("get", f"/api/batches/{batch['id']}/rows/1", {}),
    ]
    for method, path, kwargs in attempts:
        response = getattr(bob, method)(path, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json()["error"]["code"] == "E404"
        assert "diary" not in response.text and "secret" not in response.text.lower()

    listing = bob.get("/api/stories").json()
    assert listing == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert bob.get("/api/stories", params={"q": "secret"}).json()["total"] == 0
    assert bob.get("/api/stories", params={"tag": "diary"}).json()["total"] == 0
    assert bob.get("/api/timeline").json() == []
    assert bob.get("/api/feedback/export").text.strip() == "text,label,story_id"
    assert SECRET not in bob.get("/api/export", params={"format": "json"}).text
    archive = zipfile.ZipFile(io.BytesIO(bob.get("/api/export").content))
    assert archive.namelist() == ["stories.json"]
    assert json.loads(archive.read("stories.json"))["stories"] == []

    # Alice's story came through every attempt untouched, with its version and label.
    after = alice.get(f"/api/stories/{sid}").json()
    assert (after["text"], after["title"]) == (SECRET, story["title"])
    assert len(alice.get(f"/api/stories/{sid}/versions").json()) == 1
    assert len(alice.get(f"/api/stories/{sid}/analyses").json()) == 1
    assert alice.get("/api/feedback/export").text.count("\n") == 2
    assert SECRET in alice.get("/api/export", params={"format": "json"}).text


def test_privacy_signed_out_sees_nothing(app, people) -> None:  # type: ignore[no-untyped-def]
    alice, _, _ = people
    sid = alice.post("/api/stories", json={"text": SECRET}).json()["id"]
    stranger = TestClient(app, base_url="https://studio.example")
    for method, path in (("get", "/api/stories"), ("get", f"/api/stories/{sid}"), ("delete", f"/api/stories/{sid}"),
                         ("get", "/api/export"), ("get", "/api/timeline"), ("post", "/api/analyze"),
                         ("get", "/api/me"), ("get", "/api/groups")):
        response = stranger.request(method.upper(), path, json={"text": "x"} if method == "post" else None)
        assert response.status_code == 401 and response.json()["error"]["code"] == "E401", path
    forged = TestClient(app, base_url="https://studio.example", cookies={"storyloom_session": "guess"})
    assert forged.get(f"/api/stories/{sid}").status_code == 401


def test_privacy_teacher_sees_only_what_is_shared(people) -> None:  # type: ignore[no-untyped-def]
    alice, bob, teacher = people
    secret = alice.post("/api/stories", json={"text": SECRET}).json()["id"]
    shared = alice.post("/api/stories", json={"text": OTHER}).json()["id"]
    bobs = bob.post("/api/stories", json={"text": "Bob's private story about his exam, which went badly."}).json()["id"]

    denied = alice.post("/api/groups", json={"name": "mine"})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "E405"
    group = teacher.post("/api/groups", json={"name": "class 3"})
    assert group.status_code == 201
    gid = group.json()["id"]
    for name in ("alice", "bob"):
        assert teacher.post(f"/api/groups/{gid}/members", json={"username": name}).status_code == 201
    assert teacher.post(f"/api/groups/{gid}/members", json={"username": "ghost"}).status_code == 404
    assert alice.post(f"/api/groups/{gid}/members", json={"username": "bob"}).status_code == 404
    assert [g["role"] for g in alice.get("/api/groups").json()] == ["member"]

    assert teacher.get(f"/api/groups/{gid}/stories").json() == []  # membership alone shares nothing
    assert alice.post(f"/api/stories/{shared}/share", json={"group_id": gid}).status_code == 201
    seen = teacher.get(f"/api/groups/{gid}/stories").json()
    assert [(s["id"], s["owner"], s["text"]) for s in seen] == [(shared, "alice", OTHER)]
    assert SECRET not in teacher.get(f"/api/groups/{gid}/stories").text

    # The teacher reaches shared stories only through the group view, never by id.
    for sid in (secret, shared, bobs):
        assert teacher.get(f"/api/stories/{sid}").status_code == 404
    assert teacher.get("/api/stories").json()["total"] == 0
    # Members don't see the group's shared stories, nor can they share into groups they are not in.
    assert bob.get(f"/api/groups/{gid}/stories").status_code == 404
    other_group = teacher.post("/api/groups", json={"name": "class 4"}).json()["id"]
    assert alice.post(f"/api/stories/{secret}/share", json={"group_id": other_group}).status_code == 404
    assert teacher.post(f"/api/stories/{shared}/share", json={"group_id": gid}).status_code == 404

    assert alice.delete(f"/api/stories/{shared}/share/{gid}").status_code == 204
    assert teacher.get(f"/api/groups/{gid}/stories").json() == []
    alice.post(f"/api/stories/{shared}/share", json={"group_id": gid})
    assert alice.delete(f"/api/stories/{shared}").status_code == 204  # deleting also un-shares
    assert teacher.get(f"/api/groups/{gid}/stories").json() == []
