"""The studio HTTP API (docs/api-contract.md): every endpoint, and every error code.

Local mode runs against a SQLite file in tmp_path; accounts mode tests are at
the end (the privacy rules between users are in tests/test_privacy.py).
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import storyloom
from storyloom.labels import read_labels
from storyloom.server import ServerSettings, create_app


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for tests only (the server uses argon2-cffi's defaults)."""
    from argon2 import PasswordHasher

    from storyloom.server import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(auth, "_dummy_hash", None)

STORY = "Tonight I walked home alone in the cold. An old woman smiled at me and I felt warm."
STORY_ZH = "尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。我心里暖暖的。"
LOCAL = "http://127.0.0.1:8000"


def make_client(tmp_path: Path, name: str = "api.db", **overrides: object) -> TestClient:
    options: dict[str, object] = {"database_url": f"sqlite:///{tmp_path / name}", "rate_per_second": 0.0}
    options.update(overrides)
    return TestClient(create_app(ServerSettings(**options)), base_url=LOCAL)  # type: ignore[arg-type]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as c:
        yield c


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body["error"]) == {"code", "type", "message"}
    assert body["error"]["message"]
    return body["error"]["code"]


def new_story(client: TestClient, text: str = STORY, **fields: object) -> dict:
    response = client.post("/api/stories", json={"text": text, **fields})
    assert response.status_code == 201, response.text
    return response.json()


# -- service ---------------------------------------------------------------------------


def test_server_health_and_config(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health == {"status": "ok", "version": storyloom.__version__, "mode": "local", "db": "sqlite"}
    config = client.get("/api/config").json()
    assert config["mode"] == "local" and "builtin" in config["backends"]
    assert config["emotions"][:2] == ["joy", "love"] and config["user"]["username"] == "local"
    assert config["limits"]["max_json_bytes"] == 1024 * 1024 and config["limits"]["max_chars"] == 100_000
    me = client.get("/api/me").json()
    assert me["username"] == "local" and me["mode"] == "local" and me["csrf_token"] is None


def test_server_openapi_docs_and_static(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    routes = sorted(f"{m.upper()} {p}" for p, ops in paths.items() for m in ops)
    snapshot = Path(__file__).parent / "data" / "server_routes.txt"
    assert routes == snapshot.read_text(encoding="utf-8").split("\n")[:-1], "API changed: update the contract"
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"


def test_server_unknown_endpoint_is_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and error_code(response) == "E404"
    response = client.put("/api/stories")
    assert response.status_code == 405 and error_code(response) == "E404"


# -- analyse ----------------------------------------------------------------------------


def test_server_analyze_returns_report(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": STORY_ZH})
    assert response.status_code == 200
    report = response.json()
    assert report["schema"] == "storyloom.report/1" and report["language"] == "zh"
    assert abs(sum(report["emotions"].values()) - 1) < 1e-3
    assert report == json.loads(storyloom.analyze(STORY_ZH).to_json())
    html = client.post("/api/analyze?format=html", json={"text": STORY})
    assert html.status_code == 200 and html.text.lstrip().lower().startswith("<!doctype html")
    md = client.post("/api/analyze?format=markdown", json={"text": STORY, "lang": "en", "engine": "lexicon"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"text": "   "}, 400, "E101"),
    ({"text": "😀😀"}, 400, "E101"),
    ({"text": "a " * 50_001}, 413, "E102"),
    ({"text": "hello there", "lang": "fr"}, 400, "E105"),
    ({"text": "hello there", "engine": "bogus"}, 422, "E108"),
    ({}, 422, "E422"),
    ({"text": 42}, 422, "E422"),
])
def test_server_analyze_errors(client: TestClient, body: dict, status: int, code: str) -> None:
    response = client.post("/api/analyze", json=body)
    assert response.status_code == status and error_code(response) == code


def test_server_analyze_bad_query_and_bad_json(client: TestClient) -> None:
    response = client.post("/api/analyze?format=pdf", json={"text": STORY})
    assert response.status_code == 422 and error_code(response) == "E422"
    response = client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and error_code(response) == "E422"


def test_server_body_size_limit(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": "x" * (1024 * 1024)})
    assert response.status_code == 413 and error_code(response) == "E413"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 65536
        yield b'"}'

    response = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and error_code(response) == "E413"


def test_server_analysis_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*_args: object, **_kwargs: object) -> None:
        time.sleep(1.0)

    monkeypatch.setattr(storyloom, "analyze", slow)
    with make_client(tmp_path, analyze_timeout=0.1) as c:
        response = c.post("/api/analyze", json={"text": STORY})
    assert response.status_code == 504 and error_code(response) == "E431"


def test_server_internal_error_hides_details(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(storyloom, "analyze", broken)
    c = TestClient(create_app(ServerSettings(database_url=f"sqlite:///{tmp_path / 'e.db'}")), base_url=LOCAL,
                   raise_server_exceptions=False)
    response = c.post("/api/analyze", json={"text": STORY})
    assert response.status_code == 500 and error_code(response) == "E500"
    assert "secret" not in response.text


def test_server_rate_limit(tmp_path: Path) -> None:
    with make_client(tmp_path, rate_per_second=0.5, rate_burst=3) as c:
        codes = [c.get("/api/stories").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        response = c.get("/api/stories")
        assert error_code(response) == "E429" and int(response.headers["retry-after"]) >= 1
        assert c.get("/api/health").status_code == 200  # never limited


def test_server_local_mode_refuses_foreign_sites(client: TestClient) -> None:
    response = client.get("/api/stories", headers={"host": "attacker.example"})  # DNS rebinding
    assert response.status_code == 403 and error_code(response) == "E403"
    response = client.post("/api/stories", json={"text": STORY}, headers={"origin": "http://attacker.example"})
    assert response.status_code == 403 and error_code(response) == "E403"
    response = client.post("/api/stories", json={"text": STORY}, headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403 and error_code(response) == "E403"
    same_site = client.post("/api/stories", json={"text": STORY}, headers={"origin": LOCAL})
    assert same_site.status_code == 201


def test_server_refuses_network_without_accounts(tmp_path: Path) -> None:
    with pytest.raises(storyloom.StoryLoomError) as info:
        create_app(ServerSettings(database_url=f"sqlite:///{tmp_path / 'n.db'}", host="0.0.0.0"))
    assert info.value.code == "E108" and "STORYLOOM_AUTH=1" in info.value.message


# -- stories ------------------------------------------------------------------------------


def test_server_story_crud(client: TestClient) -> None:
    story = new_story(client, tags=["night", "kindness"], written_on="2024-01-02", title="Walking home")
    assert set(story) >= {"id", "title", "text", "tags", "written_on", "created_at", "updated_at", "language",
                          "polarity", "intensity", "dominant_emotion", "valence", "safety_risk"}
    assert story["tags"] == ["kindness", "night"] and story["language"] == "en"
    sid = story["id"]
    full = client.get(f"/api/stories/{sid}").json()
    assert full["analysis"] == storyloom.analyze(STORY).to_dict()  # the full Report is stored
    assert full["analysis"]["themes"] and full["analysis"]["style"]

    new_story(client, STORY_ZH, tags=["family"])
    listing = client.get("/api/stories").json()
    assert listing["total"] == 2 and listing["items"][0]["language"] == "zh"  # newest first
    assert client.get("/api/stories", params={"q": "old WOMAN"}).json()["total"] == 1
    assert client.get("/api/stories", params={"tag": "family"}).json()["items"][0]["language"] == "zh"
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and [s["id"] for s in page["items"]] == [sid]

    renamed = client.patch(f"/api/stories/{sid}", json={"title": "Home", "tags": ["night"], "written_on": None})
    assert renamed.status_code == 200
    assert (renamed.json()["title"], renamed.json()["tags"], renamed.json()["written_on"]) == ("Home", ["night"], None)
    assert len(client.get(f"/api/stories/{sid}/analyses").json()) == 1
    changed = client.patch(f"/api/stories/{sid}", json={"text": "I was terrified and alone in the dark."}).json()
    assert changed["analysis"]["text"].startswith("I was terrified")
    analyses = client.get(f"/api/stories/{sid}/analyses").json()
    assert len(analyses) == 2 and analyses[0]["schema"] == "storyloom.report/1"
    assert changed["polarity"] == analyses[-1]["report"]["sentiment"]["polarity"]

    assert client.delete(f"/api/stories/{sid}").status_code == 204
    assert client.get("/api/stories").json()["total"] == 1


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/api/stories/999", None),
    ("patch", "/api/stories/999", {"title": "x"}),
    ("delete", "/api/stories/999", None),
    ("get", "/api/stories/999/analyses", None),
    ("get", "/api/stories/999/versions", None),
    ("post", "/api/stories/999/versions", {"story": {"text": "x"}}),
    ("delete", "/api/versions/999", None),
    ("post", "/api/stories/999/feedback", {"emotion": "joy"}),
    ("get", "/api/batches/999", None),
    ("get", "/api/batches/999/csv", None),
    ("post", "/api/write", {"story_id": 999}),
])
def test_server_not_found(client: TestClient, method: str, path: str, body: dict | None) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 404 and error_code(response) == "E404"


def test_server_story_validation(client: TestClient) -> None:
    for body in ({"text": STORY, "written_on": "yesterday"}, {"text": STORY, "tags": "not-a-list"},
                 {"text": STORY, "title": "t" * 201}):
        response = client.post("/api/stories", json=body)
        assert response.status_code == 422 and error_code(response) == "E422"
    response = client.post("/api/stories", json={"text": ""})
    assert response.status_code == 400 and error_code(response) == "E101"
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422


# -- versions, feedback, timeline ------------------------------------------------------------


def test_server_versions(client: TestClient) -> None:
    sid = new_story(client)["id"]
    generated = {"schema": "storyloom.story/1", "title": "A warm night", "text": "You walked home…",
                 "backend": "builtin", "seed": 7, "target": {"emotion": "joy", "label": "hopeful"},
                 "candidates": [{"score": {"total": 0.2}}, {"score": {"total": 0.4}}]}
    created = client.post(f"/api/stories/{sid}/versions", json={"story": generated})
    assert created.status_code == 201
    version = created.json()
    assert (version["target"], version["backend"], version["seed"], version["title"]) == (
        "hopeful", "builtin", 7, "A warm night")
    assert version["scores"] == [{"total": 0.2}, {"total": 0.4}] and version["story"] == generated
    assert [v["id"] for v in client.get(f"/api/stories/{sid}/versions").json()] == [version["id"]]
    bad = client.post(f"/api/stories/{sid}/versions", json={"story": {"schema": "storyloom.report/1"}})
    assert bad.status_code == 422 and error_code(bad) == "E422"
    assert client.delete(f"/api/versions/{version['id']}").status_code == 204
    assert client.get(f"/api/stories/{sid}/versions").json() == []


def test_server_feedback_is_a_training_label(client: TestClient, tmp_path: Path) -> None:
    sid = new_story(client)["id"]
    zh = new_story(client, STORY_ZH)["id"]
    first = client.post(f"/api/stories/{sid}/feedback", json={"emotion": "love", "polarity": "positive",
                                                               "note": "it was kindness"})
    assert first.status_code == 201 and first.json()["emotion"] == "love"
    assert client.post(f"/api/stories/{zh}/feedback", json={"emotion": "乐"}).json()["emotion"] == "joy"
    for body in ({"emotion": "happy-ish"}, {"emotion": "joy", "polarity": "sideways"}):
        response = client.post(f"/api/stories/{sid}/feedback", json=body)
        assert response.status_code == 422 and error_code(response) == "E108"

    exported = client.get("/api/feedback/export")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    path = tmp_path / "labels.csv"
    path.write_bytes(exported.content)
    labels = read_labels(path, "emotion")  # exactly what `storyloom train emotion` reads
    assert list(labels.labels) == ["love", "joy"] and list(labels.texts) == [STORY, STORY_ZH]
    jsonl = client.get("/api/feedback/export", params={"format": "jsonl", "task": "polarity"})
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert rows == [{"text": STORY, "label": "positive", "story_id": sid}]
    assert client.get("/api/feedback/export", params={"format": "xml"}).status_code == 422


def test_server_timeline_oldest_first(client: TestClient) -> None:
    late = new_story(client, STORY, written_on="2024-05-01")["id"]
    early = new_story(client, STORY_ZH, written_on="2023-01-01")["id"]
    timeline = client.get("/api/timeline").json()
    assert [t["story_id"] for t in timeline] == [early, late]
    assert set(timeline[0]) >= {"story_id", "title", "written_on", "valence", "arousal", "dominant_emotion",
                                "polarity", "intensity"}
    assert 1 <= timeline[0]["valence"] <= 9


# -- batches ------------------------------------------------------------------------------------


def wait_for_batch(client: TestClient, batch_id: int) -> dict:
    for _ in range(300):
        job = client.get(f"/api/batches/{batch_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("batch did not finish")


def test_server_batch_csv(client: TestClient) -> None:
    upload = f"id,text\na,\"{STORY}\"\nb,{STORY_ZH}\nc,😀\n".encode()
    response = client.post("/api/batches", files={"file": ("stories.csv", upload, "text/csv")})
    assert response.status_code == 202
    created = response.json()
    assert created["total"] == 3 and created["status"] in ("queued", "running", "done")
    job = wait_for_batch(client, created["id"])
    assert job["status"] == "done" and job["done"] == 3
    a, b, c = job["rows"]
    assert a["id"] == "a" and a["pov"] == "first" and a["arc"] and "kindness" in a["themes"]
    assert set(a) >= {"polarity", "intensity", "dominant_emotion", "arc", "pov", "length", "readability", "themes"}
    assert b["id"] == "b" and b["dominant_emotion"]
    assert c["error"]["code"] == "E101"  # a bad story is a row with an error, not a failed batch
    table = list(csv.DictReader(io.StringIO(client.get(f"/api/batches/{created['id']}/csv").text)))
    assert [r["id"] for r in table] == ["a", "b", "c"] and table[2]["error"].startswith("E101")


def test_server_batch_jsonl_and_zip(client: TestClient) -> None:
    lines = "\n".join(json.dumps({"id": i, "text": t}) for i, t in (("x", STORY), ("y", STORY_ZH)))
    job = client.post("/api/batches", files={"file": ("s.jsonl", lines.encode(), "application/x-ndjson")}).json()
    assert [r["id"] for r in wait_for_batch(client, job["id"])["rows"]] == ["x", "y"]

    import docx

    document = docx.Document()
    document.add_paragraph(STORY)
    docx_bytes = io.BytesIO()
    document.save(docx_bytes)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("one.txt", STORY_ZH)
        z.writestr("two.docx", docx_bytes.getvalue())
        z.writestr("__MACOSX/._one.txt", "junk")
    job = client.post("/api/batches", files={"file": ("stories.zip", archive.getvalue(), "application/zip")}).json()
    rows = wait_for_batch(client, job["id"])["rows"]
    assert [r["id"] for r in rows] == ["one.txt", "two.docx"] and rows[1]["pov"] == "first"


def test_server_batch_row_report(client: TestClient) -> None:
    upload = f"id,text\nfirst,\"{STORY}\"\n".encode()
    job = wait_for_batch(client, client.post("/api/batches", files={"file": ("s.csv", upload)}).json()["id"])
    row = client.get(f"/api/batches/{job['id']}/rows/first").json()
    assert row["id"] == "first" and row["text"] == STORY and row["report"]["schema"] == "storyloom.report/1"
    missing = client.get(f"/api/batches/{job['id']}/rows/nope")
    assert missing.status_code == 404 and error_code(missing) == "E404"


def test_server_batch_progress_is_in_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress is written while the batch runs, and another server process on the same database reads it."""
    from storyloom.server import batch

    real = storyloom.analyze

    def slow(*args: object, **kwargs: object) -> storyloom.Report:
        time.sleep(0.1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storyloom, "analyze", slow)
    monkeypatch.setattr(batch, "PROGRESS_EVERY_S", 0.0)
    with make_client(tmp_path, "shared.db") as first, make_client(tmp_path, "shared.db") as second:
        upload = ("text\n" + "\n".join([STORY] * 12) + "\n").encode()
        batch_id = first.post("/api/batches", files={"file": ("s.csv", upload)}).json()["id"]
        seen = set()
        for _ in range(400):
            job = second.get(f"/api/batches/{batch_id}").json()
            seen.add(job["done"])
            if job["status"] == "done":
                break
            time.sleep(0.02)
        assert job["status"] == "done" and job["done"] == 12 and len(job["rows"]) == 12
        assert any(0 < n < 12 for n in seen), seen


@pytest.mark.parametrize(("name", "content", "code"), [
    ("s.jsonl", b'{"id": 1, "text": "fine"}\n{broken\n', "E107"),
    ("s.pdf", b"%PDF-1.4", "E415"),
    ("s.csv", b"id,body\n1,hello\n", "E415"),
    ("s.zip", b"PK\x03\x04broken", "E415"),
    ("s.csv", b"", "E415"),
])
def test_server_batch_bad_uploads(client: TestClient, name: str, content: bytes, code: str) -> None:
    response = client.post("/api/batches", files={"file": (name, content)})
    assert response.status_code == 400 and error_code(response) == code


def test_server_batch_limits(tmp_path: Path) -> None:
    with make_client(tmp_path, max_upload_bytes=2000, batch_max_items=2) as c:
        big = c.post("/api/batches", files={"file": ("s.txt", b"a" * 3000)})
        assert big.status_code == 413 and error_code(big) == "E413"
        many = c.post("/api/batches", files={"file": ("s.csv", b"text\none\ntwo\nthree\n")})
        assert many.status_code == 400 and error_code(many) == "E415"
        missing = c.post("/api/batches")
        assert missing.status_code == 422 and error_code(missing) == "E422"


# -- export and import ----------------------------------------------------------------------------


def test_server_export_and_import(tmp_path: Path) -> None:
    with make_client(tmp_path, "a.db") as a:
        sid = new_story(a, tags=["night"], written_on="2024-01-02")["id"]
        a.post(f"/api/stories/{sid}/feedback", json={"emotion": "love"})
        a.post(f"/api/stories/{sid}/versions", json={"story": {"schema": "storyloom.story/1", "text": "v"}})
        exported = a.get("/api/export")
        assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
        assert "attachment" in exported.headers["content-disposition"]
        archive = zipfile.ZipFile(io.BytesIO(exported.content))
        assert sorted(archive.namelist()) == ["stories.json", f"stories/{sid}.html", f"stories/{sid}.md"]
        assert STORY in archive.read(f"stories/{sid}.md").decode()
        assert archive.read(f"stories/{sid}.html").decode().lstrip().lower().startswith("<!doctype html")
        document = a.get("/api/export", params={"format": "json"}).json()
        in_zip = json.loads(archive.read("stories.json"))
        assert {**document, "exported_at": None} == {**in_zip, "exported_at": None}
        assert a.get("/api/export", params={"format": "tar"}).status_code == 422
    with make_client(tmp_path, "b.db") as b:
        imported = b.post("/api/import", files={"file": ("export.zip", exported.content, "application/zip")})
        assert imported.status_code == 200 and imported.json() == {"imported": 1}
        again = b.post("/api/import", files={"file": ("stories.json", json.dumps(document).encode())})
        assert again.json() == {"imported": 1}
        stories = b.get("/api/stories").json()["items"]
        assert [s["text"] for s in stories] == [STORY, STORY]
        new_id = stories[0]["id"]
        assert b.get(f"/api/stories/{new_id}").json()["analysis"] == document["stories"][0]["analyses"][0]["report"]
        assert len(b.get(f"/api/stories/{new_id}/versions").json()) == 1
        assert b.get("/api/feedback/export", params={"format": "jsonl"}).text.count("\n") == 2
        for name, content in (("x.json", b"[1, 2]"), ("x.zip", b"PK\x03\x04nope"), ("x.txt", b"hello")):
            response = b.post("/api/import", files={"file": (name, content)})
            assert response.status_code == 400 and error_code(response) == "E415"
        wrong = b.post("/api/import", files={"file": ("x.json", b'{"schema": "other"}')})
        assert wrong.status_code == 422 and error_code(wrong) == "E108"


# -- write ----------------------------------------------------------------------------------------------


def test_server_write_json_and_save(client: TestClient) -> None:
    response = client.post("/api/write", json={"text": STORY, "target": "joy", "candidates": 1, "seed": 3})
    assert response.status_code == 200, response.text
    story = response.json()
    assert story["schema"] == "storyloom.story/1" and story["text"] and "version_id" not in story
    sid = new_story(client)["id"]
    saved = client.post("/api/write", json={"story_id": sid, "candidates": 1, "save": True}).json()
    assert saved["story_id"] == sid
    versions = client.get(f"/api/stories/{sid}/versions").json()
    assert [v["id"] for v in versions] == [saved["version_id"]] and versions[0]["text"] == saved["text"]


def test_server_write_streams_sse(client: TestClient) -> None:
    events = []
    with client.stream("POST", "/api/write", json={"text": STORY, "candidates": 1},
                       headers={"accept": "text/event-stream"}) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        for block in response.read().decode().split("\n\n"):
            if block.strip():
                kind, data = block.split("\n", 1)
                events.append((kind.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    kinds = [k for k, _ in events]
    assert kinds[0] == "token" and kinds[-1] == "done" and "error" not in kinds
    done = events[-1][1]
    assert done["schema"] == "storyloom.story/1"
    streamed = "".join(d["text"] for k, d in events if k == "token")
    assert streamed.strip() and (streamed == done["text"] or done["body"].startswith(streamed[:20]))


@pytest.mark.parametrize(("body", "status", "code"), [
    ({}, 422, "E422"),
    ({"text": STORY, "story_id": 1}, 422, "E422"),
    ({"text": STORY, "pov": "fourth"}, 422, "E108"),
    ({"text": STORY, "candidates": 99}, 422, "E108"),
    ({"text": "  "}, 400, "E101"),
])
def test_server_write_errors(client: TestClient, body: dict, status: int, code: str) -> None:
    response = client.post("/api/write", json=body)
    assert response.status_code == status and error_code(response) == code


def test_server_write_stream_reports_errors_as_events(client: TestClient) -> None:
    response = client.post("/api/write", json={"text": STORY, "pov": "fourth"},
                           headers={"accept": "text/event-stream"})
    kind, data = response.text.strip().split("\n", 1)
    assert kind == "event: error" and json.loads(data.removeprefix("data: "))["error"]["code"] == "E108"


class _FakeStory:
    def __init__(self, text: str) -> None:
        self.text = text

    def to_dict(self) -> dict:
        return {"schema": "storyloom.story/1", "text": self.text, "candidates": [{"text": self.text, "chosen": True}]}


def _sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.split("\n\n"):
        if block.strip():
            kind, data = block.split("\n", 1)
            events.append((kind.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return events


def test_server_write_streams_backend_tokens(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A backend that streams (a model server) reaches the browser token by token."""
    def fake_write(text: str, target: object = None, *, on_token=None, **options: object) -> _FakeStory:  # type: ignore[no-untyped-def]
        for token in ("Once ", "upon ", "a night."):
            on_token(token)
            time.sleep(0.01)
        return _FakeStory("Once upon a night.")

    monkeypatch.setattr(storyloom, "write", fake_write)
    response = client.post("/api/write", json={"text": STORY}, headers={"accept": "text/event-stream"})
    events = _sse_events(response.text)
    assert events[:3] == [("token", {"text": "Once "}), ("token", {"text": "upon "}), ("token", {"text": "a night."})]
    assert [k for k, _ in events[3:]] == ["candidate", "done"] and events[-1][1]["text"] == "Once upon a night."


def test_server_write_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_write(*_args: object, **_kwargs: object) -> _FakeStory:
        time.sleep(0.5)
        return _FakeStory("late")

    monkeypatch.setattr(storyloom, "write", slow_write)
    with make_client(tmp_path, write_timeout=0.1) as c:
        response = c.post("/api/write", json={"text": STORY})
        assert response.status_code == 504 and error_code(response) == "E431"
        streamed = c.post("/api/write", json={"text": STORY}, headers={"accept": "text/event-stream"})
        assert _sse_events(streamed.text) == [("error", {"error": {
            "code": "E431", "type": "AnalysisTimeout", "message": "The story was not written within 0.1 s."}})]


def test_server_write_backend_unavailable(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storyloom, "write", None)
    response = client.post("/api/write", json={"text": STORY})
    assert response.status_code == 503 and error_code(response) == "E450"


# -- accounts mode ----------------------------------------------------------------------------------------


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(ServerSettings(database_url=f"sqlite:///{tmp_path / 'acc.db'}", accounts=True,
                                    rate_per_second=0.0))
    with TestClient(app, base_url="http://studio.example") as c:
        yield c


def test_server_accounts_sign_in_flow(accounts: TestClient) -> None:
    c = accounts
    response = c.get("/api/stories")
    assert response.status_code == 401 and error_code(response) == "E401"
    assert c.get("/api/config").json()["user"] is None and c.get("/api/health").json()["mode"] == "accounts"

    registered = c.post("/api/auth/register", json={"username": "ana", "password": "correct horse"})
    assert registered.status_code == 201
    cookie = registered.headers["set-cookie"].lower()
    assert "storyloom_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    csrf = registered.json()["csrf_token"]
    assert c.get("/api/me").json()["csrf_token"] == csrf

    no_token = c.post("/api/stories", json={"text": STORY})
    assert no_token.status_code == 403 and error_code(no_token) == "E403"
    wrong = c.post("/api/stories", json={"text": STORY}, headers={"x-csrf-token": "forged"})
    assert wrong.status_code == 403 and error_code(wrong) == "E403"
    assert c.post("/api/stories", json={"text": STORY}, headers={"x-csrf-token": csrf}).status_code == 201

    assert c.post("/api/auth/logout").status_code == 204
    after = c.get("/api/stories")
    assert after.status_code == 401 and error_code(after) == "E401"

    bad = c.post("/api/auth/login", json={"username": "ana", "password": "wrong password"})
    assert bad.status_code == 401 and error_code(bad) == "E402"
    unknown = c.post("/api/auth/login", json={"username": "nobody", "password": "whatever1"})
    assert unknown.status_code == 401 and error_code(unknown) == "E402"
    login = c.post("/api/auth/login", json={"username": "ana", "password": "correct horse"})
    assert login.status_code == 200 and login.json()["csrf_token"] != csrf
    assert c.get("/api/stories").json()["total"] == 1


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"username": "ana", "password": "another one"}, 409, "E409"),
    ({"username": "local", "password": "another one"}, 409, "E409"),
    ({"username": "b", "password": "long enough"}, 422, "E422"),
    ({"username": "bea", "password": "short"}, 422, "E422"),
    ({"username": "bea", "password": "long enough", "role": "admin"}, 422, "E422"),
    ({"username": "bea"}, 422, "E422"),
])
def test_server_register_errors(accounts: TestClient, body: dict, status: int, code: str) -> None:
    assert accounts.post("/api/auth/register", json={"username": "ana", "password": "correct horse"}).is_success
    accounts.cookies.clear()
    response = accounts.post("/api/auth/register", json=body)
    assert response.status_code == status and error_code(response) == code


def test_server_sessions_work_across_processes(tmp_path: Path) -> None:
    """Two app instances on one database (as behind a load balancer) share sign-ins."""
    settings = ServerSettings(database_url=f"sqlite:///{tmp_path / 'lb.db'}", accounts=True, rate_per_second=0.0)
    one = TestClient(create_app(settings), base_url="http://studio.example")
    two = TestClient(create_app(settings), base_url="http://studio.example")
    csrf = one.post("/api/auth/register", json={"username": "ana", "password": "correct horse"}).json()["csrf_token"]
    two.cookies = one.cookies
    created = two.post("/api/stories", json={"text": STORY}, headers={"x-csrf-token": csrf})
    assert created.status_code == 201
    assert one.get(f"/api/stories/{created.json()['id']}").json()["text"] == STORY
    assert one.post("/api/auth/logout").status_code == 204
    assert two.get("/api/stories").status_code == 401


def test_server_cli_serve_refuses_network_without_accounts() -> None:
    from typer.testing import CliRunner

    from storyloom.cli import app

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2
    assert "E108" in result.output and "--accounts" in result.output


def test_server_accounts_endpoints_absent_in_local_mode(client: TestClient) -> None:
    for path in ("/api/auth/register", "/api/auth/login"):
        response = client.post(path, json={"username": "ana", "password": "correct horse"})
        assert response.status_code == 400 and error_code(response) == "E406"
    assert client.post("/api/auth/logout").status_code == 204


def test_server_groups_need_teacher_role(client: TestClient) -> None:
    response = client.post("/api/groups", json={"name": "class 3"})
    assert response.status_code == 403 and error_code(response) == "E405"
    assert client.get("/api/groups").json() == []
