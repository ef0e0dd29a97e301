"""Settings: embedded defaults < config file < TRACKER_* environment < flags.

``load_settings`` is a pure function of (TOML text, environment, overrides) so
it is tested without files.  Every setting is listed once, in ``FIELDS``;
``config.example.toml`` documents the same keys (a test keeps them in step).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tracker.domain import vocab
from tracker.errors import ConfigError

# The matcher's methods (tracker.domain.matching.METHODS; a test keeps them equal).
MATCH_METHODS = ("tfidf", "char", "lexical", "fuzz", "bm25", "semantic", "hybrid")
ROLES = vocab.ROLES
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Settings:
    """Every setting the tracker reads, with its embedded default."""

    database_url: str = ""  # empty = SQLite file under instance_dir
    instance_dir: str = "instance"
    max_upload_mb: int = 10
    max_parse_seconds: int = 20
    keep_original_days: int = 30  # stored original .docx files are removed after this
    match_window_days: int = 120
    match_method: str = "tfidf"
    match_threshold: float = 0.0  # 0 = the method's own calibrated default
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    smtp_url: str = ""  # empty = write .eml files under instance_dir/outbox
    mail_from: str = "tracker@localhost"
    outbox_dir: str = ""  # empty = instance_dir/outbox
    digest_weekday: str = "mon"
    digest_time: str = "08:00"
    timezone: str = "Europe/London"
    secret_key: str = ""  # empty = a random key kept in instance_dir/secret_key
    base_url: str = "http://127.0.0.1:5000"
    require_mfa: bool = True  # leads and admins confirm sign-in with an authenticator code
    # Running as a service (several hosts, observability, single sign-on).
    redis_url: str = ""  # empty = rate limits counted in this process only
    redis_prefix: str = "tracker"  # keys in Redis start with this (one per deployment)
    log_format: str = "text"  # text | json (one JSON object per line)
    metrics_token: str = ""  # empty = /metrics open to anyone who can reach it
    password_sign_in: bool = True  # False = single sign-on only
    oidc_issuer: str = ""  # empty = no single sign-on
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_label: str = "Microsoft"
    oidc_groups_claim: str = "groups"
    oidc_roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to SQLite under the instance folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.instance_dir).resolve() / 'tracker.sqlite'}"

    @property
    def resolved_outbox_dir(self) -> Path:
        """Return the folder where .eml files go when no SMTP server is set."""
        return Path(self.outbox_dir or Path(self.instance_dir) / "outbox")


def _positive_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("a whole number above 0")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("a whole number above 0") from None
    if number <= 0:
        raise ValueError("a whole number above 0")
    return number


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("a whole number, 0 or more")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("a whole number, 0 or more") from None
    if number < 0:
        raise ValueError("a whole number, 0 or more")
    return number


def _fraction(value: Any) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError("a number from 0 to 1") from None
    if not 0.0 <= number <= 1.0:
        raise ValueError("a number from 0 to 1")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("text in quotes")
    return value.strip()


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValueError("true or false")


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in allowed:
            raise ValueError("one of " + ", ".join(allowed))
        return text

    return check


def _database_url(value: Any) -> str:
    text = _text(value)
    if text and not re.match(r"^(sqlite|postgresql)(\+\w+)?://", text):
        raise ValueError("a sqlite:/// or postgresql:// URL")
    if text.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        text = "postgresql+psycopg://" + text[len("postgresql://") :]
    return text


def _redis_url(value: Any) -> str:
    text = _text(value)
    if text and not re.match(r"^(redis|rediss|unix)://", text):
        raise ValueError("a redis://host:6379/0, rediss:// or unix:// URL")
    return text


def _issuer(value: Any) -> str:
    text = _text(value).rstrip("/")
    if text and not re.match(r"^https?://[^/]+", text):
        raise ValueError(
            "an https:// issuer URL such as https://login.microsoftonline.com/TENANT/v2.0"
        )
    return text


def _role_groups(value: Any) -> dict[str, tuple[str, ...]]:
    example = 'a table such as { admin = ["GROUP-ID"], lead = ["GROUP-ID"] }'
    if isinstance(value, str):  # from the environment: the same table as JSON
        import json

        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError:
            raise ValueError('JSON such as {"admin": ["GROUP-ID"]}') from None
    if not isinstance(value, Mapping):
        raise ValueError(example)
    out: dict[str, tuple[str, ...]] = {}
    for role, groups in value.items():
        if role not in ROLES:
            raise ValueError(example + " (roles: " + ", ".join(ROLES) + ")")
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise ValueError(example)
        out[str(role)] = tuple(g.strip() for g in groups if g.strip())
    return out


def _smtp_url(value: Any) -> str:
    text = _text(value)
    if text and not re.match(r"^smtps?://[^/]+", text):
        raise ValueError("an smtp://host:port or smtps://user:pass@host:port URL")
    return text


def _clock(value: Any) -> str:
    text = _text(value)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError("a time of day such as 08:00")
    return f"{int(match[1]):02d}:{match[2]}"


def _timezone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as Europe/London") from None
    return text


def _synonyms(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ValueError('a table such as { PD = ["personality disorder"] }')
    out: dict[str, tuple[str, ...]] = {}
    for key, terms in value.items():
        if isinstance(terms, str):
            terms = [terms]
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ValueError('a table such as { PD = ["personality disorder"] }')
        out[str(key)] = tuple(terms)
    return out


@dataclass(frozen=True)
class Field:
    """Where one setting lives in the TOML file and the environment."""

    name: str
    section: str
    key: str
    env: str
    parse: Callable[[Any], Any]


FIELDS: tuple[Field, ...] = (
    Field("database_url", "database", "url", "TRACKER_DATABASE_URL", _database_url),
    Field("instance_dir", "app", "instance_dir", "TRACKER_INSTANCE_DIR", _text),
    Field("max_upload_mb", "uploads", "max_mb", "TRACKER_MAX_UPLOAD_MB", _positive_int),
    Field(
        "max_parse_seconds",
        "uploads",
        "max_parse_seconds",
        "TRACKER_MAX_PARSE_SECONDS",
        _positive_int,
    ),
    Field(
        "keep_original_days",
        "uploads",
        "keep_original_days",
        "TRACKER_KEEP_ORIGINAL_DAYS",
        _whole_number,
    ),
    Field(
        "match_window_days",
        "matcher",
        "window_days",
        "TRACKER_MATCH_WINDOW_DAYS",
        _positive_int,
    ),
    Field("match_method", "matcher", "method", "TRACKER_MATCH_METHOD", _choice(*MATCH_METHODS)),
    Field("match_threshold", "matcher", "threshold", "TRACKER_MATCH_THRESHOLD", _fraction),
    Field("synonyms", "matcher", "synonyms", "", _synonyms),
    Field("smtp_url", "mail", "smtp_url", "TRACKER_SMTP_URL", _smtp_url),
    Field("mail_from", "mail", "from", "TRACKER_MAIL_FROM", _text),
    Field("outbox_dir", "mail", "outbox_dir", "TRACKER_OUTBOX_DIR", _text),
    Field(
        "digest_weekday",
        "digests",
        "weekday",
        "TRACKER_DIGEST_WEEKDAY",
        _choice(*WEEKDAYS),
    ),
    Field("digest_time", "digests", "time", "TRACKER_DIGEST_TIME", _clock),
    Field("timezone", "digests", "timezone", "TRACKER_TIMEZONE", _timezone),
    Field("secret_key", "web", "secret_key", "TRACKER_SECRET_KEY", _text),
    Field("base_url", "web", "base_url", "TRACKER_BASE_URL", _text),
    Field("require_mfa", "web", "require_mfa", "TRACKER_REQUIRE_MFA", _flag),
    Field("redis_url", "web", "redis_url", "TRACKER_REDIS_URL", _redis_url),
    Field("redis_prefix", "web", "redis_prefix", "TRACKER_REDIS_PREFIX", _text),
    Field("metrics_token", "web", "metrics_token", "TRACKER_METRICS_TOKEN", _text),
    Field("password_sign_in", "web", "password_sign_in", "TRACKER_PASSWORD_SIGN_IN", _flag),
    Field("log_format", "log", "format", "TRACKER_LOG_FORMAT", _choice("text", "json")),
    Field("oidc_issuer", "oidc", "issuer", "TRACKER_OIDC_ISSUER", _issuer),
    Field("oidc_client_id", "oidc", "client_id", "TRACKER_OIDC_CLIENT_ID", _text),
    Field("oidc_client_secret", "oidc", "client_secret", "TRACKER_OIDC_CLIENT_SECRET", _text),
    Field("oidc_label", "oidc", "label", "TRACKER_OIDC_LABEL", _text),
    Field("oidc_groups_claim", "oidc", "groups_claim", "TRACKER_OIDC_GROUPS_CLAIM", _text),
    Field("oidc_roles", "oidc", "roles", "TRACKER_OIDC_ROLES", _role_groups),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
assert set(FIELD_BY_NAME) == {f.name for f in fields(Settings)}


def _apply(values: dict[str, Any], item: Field, raw: Any, where: str) -> None:
    try:
        values[item.name] = item.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{where}: expected {exc}, got {raw!r}") from None


def load_settings(
    toml_text: str = "",
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Layer the config file, the environment and flags over the defaults."""
    environ = {} if environ is None else environ
    values: dict[str, Any] = {}
    try:
        document = tomllib.loads(toml_text) if toml_text else {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file is not valid TOML: {exc}") from None
    known_sections = {f.section for f in FIELDS}
    for section, table in document.items():
        if section not in known_sections or not isinstance(table, dict):
            raise ConfigError(
                f"config file: unknown section [{section}]; "
                f"allowed: {', '.join(sorted(known_sections))}"
            )
        known_keys = {f.key for f in FIELDS if f.section == section}
        for key in table:
            if key not in known_keys:
                raise ConfigError(
                    f"config file: unknown key {section}.{key}; "
                    f"allowed: {', '.join(sorted(known_keys))}"
                )
    for item in FIELDS:
        table = document.get(item.section, {})
        if item.key in table:
            _apply(values, item, table[item.key], f"{item.section}.{item.key}")
    for item in FIELDS:
        if item.env and item.env in environ:
            _apply(values, item, environ[item.env], item.env)
    for name, raw in (overrides or {}).items():
        if raw is None:
            continue
        _apply(values, FIELD_BY_NAME[name], raw, "--" + name.replace("_", "-"))
    return replace(Settings(), **values)


def read_settings(
    config_path: str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings from --config (or ./config.toml), the environment and flags."""
    environ = os.environ if environ is None else environ
    path = config_path or environ.get("TRACKER_CONFIG") or "config.toml"
    text = ""
    if Path(path).is_file():
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from None
    elif config_path:
        raise ConfigError(f"config file {path} does not exist")
    return load_settings(text, environ, overrides)
