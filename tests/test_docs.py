"""The README and docs/ as a user reads them: every command block parses, names only
commands, arguments and settings that exist, and a block that needs a real site or path
says so (``<!-- needs: real site -->`` before it). Blocks that run offline are run by the
tests beside what they touch (tests/test_usage.py, tests/read/test_views.py)."""

from __future__ import annotations

import argparse
import ast
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from scrapy.commands import ScrapyCommand
from scrapy.settings import Settings

from mpcrawl import settings as defaults
from mpcrawl.spiders.wp import SPIDER_ARGUMENTS
from tests.shared import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
NEEDS = ("real site", "real path", "make")  # what a marked block needs to run
# A real site (not 127.0.0.1) or a path on a machine of the user's.
REAL = re.compile(r"https://(?!…)|(?<![\w.])/(data|opt|var|etc)/")
MPCRAWL_SETTINGS = sorted(n for n in vars(defaults) if n.startswith("MPCRAWL_"))


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    needs: str | None
    code: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(
        r"^(?:<!-- needs: ([^>]*?) -->\n)?```(\w*)\n(.*?)^```", text, flags=re.S | re.M
    ):
        line = text.count("\n", 0, match.start(2)) + 1
        found.append(Block(page, line, match.group(2), match.group(1), match.group(3)))
    return found


ALL = [block for page in PAGES for block in blocks(page)]
SHELL = [block for block in ALL if block.lang == "sh"]


def scrapy_commands(code: str) -> list[list[str]]:
    """Each ``scrapy`` command line of a shell block, split as the shell would."""
    joined = code.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0].endswith("bin/scrapy"):
            commands.append(words[1:])
    return commands


def command_class(name: str) -> type[ScrapyCommand]:
    module = __import__(f"mpcrawl.commands.{name}", fromlist=["Command"])
    command: type[ScrapyCommand] = module.Command
    return command


def parse(words: list[str]) -> argparse.Namespace:
    """The command line through the command's own argument parser (nothing is run)."""
    name, *rest = words
    command = command_class(name)()
    command.settings = Settings()
    parser = argparse.ArgumentParser(prog=f"scrapy {name}", exit_on_error=False)
    command.add_options(parser)

    def refuse(message: str) -> None:
        raise AssertionError(f"scrapy {name}: {message}")

    setattr(parser, "error", refuse)  # noqa: B010
    opts, args = parser.parse_known_args(rest)
    assert not [a for a in args if a.startswith("-")], f"unknown options {args}"
    opts.args = args
    return opts


def test_the_readme_is_a_front_door() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 400


@pytest.mark.parametrize("block", SHELL, ids=str)
def test_each_shell_block_parses_and_names_what_exists(block: Block) -> None:
    result = subprocess.run(["bash", "-n"], input=block.code, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for words in scrapy_commands(block.code):
        opts = parse(words)
        settings = dict(s.split("=", 1) for s in opts.set)
        for name in settings:
            assert not name.startswith("MPCRAWL_") or name in MPCRAWL_SETTINGS, name
        if words[0] == "crawl":
            assert opts.args == ["wp"]
            for pair in opts.spargs:
                assert pair.split("=", 1)[0] in SPIDER_ARGUMENTS, pair


@pytest.mark.parametrize("block", SHELL, ids=str)
def test_a_block_that_needs_a_real_site_or_path_is_marked(block: Block) -> None:
    assert block.needs is None or block.needs in NEEDS, block.needs
    real = bool(REAL.search(block.code))
    make = any(line.startswith("make ") for line in block.code.splitlines())
    if block.needs in ("real site", "real path"):
        assert real, "marked, but needs no real site or path"
    elif block.needs == "make":
        assert make
    else:
        assert not real, "uses a real site or path: mark it <!-- needs: real site -->"
        assert not make, "runs make: mark it <!-- needs: make -->"


@pytest.mark.parametrize("block", [b for b in ALL if b.lang == "python"], ids=str)
def test_each_python_block_parses(block: Block) -> None:
    ast.parse(block.code)


@pytest.mark.parametrize("block", [b for b in ALL if b.lang == "sql"], ids=str)
def test_each_sql_block_parses(block: Block) -> None:
    code = "\n".join(line for line in block.code.splitlines() if not line.startswith("."))
    assert duckdb.extract_statements(code)


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    text = (REPO / "docs" / "crawling.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `(MPCRAWL_\w+)` \|", text, flags=re.M)
    assert sorted(table) == MPCRAWL_SETTINGS
    arguments = re.findall(r"^\| `(\w+)=", text, flags=re.M)
    assert sorted(arguments) == sorted(SPIDER_ARGUMENTS)
    # The README's own example of a misspelt setting, and the tests' environment variables.
    known = (
        *MPCRAWL_SETTINGS,
        "MPCRAWL_ARCHVE",
        "MPCRAWL_REQUIRE_WORDPRESS",
        "MPCRAWL_REQUIRE_DRUPAL",
        "MPCRAWL_PLATFORMS_CACHE",
        "MPCRAWL_BENCH_STATE",
    )
    for page in PAGES:
        for name in set(re.findall(r"\bMPCRAWL_[A-Z_]+\b", page.read_text(encoding="utf-8"))):
            assert name in known or name.startswith("MPCRAWL_WORDPRESS_"), f"{page.name}: {name}"


def test_every_link_between_pages_resolves() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([^)#\s:]*)(?:#([^)\s]+))?\)", text):
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{page.name}: {target}"
            if anchor and path.suffix == ".md":
                headings = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
                slugs = {
                    re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                    for h in re.findall(r"^#+ (.*)$", headings, flags=re.M)
                }
                assert anchor in slugs, f"{page.name}: {target}#{anchor}"
