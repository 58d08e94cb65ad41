"""The FastAPI application: ``create_app(settings)``.

State lives in the database only (sessions, batch progress, everything a user
owns), so several processes can serve behind a load balancer; what each
process keeps for itself is a cache of the local user's id, its thread pools
and its rate-limit buckets (see :mod:`.guard`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import storyloom

from ..errors import StoryLoomError
from ..store import make_engine, migrate
from ..store.repository import Store
from . import api, auth, batch, exports
from .errors import InternalError, PayloadTooLarge, RateLimited, ValidationFailed, error_body, status_of
from .guard import BodyTooLarge, Guard
from .runner import Runner
from .settings import ServerSettings

log = logging.getLogger("storyloom.server")

STATIC_DIR = Path(__file__).with_name("static")
_HTTP_CODES = {401: "E401", 403: "E403", 404: "E404", 405: "E404", 413: "E413", 429: "E429"}


def _error_response(exc: StoryLoomError) -> JSONResponse:
    headers = {"Retry-After": str(max(1, round(exc.retry_after + 0.5)))} if isinstance(exc, RateLimited) else None
    return JSONResponse(error_body(exc), status_code=status_of(exc), headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{loc or 'body'}: {err.get('msg', 'invalid')}")  # never the input value itself
    return "; ".join(parts) + "."


def create_app(settings: ServerSettings | None = None, store: Store | None = None) -> FastAPI:
    """The StoryLoom studio app; ``store`` defaults to one built from ``settings.database_url``."""
    settings = settings or ServerSettings.from_env()
    settings.check()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_up:
            try:
                storyloom.analyze("Warm-up. 预热。")
            except StoryLoomError:
                pass
        yield
        app.state.analysis.shutdown()
        app.state.writer.shutdown()
        app.state.batches.shutdown(wait=False, cancel_futures=False)
        if owns_store:
            app.state.store.dispose()

    app = FastAPI(
        title="StoryLoom studio API",
        version=storyloom.__version__,
        description="Analyse personal stories, keep a library, write personalised stories "
                    "(docs/api-contract.md, docs/server.md).",
        lifespan=lifespan,
    )
    owns_store = store is None
    if store is None:
        if settings.migrate:
            migrate(settings.database_url)
        store = Store(make_engine(settings.database_url))
    app.state.settings = settings
    app.state.store = store
    app.state.analysis = Runner(settings.analysis_threads, "analysis")
    app.state.writer = Runner(settings.analysis_threads, "writing")
    app.state.batches = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyloom-batch")

    @app.exception_handler(StoryLoomError)
    async def _storyloom_error(_request: Request, exc: StoryLoomError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error_response(ValidationFailed(_validation_message(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, BodyTooLarge):
            return _error_response(PayloadTooLarge(
                f"The request body is over the limit of {settings.max_json_bytes:,} bytes "
                f"({settings.max_upload_bytes:,} for uploads)."))
        code = _HTTP_CODES.get(exc.status_code, "E422" if exc.status_code < 500 else "E500")
        if exc.status_code == 404:
            message = f"No such endpoint: {request.url.path}; see /docs."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs."
        else:
            message = str(exc.detail)
        body = {"error": {"code": code, "type": "HTTPError", "message": message}}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error_response(InternalError("Something went wrong inside StoryLoom; the server log has details."))

    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(batch.router)
    app.include_router(exports.router)

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> object:
        page = STATIC_DIR / "index.html"
        if page.is_file():
            return FileResponse(page, media_type="text/html; charset=utf-8")
        return HTMLResponse("<!doctype html><meta charset=utf-8><title>StoryLoom</title>"
                            "<h1>StoryLoom</h1><p>The studio page is not installed; the API is at "
                            "<a href=/docs>/docs</a>.</p>")

    app.add_middleware(Guard, settings=settings)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory storyloom.server.app:app_from_env`` (reads the environment)."""
    logging.basicConfig(level=logging.INFO)
    return create_app(ServerSettings.from_env())
