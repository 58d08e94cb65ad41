"""Response models: the shapes of docs/api-contract.md, as OpenAPI schemas.

FastAPI validates every response against these and drops undeclared fields, so
a column added to the database never leaks into the API by accident.  Dates
are ISO 8601 strings (datetimes in UTC with ``Z``); a Report or Story is its own
public JSON contract (``storyloom.report/1``, ``storyloom.story/1``) and passes
through as an object.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str
    version: str
    mode: str = Field(description="local or accounts")
    db: str = Field(description="sqlite or postgresql")


class Me(BaseModel):
    id: int
    username: str
    role: str = Field(description="user or teacher")
    mode: str
    csrf_token: str | None = Field(description="send as X-CSRF-Token on unsafe requests (null in local mode)")
    created_at: str | None = None


class StoryOut(BaseModel):
    id: int
    title: str
    text: str
    tags: list[str]
    written_on: str | None
    created_at: str
    updated_at: str
    language: str | None
    polarity: str | None
    intensity: float | None = Field(description="0–1")
    dominant_emotion: str | None
    valence: float | None = Field(description="1–9")
    arousal: float | None = Field(description="1–9")
    safety_risk: str | None


class StoryWithReport(StoryOut):
    analysis: dict[str, Any] | None = Field(description="the latest Report JSON (storyloom.report/1)")


class SharedStory(StoryOut):
    owner: str


class StoryList(BaseModel):
    items: list[StoryOut]
    total: int
    limit: int
    offset: int


class AnalysisOut(BaseModel):
    id: int
    story_id: int
    created_at: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    engine: str
    report: dict[str, Any]


class VersionOut(BaseModel):
    id: int
    story_id: int
    created_at: str
    target: str | None
    backend: str | None
    seed: int | None
    title: str
    text: str
    scores: list[Any]
    story: dict[str, Any] = Field(description="the Story JSON (storyloom.story/1)")


class FeedbackOut(BaseModel):
    id: int
    story_id: int
    emotion: str
    polarity: str | None
    note: str
    created_at: str


class TimelineItem(BaseModel):
    story_id: int
    title: str
    written_on: str | None
    created_at: str
    valence: float | None
    arousal: float | None
    dominant_emotion: str | None
    polarity: str | None
    intensity: float | None


class BatchOut(BaseModel):
    id: int
    status: str = Field(description="queued, running, done or failed")
    filename: str
    total: int
    done: int
    error: str | None
    created_at: str
    updated_at: str
    rows: list[dict[str, Any]] | None = None


class BatchRow(BaseModel):
    id: str
    text: str
    report: dict[str, Any]


class GroupOut(BaseModel):
    id: int
    name: str
    role: str = Field(description="owner or member")
    created_at: str | None = None


class Imported(BaseModel):
    imported: int
