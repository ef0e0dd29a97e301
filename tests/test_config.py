"""Settings layering and validation, with no files involved."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tracker.config import FIELDS, Settings, load_settings, read_settings
from tracker.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_when_nothing_is_set() -> None:
    """Does an empty config give the embedded defaults?"""
    settings = load_settings("", {}, {})
    assert settings == Settings()
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("instance/tracker.sqlite")


def test_flag_beats_environment_beats_file() -> None:
    """Is the precedence flag > environment > file > default?"""
    toml = '[database]\nurl = "sqlite:///file.db"\n[matcher]\nwindow_days = 90\n'
    env = {"TRACKER_DATABASE_URL": "sqlite:///env.db"}
    assert load_settings(toml, {}, {}).database_url == "sqlite:///file.db"
    assert load_settings(toml, env, {}).database_url == "sqlite:///env.db"
    flagged = load_settings(toml, env, {"database_url": "sqlite:///flag.db"})
    assert flagged.database_url == "sqlite:///flag.db"
    assert flagged.match_window_days == 90


@pytest.mark.parametrize(
    ("toml", "env", "needle"),
    [
        (
            "[matcher]\nwindow_days = -3\n",
            {},
            "matcher.window_days: expected a whole number above 0",
        ),
        ("[matcher]\nthreshold = 7\n", {}, "matcher.threshold: expected a number from 0 to 1"),
        ("", {"TRACKER_MAX_UPLOAD_MB": "lots"}, "TRACKER_MAX_UPLOAD_MB: expected a whole number"),
        ("", {"TRACKER_DATABASE_URL": "mysql://x"}, "a sqlite:/// or postgresql:// URL"),
        ("", {"TRACKER_SMTP_URL": "http://x"}, "TRACKER_SMTP_URL: expected an smtp://"),
        ('[digests]\nweekday = "someday"\n', {}, "digests.weekday: expected one of mon"),
        ('[digests]\ntime = "25:00"\n', {}, "digests.time: expected a time of day"),
        ('[digests]\ntimezone = "Mars/Olympus"\n', {}, "digests.timezone: expected an IANA"),
        ("[nonsense]\nx = 1\n", {}, "unknown section [nonsense]"),
        ('[mail]\nsmtp = "x"\n', {}, "unknown key mail.smtp"),
        ("[mail\n", {}, "not valid TOML"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(toml: str, env: dict, needle: str) -> None:
    """Does a bad value fail with a message naming the key and the allowed values?"""
    with pytest.raises(ConfigError) as caught:
        load_settings(toml, env, {})
    assert needle in caught.value.message
    assert "\n" not in caught.value.message


def test_postgres_url_uses_psycopg3() -> None:
    """Is a plain postgresql:// URL pointed at the psycopg 3 driver we ship?"""
    settings = load_settings("", {"TRACKER_DATABASE_URL": "postgresql://u@h/db"}, {})
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_synonyms_from_config() -> None:
    """Can users extend the glossary in config.toml?"""
    toml = '[matcher.synonyms]\nCMHT = ["community mental health team"]\n'
    assert load_settings(toml, {}, {}).synonyms == {"CMHT": ("community mental health team",)}


def test_missing_config_file_given_by_flag(tmp_path: Path) -> None:
    """Does --config with a missing file fail clearly?"""
    with pytest.raises(ConfigError, match="does not exist"):
        read_settings(str(tmp_path / "nope.toml"), environ={})


def test_example_config_documents_every_setting() -> None:
    """Does config.example.toml hold every key, with the default value?"""
    document = tomllib.loads((ROOT / "config.example.toml").read_text())
    defaults = Settings()
    for item in FIELDS:
        assert item.key in document.get(item.section, {}), f"{item.section}.{item.key} missing"
        value = document[item.section][item.key]
        default = getattr(defaults, item.name)
        if item.name != "synonyms":
            assert value == default, (
                f"{item.section}.{item.key}: example {value!r} != default {default!r}"
            )
    assert load_settings((ROOT / "config.example.toml").read_text(), {}, {}) == defaults


def test_match_methods_agree_with_the_matcher() -> None:
    """Does config accept exactly the matcher's methods?"""
    from tracker.config import MATCH_METHODS
    from tracker.domain.matching import METHODS

    assert set(MATCH_METHODS) == set(METHODS)
    with pytest.raises(ConfigError, match=r"matcher\.method: expected one of tfidf"):
        load_settings('[matcher]\nmethod = "magic"\n', {}, {})


def test_require_mfa_flag() -> None:
    """Is two-step sign-in on by default, and switched off by file or environment?"""
    assert Settings().require_mfa is True
    assert load_settings("[web]\nrequire_mfa = false\n", {}, {}).require_mfa is False
    assert load_settings("", {"TRACKER_REQUIRE_MFA": "false"}, {}).require_mfa is False
    assert load_settings("", {"TRACKER_REQUIRE_MFA": "1"}, {}).require_mfa is True
    with pytest.raises(ConfigError, match="TRACKER_REQUIRE_MFA: expected true or false"):
        load_settings("", {"TRACKER_REQUIRE_MFA": "maybe"}, {})


def test_single_sign_on_roles_from_file_and_environment() -> None:
    """Are group-to-role tables read from the file, or as JSON from the environment,
    and unknown roles refused with one clear line?"""
    toml = '[oidc.roles]\nadmin = ["g1", "g2"]\nlead = "g3"\n'
    assert load_settings(toml, {}, {}).oidc_roles == {"admin": ("g1", "g2"), "lead": ("g3",)}
    env = {"TRACKER_OIDC_ROLES": '{"chair": ["g4"]}'}
    assert load_settings("", env, {}).oidc_roles == {"chair": ("g4",)}
    with pytest.raises(ConfigError, match="TRACKER_OIDC_ROLES: expected JSON"):
        load_settings("", {"TRACKER_OIDC_ROLES": "admin=g1"}, {})
    with pytest.raises(ConfigError, match="roles: chair, lxp, lead, admin"):
        load_settings('[oidc.roles]\nboss = ["g"]\n', {}, {})
    with pytest.raises(ConfigError, match="TRACKER_REDIS_URL"):
        load_settings("", {"TRACKER_REDIS_URL": "http://x"}, {})
    with pytest.raises(ConfigError, match="TRACKER_LOG_FORMAT"):
        load_settings("", {"TRACKER_LOG_FORMAT": "xml"}, {})
