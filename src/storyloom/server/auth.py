"""Who is asking: the implicit local user, or a signed-in account.

**Local mode** (bound to loopback, ``STORYLOOM_AUTH`` unset): no login; every
request acts as the single ``local`` user.  :mod:`.guard` still refuses
foreign Host names and cross-site unsafe requests.

**Accounts mode**: argon2id password hashes; a sign-in creates a row in
``sessions`` holding the SHA-256 of a random cookie token and a CSRF token, so
any server process behind a load balancer can check it (no process-local
state, no shared secret).  The cookie is HttpOnly, SameSite=Lax, and Secure on
HTTPS.  Unsafe methods must echo the session's CSRF token in ``X-CSRF-Token``
(it is returned by login, register and ``GET /api/me``, and also set in the
readable ``storyloom_csrf`` cookie for double submission).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from ..store.errors import Conflict
from ..store.repository import Store, user_dict
from .errors import BadCredentials, CsrfFailed, NotInThisMode, NotSignedIn, ValidationFailed
from .schemas import Me
from .settings import ServerSettings

SESSION_COOKIE = "storyloom_session"
CSRF_COOKIE = "storyloom_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters
_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash to verify against when the username does not exist, so timing doesn't reveal usernames."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash


@dataclass(frozen=True, slots=True)
class Principal:
    """The user a request acts for."""

    id: int
    username: str
    role: str
    csrf_token: str | None = None  # None in local mode

    def to_dict(self, mode: str) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "role": self.role, "mode": mode,
                "csrf_token": self.csrf_token}


def _settings(request: Request) -> ServerSettings:
    return request.app.state.settings


def _store(request: Request) -> Store:
    return request.app.state.store


def local_principal(request: Request) -> Principal:
    cached: Principal | None = getattr(request.app.state, "local_principal", None)
    if cached is None:
        cached = Principal(*_store(request).local_user())
        request.app.state.local_principal = cached
    return cached


def optional_principal(request: Request) -> Principal | None:
    """The caller, or None when accounts are on and nobody is signed in (no CSRF check)."""
    if not _settings(request).accounts:
        return local_principal(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with _store(request).session() as repo:
        found = repo.session_user(token)
        if found is None:
            return None
        user, csrf = found
        return Principal(user.id, user.username, user.role, csrf)


def current_principal(request: Request) -> Principal:
    """Dependency: the caller; 401 E401 without a session, 403 E403 on a missing CSRF token."""
    principal = optional_principal(request)
    if principal is None:
        raise NotSignedIn("Sign in first (POST /api/auth/login), or create an account (POST /api/auth/register).")
    if principal.csrf_token is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not secrets.compare_digest(sent, principal.csrf_token):
            raise CsrfFailed("Missing or wrong X-CSRF-Token header; read the token from GET /api/me.")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


class Credentials(BaseModel):
    username: str = Field(description="3–64 letters, digits or _ . @ -")
    password: str = Field(description=f"at least {MIN_PASSWORD} characters")
    role: str = Field("user", description="user, or teacher (teachers and counsellors may create groups)")


router = APIRouter(prefix="/api", tags=["accounts"])


def _require_accounts(request: Request) -> None:
    if not _settings(request).accounts:
        raise NotInThisMode("This StoryLoom runs in local mode (no accounts); there is nothing to sign in to.")


def _sign_in(request: Request, response: Response, user_id: int) -> str:
    settings = _settings(request)
    ttl = dt.timedelta(days=settings.session_days)
    with _store(request).session() as repo:
        token, csrf = repo.create_session(user_id, ttl)
    secure = request.url.scheme == "https"
    max_age = int(ttl.total_seconds())
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure,
                        path="/")
    response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="lax", secure=secure,
                        path="/")
    return csrf


@router.post("/auth/register", status_code=201, summary="Create an account and sign in", response_model=Me)
def register(body: Credentials, request: Request, response: Response) -> dict[str, Any]:
    _require_accounts(request)
    if not USERNAME_RE.match(body.username):
        raise ValidationFailed("A username has 3–64 letters, digits or _ . @ -.")
    if not MIN_PASSWORD <= len(body.password) <= MAX_PASSWORD:
        raise ValidationFailed(f"A password has at least {MIN_PASSWORD} characters.")
    if body.role not in ("user", "teacher"):
        raise ValidationFailed("role is 'user' or 'teacher'.")
    password_hash = _hasher.hash(body.password)
    try:
        with _store(request).session() as repo:
            user = repo.create_user(body.username, password_hash, body.role)
            data = user_dict(user)
    except IntegrityError:  # someone registered the same name a moment ago
        raise Conflict(f"The username {body.username!r} is taken; choose another.") from None
    data["csrf_token"] = _sign_in(request, response, data["id"])
    data["mode"] = "accounts"
    return data


@router.post("/auth/login", summary="Sign in", response_model=Me)
def login(body: Credentials, request: Request, response: Response) -> dict[str, Any]:
    _require_accounts(request)
    with _store(request).session() as repo:
        user = repo.user_by_name(body.username)
        stored = user.password_hash if user is not None and user.password_hash else _dummy()
        try:
            ok = _hasher.verify(stored, body.password) and user is not None and user.password_hash is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or user is None:
            raise BadCredentials("Wrong username or password.")
        if _hasher.check_needs_rehash(stored):
            user.password_hash = _hasher.hash(body.password)
        data = user_dict(user)
    data["csrf_token"] = _sign_in(request, response, data["id"])
    data["mode"] = "accounts"
    return data


@router.post("/auth/logout", status_code=204, summary="Sign out (ends this session everywhere)")
def logout(request: Request, response: Response) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and _settings(request).accounts:
        with _store(request).session() as repo:
            repo.delete_session(token)
    out = Response(status_code=204)
    out.delete_cookie(SESSION_COOKIE, path="/")
    out.delete_cookie(CSRF_COOKIE, path="/")
    return out


@router.get("/me", summary="Who is signed in, and the CSRF token for unsafe requests", response_model=Me)
def me(user: CurrentUser, request: Request) -> dict[str, Any]:
    return user.to_dict(_settings(request).mode)
