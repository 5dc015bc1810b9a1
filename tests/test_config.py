import stat
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, read_dotenv


def settings_for(tmp_path: Path, **env: str):
    base = {"MUTUAL_DATABASE": str(tmp_path / "data" / "mutual.db")}
    base.update(env)
    return load_settings(base, dotenv=None)


def test_defaults_create_a_private_data_folder_and_leave_the_secret_to_start_up(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path)
    secret_file = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    # A new secret is only written once start-up has checked the database (bot/keyed_secret.py).
    assert not secret_file.exists()
    assert settings.secret_is_new and settings.secret_file == secret_file
    assert settings.token is None and settings.dev_guild_id is None
    secret_file.write_text(settings.secret.decode() + "\n")
    again = settings_for(tmp_path)
    assert again.secret == settings.secret and not again.secret_is_new


def test_repr_hides_token_and_secret(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, DISCORD_TOKEN="tok-123", MUTUAL_SECRET="s" * 20)
    assert "tok-123" not in repr(settings) and "sssss" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MUTUAL_DEV_GUILD_ID", "abc"),
        ("MUTUAL_LOG_LEVEL", "LOUD"),
        ("MUTUAL_SEND_RATE", "fast"),
        ("MUTUAL_SECRET", "short"),
        ("MUTUAL_CONTENT_DIR", "/nonexistent/content"),
        ("MUTUAL_LOG_FORMAT", "xml"),
        ("MUTUAL_GUILD_RETENTION_DAYS", "a month"),
        ("MUTUAL_HISTORY_RETENTION_DAYS", "-3"),
        ("MUTUAL_HTTP_PORT", "70000"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        settings_for(tmp_path, **{name: value})


def test_unwritable_database_folder_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="MUTUAL_DATABASE"):
        load_settings({"MUTUAL_DATABASE": str(blocker / "sub" / "mutual.db")}, dotenv=None)


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nexport DISCORD_TOKEN='from-file'\nMUTUAL_DEV_GUILD_ID=42\n", encoding="utf-8"
    )
    assert read_dotenv(dotenv)["DISCORD_TOKEN"] == "from-file"
    settings = load_settings(
        {"MUTUAL_DATABASE": str(tmp_path / "m.db"), "MUTUAL_DEV_GUILD_ID": "7"}, dotenv=dotenv
    )
    assert settings.token == "from-file"
    assert settings.dev_guild_id == 7


def test_operator_settings_default_to_quiet_and_keeping(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert settings.log_format == "text" and settings.http_port is None
    assert settings.guild_retention_days == 30 and settings.history_retention_days is None
    chosen = settings_for(
        tmp_path,
        MUTUAL_LOG_FORMAT="JSON",
        MUTUAL_GUILD_RETENTION_DAYS="0",
        MUTUAL_HISTORY_RETENTION_DAYS="365",
        MUTUAL_HTTP_PORT="9464",
    )
    assert chosen.log_format == "json" and chosen.http_port == 9464
    assert chosen.http_host == "127.0.0.1"
    assert chosen.guild_retention_days == 0 and chosen.history_retention_days == 365


def test_shards_default_to_discords_recommendation_and_the_whole_budget(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert (settings.shard_count, settings.shard_ids) == (None, None)
    assert (settings.send_rate_per_second, settings.send_rate_source) == (45.0, "default")


@pytest.mark.parametrize(
    ("shards", "ids"),
    [("0-7", tuple(range(8))), ("0,2,4-5", (0, 2, 4, 5)), (" 3 ", (3,)), ("1,1,0-1", (0, 1))],
)
def test_shard_ranges_are_read(tmp_path: Path, shards: str, ids: tuple[int, ...]) -> None:
    settings = settings_for(tmp_path, MUTUAL_SHARD_COUNT="16", MUTUAL_SHARDS=shards)
    assert settings.shard_count == 16 and settings.shard_ids == ids


def test_a_share_of_the_shards_gets_its_share_of_the_token_budget(tmp_path: Path) -> None:
    quarter = settings_for(tmp_path, MUTUAL_SHARD_COUNT="8", MUTUAL_SHARDS="2-3")
    assert quarter.send_rate_per_second == pytest.approx(45 * 2 / 8)
    assert quarter.send_rate_source == "shard share"
    every = settings_for(tmp_path, MUTUAL_SHARD_COUNT="8", MUTUAL_SHARDS="0-7")
    assert every.send_rate_per_second == 45.0
    chosen = settings_for(tmp_path, MUTUAL_SHARD_COUNT="8", MUTUAL_SHARDS="0", MUTUAL_SEND_RATE="9")
    assert (chosen.send_rate_per_second, chosen.send_rate_source) == (9.0, "MUTUAL_SEND_RATE")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"MUTUAL_SHARD_COUNT": "0"}, "MUTUAL_SHARD_COUNT must be a whole number"),
        ({"MUTUAL_SHARD_COUNT": "four"}, "MUTUAL_SHARD_COUNT must be a whole number"),
        ({"MUTUAL_SHARDS": "0-3"}, "MUTUAL_SHARDS needs MUTUAL_SHARD_COUNT"),
        ({"MUTUAL_SHARD_COUNT": "4", "MUTUAL_SHARDS": "3-1"}, "the range 3-1 runs backwards"),
        ({"MUTUAL_SHARD_COUNT": "4", "MUTUAL_SHARDS": "2-4"}, "shard 4 does not exist"),
        ({"MUTUAL_SHARD_COUNT": "4", "MUTUAL_SHARDS": "0,,1"}, "an empty part is not"),
        ({"MUTUAL_SHARD_COUNT": "4", "MUTUAL_SHARDS": "a-b"}, "a-b is not a shard id"),
        ({"MUTUAL_SHARD_COUNT": "4", "MUTUAL_SHARDS": "-1"}, "-1 is not a shard id"),
    ],
)
def test_bad_shard_settings_say_what_is_wrong(
    tmp_path: Path, env: dict[str, str], says: str
) -> None:
    with pytest.raises(ConfigError, match=says):
        settings_for(tmp_path, **env)
