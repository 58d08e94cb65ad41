"""The JSON API under ``/api``: analyse, write, stories and their analyses,
versions and feedback, the timeline and groups (docs/api-contract.md).

Routes are thin: validate, call the public API (:func:`storyloom.analyze`,
:func:`storyloom.write`) through a bounded pool, and store through the
repository, always filtered by the caller's id.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import inspect
import io
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, StreamingResponse
from pydantic import BaseModel, Field

import storyloom

from ..analysis.report import EMOTIONS
from ..errors import InvalidOption, StoryLoomError
from ..labels import normalise_label
from ..store.repository import (
    KEEP,
    Store,
    analysis_dict,
    feedback_dict,
    story_dict,
    version_dict,
)
from .auth import CurrentUser, optional_principal
from .errors import BackendUnavailable, ValidationFailed, error_body
from .runner import Runner
from .schemas import (
    AnalysisOut,
    FeedbackOut,
    GroupOut,
    Health,
    SharedStory,
    StoryList,
    StoryOut,
    StoryWithReport,
    TimelineItem,
    VersionOut,
)
from .settings import ServerSettings

router = APIRouter(prefix="/api")

POLARITIES = ("positive", "negative", "neutral", "mixed")


def _store(request: Request) -> Store:
    return request.app.state.store


def _settings(request: Request) -> ServerSettings:
    return request.app.state.settings


def _analyse(request: Request, text: str, lang: str | None = None, *, engine: str | None = None,
             parts: tuple[str, ...] | None = None) -> storyloom.Report:
    runner: Runner = request.app.state.analysis
    return runner.run(storyloom.analyze, text, lang, engine=engine, parts=parts,
                      timeout=_settings(request).analyze_timeout)


# -- service -----------------------------------------------------------------------


@router.get("/health", tags=["service"], summary="Liveness and mode (not rate limited)", response_model=Health)
def health(request: Request) -> dict[str, Any]:
    store = _store(request)
    from sqlalchemy import text as sql

    with store.engine.connect() as conn:
        conn.execute(sql("SELECT 1"))
    return {"status": "ok", "version": storyloom.__version__, "mode": _settings(request).mode,
            "db": store.dialect}


def backend_names() -> list[str]:
    """Generation backends this installation offers (``builtin`` always)."""
    names = ["builtin"]
    try:
        from .. import generate

        extra = getattr(generate, "BACKENDS", None) or getattr(generate, "backends", None)
        if isinstance(extra, dict):
            names += [n for n in extra if n not in names]
        elif isinstance(extra, (list, tuple)):
            names += [str(n) for n in extra if str(n) not in names]
    except Exception:  # noqa: BLE001 - generation is optional here; the list just stays short
        pass
    return names


@router.get("/config", tags=["service"], summary="Mode, backends, emotions, limits and the signed-in user")
def config(request: Request) -> dict[str, Any]:
    s = _settings(request)
    user = optional_principal(request)
    from ..config import settings as engine_settings

    return {
        "mode": s.mode,
        "version": storyloom.__version__,
        "backends": backend_names(),
        "emotions": list(EMOTIONS),
        "limits": {
            "max_chars": engine_settings().max_chars,
            "max_json_bytes": s.max_json_bytes,
            "max_upload_bytes": s.max_upload_bytes,
            "analyze_timeout_s": s.analyze_timeout,
            "write_timeout_s": s.write_timeout,
            "rate_per_second": s.rate_per_second,
            "rate_burst": s.rate_burst,
            "batch_max_items": s.batch_max_items,
        },
        "user": user.to_dict(s.mode) if user else None,
    }


# -- analyse -----------------------------------------------------------------------


class AnalyzeBody(BaseModel):
    text: str = Field(description="the story (Chinese and/or English)")
    lang: str | None = Field(None, description="zh or en; detected when absent")
    engine: str | None = Field(None, description="lexicon (default) or model")


@router.post("/analyze", tags=["analyse"], summary="Analyse a text into a Report (nothing is stored)")
def analyze(body: AnalyzeBody, request: Request, user: CurrentUser,
            format: Literal["json", "html", "markdown"] = "json") -> Response:
    report = _analyse(request, body.text, body.lang, engine=body.engine)
    if format == "html":
        from ..render import render_html

        return HTMLResponse(render_html(report))
    if format == "markdown":
        from ..render import render_markdown

        return PlainTextResponse(render_markdown(report), media_type="text/markdown; charset=utf-8")
    return JSONResponse(report.to_dict())


# -- stories -------------------------------------------------------------------------


class StoryIn(BaseModel):
    text: str
    title: str | None = Field(None, max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=20)
    written_on: dt.date | None = None
    lang: str | None = None


class StoryPatch(BaseModel):
    title: str | None = Field(None, max_length=200)
    text: str | None = None
    tags: list[str] | None = Field(None, max_length=20)
    written_on: dt.date | None = None


@router.post("/stories", status_code=201, tags=["stories"], summary="Save a story (analysed on create)",
             response_model=StoryOut)
def create_story(body: StoryIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    report = _analyse(request, body.text, body.lang).to_dict()
    with _store(request).session() as repo:
        story, analysis = repo.create_story(user.id, body.text, report, title=body.title, tags=body.tags,
                                            written_on=body.written_on)
        return story_dict(story, analysis)


@router.get("/stories", tags=["stories"], summary="List and search your stories, newest first",
            response_model=StoryList)
def list_stories(
    request: Request, user: CurrentUser,
    q: Annotated[str | None, Query(max_length=200, description="words in the title or text")] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    with _store(request).session() as repo:
        items, total = repo.list_stories(user.id, q=q, tag=tag, limit=limit, offset=offset)
        latest = repo.latest_analyses([s.id for s in items])
        return {"items": [story_dict(s, latest.get(s.id)) for s in items], "total": total,
                "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", tags=["stories"], summary="One story with its latest Report",
            response_model=StoryWithReport)
def read_story(story_id: int, request: Request, user: CurrentUser) -> dict[str, Any]:
    with _store(request).session() as repo:
        story = repo.get_story(user.id, story_id)
        return story_dict(story, repo.latest_analysis(story.id), with_report=True)


@router.patch("/stories/{story_id}", tags=["stories"], summary="Change a story (new text is re-analysed)",
              response_model=StoryWithReport)
def update_story(story_id: int, body: StoryPatch, request: Request, user: CurrentUser) -> dict[str, Any]:
    with _store(request).session() as repo:
        repo.get_story(user.id, story_id)  # 404 before any analysis work
    report = _analyse(request, body.text).to_dict() if body.text is not None else None
    fields = body.model_fields_set
    with _store(request).session() as repo:
        story = repo.update_story(
            user.id, story_id, title=body.title, text=body.text, tags=body.tags,
            written_on=body.written_on if "written_on" in fields else KEEP, report=report,
        )
        return story_dict(story, repo.latest_analysis(story.id), with_report=True)


@router.delete("/stories/{story_id}", status_code=204, tags=["stories"],
               summary="Delete a story with its analyses, versions and feedback")
def delete_story(story_id: int, request: Request, user: CurrentUser) -> Response:
    with _store(request).session() as repo:
        repo.delete_story(user.id, story_id)
    return Response(status_code=204)


@router.get("/stories/{story_id}/analyses", tags=["stories"], summary="Every Report of a story, oldest first",
            response_model=list[AnalysisOut])
def story_analyses(story_id: int, request: Request, user: CurrentUser) -> list[dict[str, Any]]:
    with _store(request).session() as repo:
        return [analysis_dict(a) for a in repo.analyses(user.id, story_id)]


# -- versions ----------------------------------------------------------------------------


class VersionIn(BaseModel):
    story: dict[str, Any] = Field(description="a Story JSON (schema storyloom.story/1) from /api/write")


@router.get("/stories/{story_id}/versions", tags=["versions"], summary="Generated versions of a story",
            response_model=list[VersionOut])
def story_versions(story_id: int, request: Request, user: CurrentUser) -> list[dict[str, Any]]:
    with _store(request).session() as repo:
        return [version_dict(v) for v in repo.versions(user.id, story_id)]


@router.post("/stories/{story_id}/versions", status_code=201, tags=["versions"],
             summary="Keep a generated story as a version", response_model=VersionOut)
def add_version(story_id: int, body: VersionIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    schema = body.story.get("schema")
    if schema is not None and not str(schema).startswith("storyloom.story/"):
        raise ValidationFailed(f"story.schema is {schema!r}; expected storyloom.story/1.")
    with _store(request).session() as repo:
        return version_dict(repo.add_version(user.id, story_id, body.story))


@router.delete("/versions/{version_id}", status_code=204, tags=["versions"], summary="Delete a version")
def delete_version(version_id: int, request: Request, user: CurrentUser) -> Response:
    with _store(request).session() as repo:
        repo.delete_version(user.id, version_id)
    return Response(status_code=204)


# -- feedback ------------------------------------------------------------------------------


class FeedbackIn(BaseModel):
    emotion: str = Field(description="the emotion you actually felt: " + ", ".join(EMOTIONS) + " (or 乐 好 哀 …)")
    polarity: str | None = Field(None, description="positive, negative, neutral or mixed")
    note: str = Field("", max_length=2000)


@router.post("/stories/{story_id}/feedback", status_code=201, tags=["feedback"],
             summary="Say which emotion the story really carries (a training label)", response_model=FeedbackOut)
def add_feedback(story_id: int, body: FeedbackIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    try:
        emotion = normalise_label("emotion", body.emotion)
    except ValueError as exc:
        raise InvalidOption(f"emotion: {exc}.") from None
    polarity = body.polarity.strip().lower() if body.polarity else None
    if polarity is not None and polarity not in POLARITIES:
        raise InvalidOption(f"polarity is one of {', '.join(POLARITIES)}, not {body.polarity!r}.")
    with _store(request).session() as repo:
        return feedback_dict(repo.add_feedback(user.id, story_id, emotion, polarity, body.note))


@router.get("/feedback/export", tags=["feedback"],
            summary="Your labels as a file for `storyloom train` (text,label)")
def export_feedback(
    request: Request, user: CurrentUser, format: Literal["csv", "jsonl"] = "csv",
    task: Literal["emotion", "polarity"] = "emotion",
) -> Response:
    with _store(request).session() as repo:
        pairs = [(s.text, f.emotion if task == "emotion" else f.polarity, s.id)
                 for f, s in repo.feedback_labels(user.id)]
    if task == "polarity":  # `storyloom train polarity` learns positive/negative only
        pairs = [p for p in pairs if p[1] in ("positive", "negative")]
    name = f"storyloom-{task}-labels.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "jsonl":
        body = "".join(json.dumps({"text": t, "label": label, "story_id": i}, ensure_ascii=False) + "\n"
                       for t, label, i in pairs)
        return Response(body, media_type="application/x-ndjson; charset=utf-8", headers=headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "label", "story_id"])
    writer.writerows(pairs)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


# -- timeline --------------------------------------------------------------------------------


@router.get("/timeline", tags=["stories"], summary="Each story's latest reading, oldest first",
            response_model=list[TimelineItem])
def timeline(request: Request, user: CurrentUser) -> list[dict[str, Any]]:
    with _store(request).session() as repo:
        return repo.timeline(user.id)


# -- groups ----------------------------------------------------------------------------------


class GroupIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class MemberIn(BaseModel):
    username: str


class ShareIn(BaseModel):
    group_id: int


@router.get("/groups", tags=["groups"], summary="Groups you run or belong to", response_model=list[GroupOut])
def list_groups(request: Request, user: CurrentUser) -> list[dict[str, Any]]:
    with _store(request).session() as repo:
        return repo.groups(user.id)


@router.post("/groups", status_code=201, tags=["groups"], summary="Create a group (teacher/counsellor accounts)",
             response_model=GroupOut)
def create_group(body: GroupIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    with _store(request).session() as repo:
        owner = repo.get_user(user.id)
        assert owner is not None
        group = repo.create_group(owner, body.name)
        return {"id": group.id, "name": group.name, "role": "owner"}


@router.post("/groups/{group_id}/members", status_code=201, tags=["groups"], summary="Add a member by username")
def add_member(group_id: int, body: MemberIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    with _store(request).session() as repo:
        member = repo.add_member(user.id, group_id, body.username)
        return {"group_id": group_id, "user": {"id": member.id, "username": member.username}}


@router.post("/stories/{story_id}/share", status_code=201, tags=["groups"],
             summary="Share one of your stories with a group you belong to")
def share_story(story_id: int, body: ShareIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    with _store(request).session() as repo:
        share = repo.share_story(user.id, story_id, body.group_id)
        return {"story_id": story_id, "group_id": share.group_id}


@router.delete("/stories/{story_id}/share/{group_id}", status_code=204, tags=["groups"], summary="Stop sharing")
def unshare_story(story_id: int, group_id: int, request: Request, user: CurrentUser) -> Response:
    with _store(request).session() as repo:
        repo.unshare_story(user.id, story_id, group_id)
    return Response(status_code=204)


@router.get("/groups/{group_id}/stories", tags=["groups"],
            summary="What members shared with your group (group owner only)", response_model=list[SharedStory])
def group_stories(group_id: int, request: Request, user: CurrentUser) -> list[dict[str, Any]]:
    with _store(request).session() as repo:
        out = []
        for story, analysis, owner in repo.group_stories(user.id, group_id):
            item = story_dict(story, analysis)
            item["owner"] = owner.username
            out.append(item)
        return out


# -- write -------------------------------------------------------------------------------------


class WriteBody(BaseModel):
    text: str | None = Field(None, description="the story to rewrite (or give story_id)")
    story_id: int | None = Field(None, description="a saved story to rewrite")
    target: str | None = Field(None, description="the feeling to aim for (joy, 温暖, hopeful…); default: the story's own")
    pov: str | None = Field(None, description="first, second or third")
    style: str | None = Field(None, description="plain, lyrical, children, fable or letter")
    length: str | None = Field(None, description="short, medium or long")
    backend: str | None = Field(None, description="builtin (default) or a configured model backend")
    candidates: int | None = Field(None, description="candidates to write and rerank (1–8)")
    seed: int | None = None
    close: bool | None = Field(None, description="append a reflective close")
    save: bool = Field(False, description="keep the result as a version of the story")


def _writer() -> Any:
    write = getattr(storyloom, "write", None)
    if write is None:
        raise BackendUnavailable("Story writing is not available in this installation of StoryLoom.")
    return write


def _write_kwargs(body: WriteBody, write: Any, on_token: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "pov": body.pov, "style": body.style, "length": body.length, "backend": body.backend,
        "n": body.candidates, "seed": body.seed, "close": body.close,
    }
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    try:
        params = inspect.signature(write).parameters
        accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        if on_token is not None and (accepts_any or "on_token" in params):
            kwargs["on_token"] = on_token
    except (TypeError, ValueError):
        pass
    return kwargs


def _do_write(store: Store, user_id: int, body: WriteBody, text: str, on_token: Any) -> dict[str, Any]:
    """Runs in the writer pool: write, then (when asked) save as a version."""
    write = _writer()
    story = write(text, body.target, **_write_kwargs(body, write, on_token))
    data = story.to_dict() if hasattr(story, "to_dict") else dict(story)
    if body.save:
        story_id = body.story_id
        with store.session() as repo:
            if story_id is None:
                report = storyloom.analyze(text).to_dict()
                saved, _ = repo.create_story(user_id, text, report)
                story_id = saved.id
            version = repo.add_version(user_id, story_id, data)
            data["version_id"], data["story_id"] = version.id, story_id
    return data


@router.post("/write", tags=["write"],
             summary="Write a personalised story (SSE token stream with Accept: text/event-stream)")
def write(body: WriteBody, request: Request, user: CurrentUser) -> Response:
    if (body.text is None) == (body.story_id is None):
        raise ValidationFailed("Give either text or story_id (not both).")
    store = _store(request)
    text = body.text
    if body.story_id is not None:
        with store.session() as repo:
            text = repo.get_story(user.id, body.story_id).text
    assert text is not None
    _writer()  # 503 now rather than mid-stream
    runner: Runner = request.app.state.writer
    timeout = _settings(request).write_timeout
    if "text/event-stream" not in request.headers.get("accept", ""):
        return JSONResponse(runner.run(_do_write, store, user.id, body, text, None, timeout=timeout))
    return StreamingResponse(
        _stream(runner, store, user.id, body, text, timeout), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(runner: Runner, store: Store, user_id: int, body: WriteBody, text: str,
                  timeout: float) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def on_token(token: str) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, ("token", token))

    def job() -> None:
        try:
            result = _do_write(store, user_id, body, text, on_token)
        except BaseException as exc:  # noqa: BLE001 - reported to the client as an error event
            loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
        else:
            loop.call_soon_threadsafe(queue.put_nowait, ("done", result))

    runner.submit(job)
    deadline = loop.time() + timeout
    streamed = False
    while True:
        try:
            kind, value = await asyncio.wait_for(queue.get(), timeout=max(0.0, deadline - loop.time()))
        except TimeoutError:
            from .errors import AnalysisTimeout

            yield _sse("error", error_body(AnalysisTimeout(f"The story was not written within {timeout:g} s.")))
            return
        if kind == "token":
            streamed = True
            yield _sse("token", {"text": value})
        elif kind == "error":
            error = value if isinstance(value, StoryLoomError) else None
            if error is None:
                from .errors import InternalError

                error = InternalError("Writing failed because of a bug in StoryLoom; the server log has details.")
            yield _sse("error", error_body(error))
            return
        else:
            if not streamed:  # a backend that does not stream: the whole text as one token
                yield _sse("token", {"text": value.get("text", "")})
            for candidate in value.get("candidates") or []:
                yield _sse("candidate", candidate)
            yield _sse("done", value)
            return
