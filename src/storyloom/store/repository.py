"""The typed service layer the server (and scripts) call.

Every query that touches a person's data takes ``owner_id`` and filters by it;
a row that exists but belongs to someone else is reported exactly like a row
that does not exist (:class:`~storyloom.store.errors.NotFound`), so ids leak
nothing.  A :class:`Repository` wraps one SQLAlchemy session; use
:meth:`Store.session` for one transaction (commit on success, rollback on any
exception — nothing half-written).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import session_factory
from .errors import Conflict, Forbidden, NotFound
from .models import (
    ROLES,
    Analysis,
    BatchJob,
    Feedback,
    Group,
    LoginSession,
    Membership,
    Share,
    Story,
    StoryTag,
    User,
    Version,
    utcnow,
)

EXPORT_SCHEMA = "storyloom.export/1"
LOCAL_USERNAME = "local"  # the implicit single user of loopback mode
TITLE_CHARS = 40  # an untitled story is named after its first line, cut to this many characters
MAX_TAGS = 20
MAX_TAG_CHARS = 64
MAX_PAGE = 200  # largest ``limit`` of a story listing


class _Keep:
    """Type of :data:`KEEP`."""


KEEP = _Keep()  # "leave this field unchanged" where None is a meaningful value


class Store:
    """An engine plus a session factory; thread-safe, one per process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Repository]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield Repository(session)

    def local_user(self) -> tuple[int, str, str]:
        """``(id, username, role)`` of the local-mode user, created on first use.

        Two processes starting together may both try to create it; the loser's
        transaction fails on the unique username and simply reads the winner's row.
        """
        for attempt in range(3):
            try:
                with self.session() as repo:
                    user = repo.local_user()
                    return user.id, user.username, user.role
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


# -- plain-dict views (the JSON the API returns and exports hold) --------------


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; datetimes in UTC with a ``Z`` (SQLite hands them back naive)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def analysis_fields(report: dict[str, Any]) -> dict[str, Any]:
    """The columns copied out of a Report JSON for lists and the timeline."""
    sentiment = report.get("sentiment") or {}
    extra = report.get("extra") or {}
    safety = report.get("safety") or extra.get("safety") or {}
    risk = safety.get("risk") or safety.get("level") if isinstance(safety, dict) else None
    return {
        "schema": str(report.get("schema", "")),
        "engine": str((report.get("engine") or {}).get("name", "lexicon")),
        "polarity": sentiment.get("polarity"),
        "intensity": sentiment.get("intensity"),
        "dominant_emotion": report.get("dominant_emotion"),
        "valence": report.get("valence"),
        "arousal": report.get("arousal"),
        "safety_risk": risk,
    }


def story_dict(story: Story, analysis: Analysis | None, *, with_report: bool = False) -> dict[str, Any]:
    """The API's story object (``with_report`` adds ``"analysis"``: the latest Report JSON)."""
    data: dict[str, Any] = {
        "id": story.id,
        "title": story.title,
        "text": story.text,
        "tags": story.tag_names,
        "written_on": iso(story.written_on),
        "created_at": iso(story.created_at),
        "updated_at": iso(story.updated_at),
        "language": story.language,
        "polarity": analysis.polarity if analysis else None,
        "intensity": analysis.intensity if analysis else None,
        "dominant_emotion": analysis.dominant_emotion if analysis else None,
        "valence": analysis.valence if analysis else None,
        "arousal": analysis.arousal if analysis else None,
        "safety_risk": analysis.safety_risk if analysis else None,
    }
    if with_report:
        data["analysis"] = analysis.report if analysis else None
    return data


def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    return {
        "id": analysis.id, "story_id": analysis.story_id, "created_at": iso(analysis.created_at),
        "schema": analysis.schema, "engine": analysis.engine, "report": analysis.report,
    }


def version_dict(version: Version) -> dict[str, Any]:
    return {
        "id": version.id, "story_id": version.story_id, "created_at": iso(version.created_at),
        "target": version.target, "backend": version.backend, "seed": version.seed,
        "title": version.title, "text": version.text, "scores": version.scores, "story": version.story,
    }


def feedback_dict(feedback: Feedback) -> dict[str, Any]:
    return {
        "id": feedback.id, "story_id": feedback.story_id, "emotion": feedback.emotion,
        "polarity": feedback.polarity, "note": feedback.note, "created_at": iso(feedback.created_at),
    }


def batch_dict(job: BatchJob, *, with_rows: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": job.id, "status": job.status, "filename": job.filename, "total": job.total, "done": job.done,
        "error": job.error, "created_at": iso(job.created_at), "updated_at": iso(job.updated_at),
    }
    if with_rows:
        data["rows"] = job.rows
    return data


def user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "role": user.role, "created_at": iso(user.created_at)}


def default_title(text: str) -> str:
    """The first non-blank line, cut to :data:`TITLE_CHARS` characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"
    return ""


def clean_tags(tags: Iterable[str] | None) -> list[str]:
    """Trimmed, de-duplicated, sorted tags (at most :data:`MAX_TAGS`, each ≤ :data:`MAX_TAG_CHARS`)."""
    out = sorted({t.strip()[:MAX_TAG_CHARS] for t in (tags or ()) if t and t.strip()})
    return out[:MAX_TAGS]


def _version_fields(story_json: dict[str, Any]) -> dict[str, Any]:
    target = story_json.get("target")
    if isinstance(target, dict):
        target = target.get("label") or target.get("emotion")
    seed = story_json.get("seed")
    return {
        "target": str(target)[:40] if target is not None else None,
        "backend": str(story_json.get("backend") or "")[:40] or None,
        "seed": seed if isinstance(seed, int) else None,
        "title": str(story_json.get("title") or "")[:200],
        "text": str(story_json.get("text") or ""),
        "scores": [c.get("score") for c in story_json.get("candidates") or [] if isinstance(c, dict)],
    }


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Repository:
    """Queries and changes for one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- users and sessions --------------------------------------------------

    def local_user(self) -> User:
        """The single implicit user of local (loopback, no accounts) mode."""
        user = self.session.scalar(select(User).where(User.username == LOCAL_USERNAME))
        if user is None:
            user = User(username=LOCAL_USERNAME, password_hash=None, role="user")
            self.session.add(user)
            self.session.flush()
        return user

    def create_user(self, username: str, password_hash: str, role: str = "user") -> User:
        if role not in ROLES:
            raise Forbidden(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
        if username == LOCAL_USERNAME or self.user_by_name(username) is not None:
            raise Conflict(f"The username {username!r} is taken; choose another.")
        user = User(username=username, password_hash=password_hash, role=role)
        self.session.add(user)
        self.session.flush()
        return user

    def user_by_name(self, username: str) -> User | None:
        return self.session.scalar(select(User).where(User.username == username))

    def get_user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def create_session(self, user_id: int, ttl: dt.timedelta) -> tuple[str, str]:
        """A new sign-in: returns ``(cookie token, CSRF token)``; only the token's hash is stored."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = utcnow()
        self.session.execute(delete(LoginSession).where(LoginSession.user_id == user_id,
                                                        LoginSession.expires_at <= now))
        self.session.add(LoginSession(
            token_hash=_token_hash(token), user_id=user_id, csrf_token=csrf, created_at=now, expires_at=now + ttl,
        ))
        return token, csrf

    def session_user(self, token: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session, or None (expired sessions are removed)."""
        row = self.session.get(LoginSession, _token_hash(token))
        if row is None:
            return None
        if _aware(row.expires_at) <= utcnow():
            self.session.delete(row)
            return None
        return row.user, row.csrf_token

    def delete_session(self, token: str) -> None:
        self.session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))

    # -- stories ---------------------------------------------------------------

    def create_story(
        self, owner_id: int, text: str, report: dict[str, Any] | None, *, title: str | None = None,
        tags: Iterable[str] | None = None, written_on: dt.date | None = None,
        created_at: dt.datetime | None = None, updated_at: dt.datetime | None = None,
    ) -> tuple[Story, Analysis | None]:
        """Store a story and (when given) its Report; returns both."""
        story = Story(
            owner_id=owner_id, text=text, title=(title or "").strip()[:200] or default_title(text),
            written_on=written_on, language=(report or {}).get("language"),
        )
        if created_at is not None:
            story.created_at = created_at
            story.updated_at = updated_at or created_at
        story.tags = [StoryTag(tag=t) for t in clean_tags(tags)]
        self.session.add(story)
        self.session.flush()
        analysis = self.add_analysis(story, report) if report is not None else None
        return story, analysis

    def add_analysis(self, story: Story, report: dict[str, Any], created_at: dt.datetime | None = None) -> Analysis:
        analysis = Analysis(story_id=story.id, report=report, **analysis_fields(report))
        if created_at is not None:
            analysis.created_at = created_at
        self.session.add(analysis)
        self.session.flush()
        return analysis

    def get_story(self, owner_id: int, story_id: int) -> Story:
        story = self.session.scalar(select(Story).where(Story.id == story_id, Story.owner_id == owner_id))
        if story is None:
            raise NotFound(f"No story {story_id} in your library.")
        return story

    def latest_analysis(self, story_id: int) -> Analysis | None:
        return self.session.scalar(
            select(Analysis).where(Analysis.story_id == story_id).order_by(Analysis.id.desc()).limit(1)
        )

    def latest_analyses(self, story_ids: Sequence[int]) -> dict[int, Analysis]:
        if not story_ids:
            return {}
        newest = (
            select(func.max(Analysis.id)).where(Analysis.story_id.in_(story_ids)).group_by(Analysis.story_id)
        )
        rows = self.session.scalars(select(Analysis).where(Analysis.id.in_(newest)))
        return {a.story_id: a for a in rows}

    def list_stories(
        self, owner_id: int, *, q: str | None = None, tag: str | None = None, limit: int = 50, offset: int = 0,
    ) -> tuple[list[Story], int]:
        """A page of the owner's stories, newest first, and how many match in all."""
        where = [Story.owner_id == owner_id]
        if q:
            where.append(or_(Story.title.icontains(q, autoescape=True), Story.text.icontains(q, autoescape=True)))
        if tag:
            where.append(Story.id.in_(select(StoryTag.story_id).where(StoryTag.tag == tag.strip())))
        total = self.session.scalar(select(func.count()).select_from(Story).where(*where)) or 0
        limit = max(1, min(int(limit), MAX_PAGE))
        items = list(self.session.scalars(
            select(Story).where(*where).order_by(Story.created_at.desc(), Story.id.desc())
            .limit(limit).offset(max(0, int(offset)))
        ))
        return items, total

    def update_story(
        self, owner_id: int, story_id: int, *, title: str | None = None, text: str | None = None,
        tags: Iterable[str] | None = None, written_on: dt.date | None | _Keep = KEEP,
        report: dict[str, Any] | None = None,
    ) -> Story:
        """Change fields (None or :data:`KEEP` leaves one as it is; ``written_on=None`` clears the date).

        Pass ``report`` (the new text's analysis) when ``text`` changes.
        """
        story = self.get_story(owner_id, story_id)
        if title is not None:
            story.title = title.strip()[:200] or default_title(story.text if text is None else text)
        if text is not None:
            story.text = text
        if tags is not None:
            wanted = clean_tags(tags)
            story.tags = [t for t in story.tags if t.tag in wanted] + [
                StoryTag(tag=t) for t in wanted if t not in story.tag_names
            ]
        if not isinstance(written_on, _Keep):
            story.written_on = written_on
        if report is not None:
            story.language = report.get("language")
            self.add_analysis(story, report)
        story.updated_at = utcnow()
        self.session.flush()
        return story

    def delete_story(self, owner_id: int, story_id: int) -> None:
        """Delete a story; the database cascades to its tags, analyses, versions, feedback, shares."""
        result = self.session.execute(delete(Story).where(Story.id == story_id, Story.owner_id == owner_id))
        if result.rowcount == 0:
            raise NotFound(f"No story {story_id} in your library.")

    def analyses(self, owner_id: int, story_id: int) -> list[Analysis]:
        self.get_story(owner_id, story_id)
        return list(self.session.scalars(
            select(Analysis).where(Analysis.story_id == story_id).order_by(Analysis.id)
        ))

    # -- generated versions ----------------------------------------------------

    def add_version(
        self, owner_id: int, story_id: int, story_json: dict[str, Any], created_at: dt.datetime | None = None,
    ) -> Version:
        self.get_story(owner_id, story_id)
        version = Version(story_id=story_id, story=story_json, **_version_fields(story_json))
        if created_at is not None:
            version.created_at = created_at
        self.session.add(version)
        self.session.flush()
        return version

    def versions(self, owner_id: int, story_id: int) -> list[Version]:
        self.get_story(owner_id, story_id)
        return list(self.session.scalars(select(Version).where(Version.story_id == story_id).order_by(Version.id)))

    def delete_version(self, owner_id: int, version_id: int) -> None:
        owned = select(Story.id).where(Story.owner_id == owner_id)
        result = self.session.execute(
            delete(Version).where(Version.id == version_id, Version.story_id.in_(owned))
        )
        if result.rowcount == 0:
            raise NotFound(f"No generated version {version_id} in your library.")

    # -- feedback labels -------------------------------------------------------

    def add_feedback(
        self, owner_id: int, story_id: int, emotion: str, polarity: str | None = None, note: str = "",
        created_at: dt.datetime | None = None,
    ) -> Feedback:
        self.get_story(owner_id, story_id)
        feedback = Feedback(story_id=story_id, user_id=owner_id, emotion=emotion, polarity=polarity, note=note or "")
        if created_at is not None:
            feedback.created_at = created_at
        self.session.add(feedback)
        self.session.flush()
        return feedback

    def feedback_labels(self, owner_id: int) -> list[tuple[Feedback, Story]]:
        """Every label on the owner's stories, oldest first, with its story."""
        rows = self.session.execute(
            select(Feedback, Story).join(Story, Story.id == Feedback.story_id)
            .where(Story.owner_id == owner_id).order_by(Feedback.id)
        )
        return [(f, s) for f, s in rows]

    # -- timeline ----------------------------------------------------------------

    def timeline(self, owner_id: int) -> list[dict[str, Any]]:
        """Each story's latest reading, oldest first (by ``written_on``, else when it was added)."""
        stories = list(self.session.scalars(select(Story).where(Story.owner_id == owner_id)))
        latest = self.latest_analyses([s.id for s in stories])

        def when(story: Story) -> tuple[str, int]:
            day = story.written_on.isoformat() if story.written_on else (iso(story.created_at) or "")[:10]
            return day, story.id

        out = []
        for story in sorted(stories, key=when):
            a = latest.get(story.id)
            out.append({
                "story_id": story.id, "title": story.title, "written_on": iso(story.written_on),
                "created_at": iso(story.created_at),
                "valence": a.valence if a else None, "arousal": a.arousal if a else None,
                "dominant_emotion": a.dominant_emotion if a else None,
                "polarity": a.polarity if a else None, "intensity": a.intensity if a else None,
            })
        return out

    # -- batch jobs --------------------------------------------------------------

    def create_batch(self, owner_id: int, filename: str, items: Sequence[tuple[str, str]]) -> BatchJob:
        job = BatchJob(owner_id=owner_id, filename=filename[:255], total=len(items), done=0, rows=[],
                       items=[[i, t] for i, t in items], status="queued")
        self.session.add(job)
        self.session.flush()
        return job

    def get_batch(self, owner_id: int, batch_id: int) -> BatchJob:
        job = self.session.scalar(select(BatchJob).where(BatchJob.id == batch_id, BatchJob.owner_id == owner_id))
        if job is None:
            raise NotFound(f"No batch {batch_id}.")
        return job

    def record_batch(
        self, batch_id: int, *, status: str, done: int, rows: list[dict[str, Any]], error: str | None = None,
    ) -> None:
        """Progress written by the worker thread (it owns the job, so no owner filter)."""
        job = self.session.get(BatchJob, batch_id)
        if job is None:  # deleted meanwhile
            return
        job.status, job.done, job.rows, job.error = status, done, list(rows), error
        job.updated_at = utcnow()

    # -- groups (teachers and counsellors) ----------------------------------------

    def create_group(self, user: User, name: str) -> Group:
        if user.role != "teacher":
            raise Forbidden("Only a teacher or counsellor account can create groups.")
        group = Group(owner_id=user.id, name=name.strip()[:100] or "group")
        self.session.add(group)
        self.session.flush()
        return group

    def _owned_group(self, owner_id: int, group_id: int) -> Group:
        group = self.session.scalar(select(Group).where(Group.id == group_id, Group.owner_id == owner_id))
        if group is None:
            raise NotFound(f"No group {group_id} of yours.")
        return group

    def add_member(self, owner_id: int, group_id: int, username: str) -> User:
        self._owned_group(owner_id, group_id)
        member = self.user_by_name(username)
        if member is None or member.password_hash is None:
            raise NotFound(f"No user {username!r}.")
        exists = self.session.get(Membership, (group_id, member.id))
        if exists is None:
            self.session.add(Membership(group_id=group_id, user_id=member.id))
            self.session.flush()
        return member

    def groups(self, user_id: int) -> list[dict[str, Any]]:
        """Groups the user runs (``"role": "owner"``) or belongs to (``"member"``)."""
        owned = self.session.scalars(select(Group).where(Group.owner_id == user_id).order_by(Group.id))
        joined = self.session.scalars(
            select(Group).join(Membership, Membership.group_id == Group.id)
            .where(Membership.user_id == user_id).order_by(Group.id)
        )
        out = [{"id": g.id, "name": g.name, "role": "owner", "created_at": iso(g.created_at)} for g in owned]
        out += [{"id": g.id, "name": g.name, "role": "member", "created_at": iso(g.created_at)} for g in joined]
        return out

    def share_story(self, owner_id: int, story_id: int, group_id: int) -> Share:
        """Share one of the owner's stories with a group they belong to (or run)."""
        self.get_story(owner_id, story_id)
        member = self.session.get(Membership, (group_id, owner_id))
        group = self.session.get(Group, group_id)
        if group is None or (member is None and group.owner_id != owner_id):
            raise NotFound(f"No group {group_id} that you belong to.")
        share = self.session.scalar(select(Share).where(Share.group_id == group_id, Share.story_id == story_id))
        if share is None:
            share = Share(group_id=group_id, story_id=story_id)
            self.session.add(share)
            self.session.flush()
        return share

    def unshare_story(self, owner_id: int, story_id: int, group_id: int) -> None:
        self.get_story(owner_id, story_id)
        self.session.execute(delete(Share).where(Share.group_id == group_id, Share.story_id == story_id))

    def group_stories(self, owner_id: int, group_id: int) -> list[tuple[Story, Analysis | None, User]]:
        """What members shared with a group the caller runs — and nothing else."""
        self._owned_group(owner_id, group_id)
        rows = list(self.session.execute(
            select(Story, User).join(Share, Share.story_id == Story.id).join(User, User.id == Story.owner_id)
            .join(Membership, (Membership.group_id == Share.group_id) & (Membership.user_id == Story.owner_id))
            .where(Share.group_id == group_id).order_by(Share.id)
        ))
        latest = self.latest_analyses([s.id for s, _ in rows])
        return [(s, latest.get(s.id), u) for s, u in rows]

    # -- export and import -----------------------------------------------------------

    def export_all(self, owner: User) -> dict[str, Any]:
        """Everything the owner has: stories with tags, every analysis, version and label."""
        stories = list(self.session.scalars(select(Story).where(Story.owner_id == owner.id).order_by(Story.id)))
        ids = [s.id for s in stories]
        by_story: dict[int, dict[str, list[Any]]] = {i: {"analyses": [], "versions": [], "feedback": []} for i in ids}
        if ids:
            for a in self.session.scalars(select(Analysis).where(Analysis.story_id.in_(ids)).order_by(Analysis.id)):
                by_story[a.story_id]["analyses"].append(analysis_dict(a))
            for v in self.session.scalars(select(Version).where(Version.story_id.in_(ids)).order_by(Version.id)):
                by_story[v.story_id]["versions"].append(version_dict(v))
            for f in self.session.scalars(select(Feedback).where(Feedback.story_id.in_(ids)).order_by(Feedback.id)):
                by_story[f.story_id]["feedback"].append(feedback_dict(f))
        items = []
        for story in stories:
            entry = {
                "id": story.id, "title": story.title, "text": story.text, "tags": story.tag_names,
                "written_on": iso(story.written_on), "language": story.language,
                "created_at": iso(story.created_at), "updated_at": iso(story.updated_at),
            }
            entry.update(by_story[story.id])
            items.append(entry)
        batches = [batch_dict(j) for j in self.session.scalars(
            select(BatchJob).where(BatchJob.owner_id == owner.id).order_by(BatchJob.id))]
        return {
            "schema": EXPORT_SCHEMA, "exported_at": iso(utcnow()), "user": user_dict(owner),
            "stories": items, "batches": batches,
        }

    def import_all(self, owner_id: int, data: dict[str, Any]) -> int:
        """Add the stories of an :meth:`export_all` document (new ids); returns how many."""
        if data.get("schema") != EXPORT_SCHEMA or not isinstance(data.get("stories"), list):
            from ..errors import InvalidOption

            raise InvalidOption(f"Not a StoryLoom export (expected \"schema\": \"{EXPORT_SCHEMA}\").")
        count = 0
        for entry in data["stories"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not entry["text"].strip():
                continue
            story, _ = self.create_story(
                owner_id, entry["text"], None, title=entry.get("title"), tags=entry.get("tags") or (),
                written_on=_date(entry.get("written_on")),
                created_at=_datetime(entry.get("created_at")), updated_at=_datetime(entry.get("updated_at")),
            )
            story.language = entry.get("language")
            for a in entry.get("analyses") or []:
                if isinstance(a, dict) and isinstance(a.get("report"), dict):
                    self.add_analysis(story, a["report"], created_at=_datetime(a.get("created_at")))
            for v in entry.get("versions") or []:
                if isinstance(v, dict) and isinstance(v.get("story"), dict):
                    self.add_version(owner_id, story.id, v["story"], created_at=_datetime(v.get("created_at")))
            for f in entry.get("feedback") or []:
                if isinstance(f, dict) and f.get("emotion"):
                    self.add_feedback(owner_id, story.id, str(f["emotion"]), f.get("polarity"), f.get("note") or "",
                                      created_at=_datetime(f.get("created_at")))
            count += 1
        return count


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _datetime(value: Any) -> dt.datetime | None:
    try:
        return _aware(dt.datetime.fromisoformat(value.replace("Z", "+00:00"))) if isinstance(value, str) else None
    except ValueError:
        return None
