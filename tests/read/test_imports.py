"""The read side imports nothing of the crawl; the write side never imports DuckDB."""

from __future__ import annotations

import subprocess
import sys

CRAWL = ("scrapy", "twisted", "mpcrawl.spiders", "mpcrawl.pipelines", "mpcrawl.middlewares")


def imported_after(statement: str) -> set[str]:
    """Modules a fresh interpreter holds after ``statement``."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.split())


def test_the_read_side_imports_nothing_of_the_crawl() -> None:
    modules = imported_after("import mpcrawl.read, mpcrawl.read.summary, mpcrawl.read.report")
    assert "duckdb" in modules
    assert not {m for m in modules if m.startswith(CRAWL)}


def test_writing_the_archive_does_not_import_duckdb() -> None:
    modules = imported_after(
        "import mpcrawl.archive, mpcrawl.archive.writer, mpcrawl.archive.compact"
    )
    assert "pyarrow" in modules
    assert "duckdb" not in modules
    assert "duckdb" in imported_after("from mpcrawl.archive import connect")


def test_the_crawl_does_not_import_the_servers_it_turns_off() -> None:
    # Scrapy imports every key of EXTENSIONS, a None one too, to match it with its base list.
    modules = imported_after(
        "from scrapy.settings import Settings\n"
        "settings = Settings()\n"
        "settings.setmodule('mpcrawl.settings', priority='project')\n"
        "extensions = settings.get_component_priority_dict_with_base('EXTENSIONS')\n"
        "assert 'mpcrawl.ledger.SiteLedger' in extensions"
    )
    assert "mpcrawl.ledger" in modules
    assert not {m for m in modules if m.startswith(("aiohttp", "twisted.conch"))}
