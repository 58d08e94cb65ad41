"""Export everything a user owns, and import it back.

``GET /api/export`` is a zip: ``stories.json`` (schema ``storyloom.export/1``:
every story with its tags, every analysis, generated version and feedback
label, and the user's batch jobs) plus ``stories/<id>.md`` and
``stories/<id>.html``, the latest Report rendered by :mod:`storyloom.render`.
``?format=json`` returns ``stories.json`` alone.  ``POST /api/import`` takes
either and adds the stories under new ids.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from fastapi import APIRouter, File, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from ..store.repository import Store
from .auth import CurrentUser
from .errors import BadUpload
from .schemas import Imported

router = APIRouter(prefix="/api", tags=["export"])

MAX_EXPORT_JSON_BYTES = 256 * 1024 * 1024  # a stories.json inside an uploaded zip, uncompressed


def _story_markdown(entry: dict[str, Any], report: dict[str, Any] | None) -> str:
    from ..render import render_markdown

    head = [f"# {entry['title'] or 'Untitled'}", ""]
    if entry.get("written_on"):
        head.append(f"*Written on {entry['written_on']}*  ")
    if entry.get("tags"):
        head.append("Tags: " + ", ".join(entry["tags"]) + "  ")
    head += ["", entry["text"], "", "---", ""]
    return "\n".join(head) + (render_markdown(report) if report else "_Not analysed._\n")


def _story_html(entry: dict[str, Any], report: dict[str, Any] | None) -> str:
    from html import escape

    from ..render import render_html

    if report:
        return render_html(report)
    return (f"<!doctype html><meta charset=utf-8><title>{escape(entry['title'])}</title>"
            f"<h1>{escape(entry['title'])}</h1><pre>{escape(entry['text'])}</pre>\n")


def build_zip(document: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("stories.json", json.dumps(document, ensure_ascii=False, indent=1))
        for entry in document["stories"]:
            report = entry["analyses"][-1]["report"] if entry["analyses"] else None
            archive.writestr(f"stories/{entry['id']}.md", _story_markdown(entry, report))
            archive.writestr(f"stories/{entry['id']}.html", _story_html(entry, report))
    return buffer.getvalue()


def read_export(filename: str, data: bytes) -> dict[str, Any]:
    """The export document inside an uploaded zip or JSON file."""
    raw = data
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            info = archive.getinfo("stories.json")
        except (zipfile.BadZipFile, KeyError):
            raise BadUpload("The zip is not a StoryLoom export (no stories.json inside).") from None
        if info.file_size > MAX_EXPORT_JSON_BYTES:
            raise BadUpload("stories.json inside the zip is too large.")
        raw = archive.read(info)
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadUpload(f"{filename or 'The upload'} is not a StoryLoom export (zip or stories.json).") from None
    if not isinstance(document, dict):
        raise BadUpload("stories.json must hold a JSON object.")
    return document


@router.get("/export", summary="Everything you own: a zip of stories.json + Markdown/HTML reports")
def export(request: Request, user: CurrentUser, format: str = "zip") -> Response:
    store: Store = request.app.state.store
    with store.session() as repo:
        owner = repo.get_user(user.id)
        assert owner is not None
        document = repo.export_all(owner)
    stamp = dt.date.today().strftime("%Y%m%d")
    if format == "json":
        return JSONResponse(document, headers={
            "Content-Disposition": f'attachment; filename="storyloom-{stamp}.json"'})
    if format != "zip":
        from ..errors import InvalidOption

        raise InvalidOption(f"format is zip or json, not {format!r}.")
    return Response(build_zip(document), media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="storyloom-{stamp}.zip"'})


@router.post("/import", summary="Import an export (its zip or stories.json); stories get new ids",
             response_model=Imported)
def import_(request: Request, user: CurrentUser, file: UploadFile = File(...)) -> dict[str, Any]:
    document = read_export(file.filename or "", file.file.read())
    store: Store = request.app.state.store
    with store.session() as repo:
        return {"imported": repo.import_all(user.id, document)}
