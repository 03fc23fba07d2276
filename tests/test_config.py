"""``Config``: every ``MPCRAWL_*`` setting checked, each mistake named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from mpcrawl.config import Config, ConfigError
from tests.inprocess import wp_crawler


def settings(**values: object) -> Settings:
    result = Settings()
    result.setmodule("mpcrawl.settings", priority="project")
    result.setdict(values, priority="cmdline")
    return result


def test_the_defaults_of_settings_py_are_valid() -> None:
    config = Config.from_settings(settings())
    assert config.archive == "output"
    assert config.timeout_fallback_per_page == (50, 20)
    assert config.lock_stale_after == 6 * 3600
    assert config.compact_after == 4
    assert config.contact_url == "https://github.com/mpcrawl/mpcrawl"
    assert config.run_id[:8].isdigit() and config.credentials == {}


BAD = [
    ("MPCRAWL_ARCHIVE", "", "MPCRAWL_ARCHIVE must be a path or URI, not ''"),
    ("MPCRAWL_NETRC", "/no/such/netrc", "MPCRAWL_NETRC='/no/such/netrc': no such file"),
    ("MPCRAWL_CONTACT_URL", "me@example.org", "MPCRAWL_CONTACT_URL must be an http(s) URL"),
    ("MPCRAWL_CONTACT_URL", "https://e.org/a b", "MPCRAWL_CONTACT_URL must not contain spaces"),
    ("MPCRAWL_BATCH_ROWS", "many", "MPCRAWL_BATCH_ROWS must be a whole number, not 'many'"),
    ("MPCRAWL_BATCH_ROWS", "0", "MPCRAWL_BATCH_ROWS must be at least 1, not 0"),
    ("MPCRAWL_FILE_ROWS", "1.5", "MPCRAWL_FILE_ROWS must be a whole number, not '1.5'"),
    ("MPCRAWL_RETRY_AFTER_MAX", "0", "MPCRAWL_RETRY_AFTER_MAX must be a positive number"),
    ("MPCRAWL_RETRY_BACKOFF", "abc", "MPCRAWL_RETRY_BACKOFF must be a number, not 'abc'"),
    ("MPCRAWL_RETRY_BACKOFF", "-1", "MPCRAWL_RETRY_BACKOFF must be a positive number"),
    ("MPCRAWL_RETRY_BACKOFF", "nan", "MPCRAWL_RETRY_BACKOFF must be a positive number"),
    ("MPCRAWL_PROGRESS_INTERVAL", "x", "MPCRAWL_PROGRESS_INTERVAL must be a number, not 'x'"),
    ("MPCRAWL_PROGRESS_INTERVAL", "-5", "MPCRAWL_PROGRESS_INTERVAL must be a positive number"),
    (
        "MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK",
        "abc",
        "MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK must be whole numbers 1..100, not 'abc'",
    ),
    ("MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK", "50,200", "MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK values"),
    ("MPCRAWL_LOCK_STALE_AFTER", "soon", "MPCRAWL_LOCK_STALE_AFTER must be a number"),
    ("MPCRAWL_COMPACT_AFTER", "some", "MPCRAWL_COMPACT_AFTER must be a whole number, not 'some'"),
    ("MPCRAWL_COMPACT_AFTER", "-1", "MPCRAWL_COMPACT_AFTER must be at least 0, not -1"),
    ("MPCRAWL_LOCK_STALE_AFTER", "0", "MPCRAWL_LOCK_STALE_AFTER must be a positive number"),
    ("MPCRAWL_LOCK_STALE_AFTER", "inf", "MPCRAWL_LOCK_STALE_AFTER must be a positive number"),
    ("MPCRAWL_RUN_ID", "../../../x", "MPCRAWL_RUN_ID='../../../x': use letters, digits"),
    ("MPCRAWL_RUN_ID", "a/b", "MPCRAWL_RUN_ID='a/b': use letters, digits"),
    ("MPCRAWL_RUN_ID", "run 1", "MPCRAWL_RUN_ID='run 1': use letters, digits"),
    ("MPCRAWL_CAPTURE_PAGES", "True", "MPCRAWL_CAPTURE_PAGES needs MPCRAWL_WARC=True"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD, ids=[f"{n}={v}" for n, v, _ in BAD])
def test_each_bad_value_is_one_line_naming_the_setting(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        Config.from_settings(settings(**{name: value}))
    text = str(error.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_a_given_run_id_is_kept_as_it_is() -> None:
    run_id = "20260101T000000Z-node1-7f3a9c"
    assert Config.from_settings(settings(MPCRAWL_RUN_ID=run_id)).run_id == run_id


def test_a_broken_netrc_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "netrc"
    path.write_text("machine example.org login a password b\nnonsense here\n")
    with pytest.raises(ConfigError, match=r"^MPCRAWL_NETRC='.*netrc': "):
        Config.from_settings(settings(MPCRAWL_NETRC=str(path)))


def test_credentials_are_read_and_never_printed(tmp_path: Path) -> None:
    path = tmp_path / "netrc"
    path.write_text("machine wp.example login editor password s3cret\n")
    config = Config.from_settings(settings(MPCRAWL_NETRC=str(path)))
    creds = config.credentials_for("wp.example")
    assert creds is not None and (creds.login, creds.password) == ("editor", "s3cret")
    assert "s3cret" not in repr(config)
    assert config.credentials_for("other.example") is None


def test_one_config_per_crawl_read_by_every_component(tmp_path: Path) -> None:
    path = tmp_path / "netrc"
    path.write_text("machine wp.example login editor password s3cret\n")
    crawler = wp_crawler(tmp_path / "archive", MPCRAWL_NETRC=str(path))
    first = Config.from_crawler(crawler)
    path.unlink()  # a second read of the netrc would now fail
    assert Config.from_crawler(crawler) is first
    assert first.archive == str(tmp_path / "archive")


@pytest.mark.parametrize(
    ("args", "settings_", "line"),
    [
        (["ful=1"], {}, "unknown spider argument -a ful; known: site, sites, sites_csv, types"),
        (["type=pages"], {}, "unknown spider argument -a type; known: site,"),
        ([], {"MPCRAWL_RETRY_BACKOFF": "abc"}, "MPCRAWL_RETRY_BACKOFF must be a number, not 'abc'"),
        ([], {"MPCRAWL_RUN_ID": "../../../x"}, "MPCRAWL_RUN_ID='../../../x': use letters"),
        (["-a", "foo"], {}, "Invalid -a value, use -a NAME=VALUE"),
    ],
    ids=["ful", "type", "backoff", "run-id", "no-equals"],
)
def test_scrapy_crawl_names_a_usage_error_in_one_line(
    tmp_path: Path, args: list[str], settings_: dict[str, str], line: str
) -> None:
    from tests.crawl import crawl

    result = crawl(tmp_path / "archive", "site=http://127.0.0.1:9", *args, **settings_)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"scrapy crawl: error: {line}")
    assert result.stderr.count("error:") == 1
    for absent in ("usage:", "Traceback", "Spider opened"):
        assert absent not in result.stderr
    assert not (tmp_path / "archive").exists()
