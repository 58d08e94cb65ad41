"""A real PostgreSQL server for the store and privacy tests.

``postgres_server`` (session scope) uses ``$STORYLOOM_TEST_POSTGRES_URL`` when
set (``scripts/ci_postgres.sh`` prints it), else starts a throwaway cluster
from ``/usr/lib/postgresql/*/bin`` (as the ``postgres`` user when run as root)
and stops it afterwards.  ``postgres_url`` gives each test its own fresh,
empty database.  Without any PostgreSQL the tests skip — except under
``CI=true``, where they fail: CI must test against the real server.

Import the fixtures into a test module: ``from _postgres import postgres_server, postgres_url``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator

import pytest

from _ci import require

ENV_URL = "STORYLOOM_TEST_POSTGRES_URL"


def _missing(reason: str) -> None:
    require("PostgreSQL", reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as_postgres(args: list[str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        import shlex

        args = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(args)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A server URL (``postgresql://user@host:port/db``) whose user may create databases."""
    url = os.environ.get(ENV_URL)
    if url:
        yield url
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        _missing(f"set {ENV_URL} or install Debian's postgresql package")
    bindir = os.path.dirname(bins[-1])
    root = tempfile.mkdtemp(prefix="storyloom-pg-")
    os.chmod(root, 0o777)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data, port = os.path.join(root, "data"), _free_port()
    init = _run_as_postgres([f"{bindir}/initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", data])
    if init.returncode:
        _missing(f"initdb failed: {init.stderr.strip()[-300:]}")
    start = _run_as_postgres([
        f"{bindir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(root, "pg.log"),
        "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
    ])
    if start.returncode:
        _missing(f"pg_ctl start failed: {start.stderr.strip()[-300:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        _run_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"])
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh empty database on the test server, dropped after the test."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(postgres_server.replace("postgresql+psycopg://", "postgresql://"))
    name = f"storyloom_test_{uuid.uuid4().hex[:12]}"
    admin = server.set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _missing(f"cannot connect to {admin.render_as_string()}: {exc}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
