"""Server settings, read from the environment (``storyloom serve`` sets them from its options).

=============================  ==========  ====================================================
variable                       default     meaning
=============================  ==========  ====================================================
STORYLOOM_DATABASE_URL         SQLite      ``sqlite:///…`` or ``postgresql://user:pw@host/db``
STORYLOOM_HOST                 127.0.0.1   the address the server is bound to (decides the mode)
STORYLOOM_AUTH                 0           1 = accounts (required when not on loopback)
STORYLOOM_MAX_JSON_BYTES       1048576     largest JSON request body (1 MiB) → 413 E413
STORYLOOM_MAX_UPLOAD_BYTES     8388608     largest upload (8 MiB) → 413 E413
STORYLOOM_ANALYZE_TIMEOUT      30          seconds one analysis may take (queueing included) → 504
STORYLOOM_WRITE_TIMEOUT        120         seconds one ``write`` may take → 504
STORYLOOM_ANALYSIS_THREADS     2           analyses run at once per process
STORYLOOM_RATE_PER_SECOND      10          token-bucket refill per client (0 = no limit) → 429
STORYLOOM_RATE_BURST           60          token-bucket size per client
STORYLOOM_SESSION_DAYS         14          how long a sign-in lasts
STORYLOOM_BATCH_MAX_ITEMS      1000        stories in one batch upload
STORYLOOM_ALLOWED_HOSTS        (none)      extra Host names accepted in local mode
STORYLOOM_MIGRATE              1           0 = don't upgrade the schema on start (``serve`` did it)
STORYLOOM_WARM_UP              0           1 = analyse one sentence before accepting requests
=============================  ==========  ====================================================
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field

from ..errors import InvalidOption

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    """True for ``127.0.0.0/8``, ``::1`` and ``localhost``."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env_num(name: str, default: float, *, cast: type = int, allow_zero: bool = False) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = cast(raw)
    except ValueError:
        raise InvalidOption(f"{name}={raw!r} is not a number.") from None
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidOption(f"{name} must be {'zero or more' if allow_zero else 'positive'}, got {raw}.")
    return value


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything :func:`storyloom.server.create_app` needs; see the module docstring."""

    database_url: str | None = None  # None: storyloom.store.default_url()
    host: str = "127.0.0.1"
    accounts: bool = False
    max_json_bytes: int = 1024 * 1024
    max_upload_bytes: int = 8 * 1024 * 1024
    analyze_timeout: float = 30.0
    write_timeout: float = 120.0
    analysis_threads: int = 2
    rate_per_second: float = 10.0
    rate_burst: int = 60
    session_days: int = 14
    batch_max_items: int = 1000
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    migrate: bool = True  # upgrade the database to the newest schema on start
    warm_up: bool = False  # analyse one sentence on start so the first request is fast

    @property
    def mode(self) -> str:
        return "accounts" if self.accounts else "local"

    @classmethod
    def from_env(cls, **overrides: object) -> ServerSettings:
        host = os.environ.get("STORYLOOM_HOST", "127.0.0.1")
        d = cls()  # defaults (on a slots dataclass the class attributes are descriptors)
        values: dict[str, object] = {
            "database_url": os.environ.get("STORYLOOM_DATABASE_URL") or None,
            "host": host,
            "accounts": _env_flag("STORYLOOM_AUTH"),
            "max_json_bytes": int(_env_num("STORYLOOM_MAX_JSON_BYTES", d.max_json_bytes)),
            "max_upload_bytes": int(_env_num("STORYLOOM_MAX_UPLOAD_BYTES", d.max_upload_bytes)),
            "analyze_timeout": _env_num("STORYLOOM_ANALYZE_TIMEOUT", d.analyze_timeout, cast=float),
            "write_timeout": _env_num("STORYLOOM_WRITE_TIMEOUT", d.write_timeout, cast=float),
            "analysis_threads": int(_env_num("STORYLOOM_ANALYSIS_THREADS", d.analysis_threads)),
            "rate_per_second": _env_num("STORYLOOM_RATE_PER_SECOND", d.rate_per_second, cast=float,
                                        allow_zero=True),
            "rate_burst": int(_env_num("STORYLOOM_RATE_BURST", d.rate_burst)),
            "session_days": int(_env_num("STORYLOOM_SESSION_DAYS", d.session_days)),
            "batch_max_items": int(_env_num("STORYLOOM_BATCH_MAX_ITEMS", d.batch_max_items)),
            "allowed_hosts": tuple(h.strip().lower() for h in os.environ.get("STORYLOOM_ALLOWED_HOSTS", "").split(",")
                                   if h.strip()),
            "migrate": os.environ.get("STORYLOOM_MIGRATE", "1") != "0",
            "warm_up": _env_flag("STORYLOOM_WARM_UP"),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def check(self) -> None:
        """Refuse to serve other machines without accounts."""
        if not self.accounts and not is_loopback_host(self.host):
            raise InvalidOption(
                f"Refusing to serve {self.host} without accounts: anyone on the network could read every "
                "story. Bind to 127.0.0.1 for single-user local mode, or turn accounts on with "
                "STORYLOOM_AUTH=1 (storyloom serve --accounts)."
            )
