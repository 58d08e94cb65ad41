"""Batch jobs: upload many stories, analyse them in a background thread, read progress.

The upload is parsed at once (so a bad file answers 400 straight away), the job
row is created, and a per-process worker thread analyses the items one by one,
writing ``done`` and ``rows`` to the database at most every
``PROGRESS_EVERY_S`` seconds — so any server process can report progress.  A
process that dies mid-batch leaves its job ``running``; re-upload the file.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
import zipfile
from typing import Any

from fastapi import APIRouter, File, Request, Response, UploadFile

import storyloom

from ..errors import BatchLineError, StoryLoomError
from ..store.errors import NotFound
from ..store.repository import Store, batch_dict
from ..text import decode_bytes
from .auth import CurrentUser
from .errors import BadUpload
from .schemas import BatchOut, BatchRow

log = logging.getLogger("storyloom.server")

PROGRESS_EVERY_S = 0.5  # how often the worker writes progress
ZIP_EXPANSION_LIMIT = 8  # a zip may hold at most this many times the upload limit, uncompressed
TEXT_COLUMNS = ("text", "story", "content", "正文", "文本")
ID_COLUMNS = ("id", "name", "title")
ROW_FIELDS = ("id", "polarity", "intensity", "dominant_emotion", "arc", "pov", "length", "readability", "themes",
              "error")
BATCH_PARTS = ("themes", "style")  # enough for the row fields; skips keywords and elements

router = APIRouter(prefix="/api", tags=["batches"])


def parse_upload(filename: str, data: bytes, *, max_items: int, max_bytes: int) -> list[tuple[str, str]]:
    """``(id, text)`` pairs from a CSV/TSV, JSONL, .txt, .docx, or a zip of .txt/.docx files."""
    name = (filename or "").lower()
    if not data:
        raise BadUpload("The uploaded file is empty.")
    if name.endswith(".zip") or data[:4] == b"PK\x03\x04" and not name.endswith(".docx"):
        items = _from_zip(data, max_items=max_items, max_bytes=max_bytes * ZIP_EXPANSION_LIMIT)
    elif name.endswith(".docx"):
        items = [(filename, _docx_text(data))]
    elif name.endswith((".jsonl", ".ndjson", ".json")) or data.lstrip()[:1] == b"{":
        items = _from_jsonl(_decode(data, filename))
    elif name.endswith((".csv", ".tsv")):
        items = _from_csv(_decode(data, filename), delimiter="\t" if name.endswith(".tsv") else ",")
    elif name.endswith((".txt", ".md")):
        items = [(filename, _decode(data, filename))]
    else:
        raise BadUpload(f"Can't read {filename or 'the upload'}: send a .csv (with a text column), .jsonl "
                        "({\"id\", \"text\"} per line), .txt, .docx, or a .zip of .txt/.docx files.")
    items = [(i, t) for i, t in items if t.strip()]
    if not items:
        raise BadUpload(f"No stories found in {filename or 'the upload'}.")
    if len(items) > max_items:
        raise BadUpload(f"{filename} holds {len(items)} stories; one batch takes at most {max_items}. Split it.")
    return items


def _decode(data: bytes, filename: str) -> str:
    try:
        return decode_bytes(data)
    except StoryLoomError as exc:
        raise BadUpload(f"{filename}: {exc.message}") from None


def _from_csv(content: str, delimiter: str) -> list[tuple[str, str]]:
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    text_key = next((header[c] for c in TEXT_COLUMNS if c in header), None)
    if text_key is None:
        raise BadUpload(f"The CSV needs a 'text' column; its header is {list(header.values())}.")
    id_key = next((header[c] for c in ID_COLUMNS if c in header), None)
    out = []
    for n, row in enumerate(reader, start=2):
        ident = (row.get(id_key) or "").strip() if id_key else ""
        out.append((ident or str(n - 1), row.get(text_key) or ""))
    return out


def _from_jsonl(content: str) -> list[tuple[str, str]]:
    out = []
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BatchLineError(f"Line {n} is not valid JSON ({exc.msg}).") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise BatchLineError(f"Line {n} needs an object with a \"text\" string.")
        out.append((str(obj.get("id", n)), obj["text"]))
    return out


def _docx_text(data: bytes) -> str:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any parse failure means "not a readable .docx"
        raise BadUpload("A .docx file could not be read (is it a Word document?).") from None
    return "\n".join(p.text for p in document.paragraphs)


def _from_zip(data: bytes, *, max_items: int, max_bytes: int) -> list[tuple[str, str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadUpload("The .zip file is damaged.") from None
    members = [
        info for info in archive.infolist()
        if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        and not info.filename.rsplit("/", 1)[-1].startswith(".")
        and info.filename.lower().endswith((".txt", ".md", ".docx"))
    ]
    if len(members) > max_items:
        raise BadUpload(f"The zip holds {len(members)} stories; one batch takes at most {max_items}. Split it.")
    if sum(info.file_size for info in members) > max_bytes:
        raise BadUpload(f"The zip unpacks to more than {max_bytes:,} bytes.")
    out = []
    for info in sorted(members, key=lambda i: i.filename):
        raw = archive.read(info)
        text = _docx_text(raw) if info.filename.lower().endswith(".docx") else _decode(raw, info.filename)
        out.append((info.filename, text))
    return out


def batch_row(ident: str, report: storyloom.Report) -> dict[str, Any]:
    style = report.style
    data = report.to_dict()
    style_d = data.get("style") or {}
    readability = (style_d.get("readability") or {}).get("grade") if isinstance(style_d, dict) else None
    return {
        "id": ident,
        "polarity": report.sentiment.polarity.value,
        "intensity": round(report.sentiment.intensity, 4),
        "dominant_emotion": report.dominant_emotion,
        "arc": report.arc.shape.value,
        "pov": style_d.get("pov") if style is not None else None,
        "length": report.stats.get("characters"),
        "readability": readability,
        "themes": [t.get("name") for t in data.get("themes") or [] if isinstance(t, dict)],
    }


def run_batch(store: Store, job_id: int, items: list[tuple[str, str]]) -> None:
    """The worker: analyse each item, record progress; a bad item is a row with an error."""
    rows: list[dict[str, Any]] = []
    last = 0.0
    try:
        with store.session() as repo:
            repo.record_batch(job_id, status="running", done=0, rows=[])
        for n, (ident, text) in enumerate(items, start=1):
            try:
                rows.append(batch_row(ident, storyloom.analyze(text, parts=BATCH_PARTS)))
            except StoryLoomError as exc:
                rows.append({"id": ident, "error": {"code": exc.code, "message": exc.message}})
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S and n < len(items):
                with store.session() as repo:
                    repo.record_batch(job_id, status="running", done=n, rows=rows)
                last = now
        with store.session() as repo:
            repo.record_batch(job_id, status="done", done=len(items), rows=rows)
    except Exception:
        log.exception("batch %s failed", job_id)
        with store.session() as repo:
            repo.record_batch(job_id, status="failed", done=len(rows), rows=rows,
                              error="The batch stopped because of a bug in StoryLoom; the server log has details.")


@router.post("/batches", status_code=202, summary="Upload a CSV, JSONL or zip of stories to analyse",
             response_model=BatchOut, response_model_exclude_unset=True)
def create_batch(request: Request, user: CurrentUser, file: UploadFile = File(...)) -> dict[str, Any]:
    settings = request.app.state.settings
    data = file.file.read()
    items = parse_upload(file.filename or "", data, max_items=settings.batch_max_items,
                         max_bytes=settings.max_upload_bytes)
    store: Store = request.app.state.store
    with store.session() as repo:
        job = repo.create_batch(user.id, file.filename or "", items)
        job_id = job.id
        out = batch_dict(job, with_rows=False)
    request.app.state.batches.submit(run_batch, store, job_id, items)
    return out


@router.get("/batches/{batch_id}", summary="Progress and result rows of a batch", response_model=BatchOut)
def read_batch(batch_id: int, request: Request, user: CurrentUser) -> dict[str, Any]:
    with request.app.state.store.session() as repo:
        return batch_dict(repo.get_batch(user.id, batch_id))


@router.get("/batches/{batch_id}/rows/{row_id}", summary="One batch item's text and full Report",
            response_model=BatchRow)
def batch_row_report(batch_id: int, row_id: str, request: Request, user: CurrentUser) -> dict[str, Any]:
    with request.app.state.store.session() as repo:
        job = repo.get_batch(user.id, batch_id)
        text = next((t for i, t in job.items if str(i) == row_id), None)
    if text is None:
        raise NotFound(f"No item {row_id!r} in batch {batch_id}.")
    runner = request.app.state.analysis
    report = runner.run(storyloom.analyze, text, timeout=request.app.state.settings.analyze_timeout)
    return {"id": row_id, "text": text, "report": report.to_dict()}


@router.get("/batches/{batch_id}/csv", summary="A batch's rows as CSV")
def batch_csv(batch_id: int, request: Request, user: CurrentUser) -> Response:
    with request.app.state.store.session() as repo:
        job = repo.get_batch(user.id, batch_id)
        rows = list(job.rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ROW_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        flat = dict(row)
        flat["themes"] = ";".join(row.get("themes") or [])
        error = row.get("error")
        flat["error"] = f"{error['code']}: {error['message']}" if isinstance(error, dict) else ""
        writer.writerow(flat)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="storyloom-batch-{batch_id}.csv"'})
