"""mpcrawl's commands run outside its folder: one line saying where to run them.

Scrapy finds a project's commands (``COMMANDS_MODULE``) only inside the project, where
``scrapy.cfg`` is; elsewhere ``scrapy report`` was "Unknown command: report". These
stand-ins, registered as ``scrapy.commands`` entry points (``pyproject.toml``), are what
``scrapy`` finds outside any project; inside mpcrawl the real commands replace them.
``crawl`` is Scrapy's own inside any other project.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.utils.project import inside_project

from mpcrawl.commands.archive_arg import one_line_errors


def where() -> str:
    """The folder to run mpcrawl's commands in: this checkout's, when it is one."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "scrapy.cfg").is_file():
        return f"cd {checkout}"
    return "run it in the folder of mpcrawl's scrapy.cfg"


class _Elsewhere(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    name = ""

    def short_desc(self) -> str:
        return f"mpcrawl's {self.name} (run it in mpcrawl's folder)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, self.name)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        raise UsageError(
            f"{self.name} is an mpcrawl command: {where()} (where scrapy.cfg is) and run it there",
            print_help=False,
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Never reached: :meth:`process_options` refuses first."""


class Report(_Elsewhere):
    name = "report"


class Changes(_Elsewhere):
    name = "changes"


class Compact(_Elsewhere):
    name = "compact"


class Fanout(_Elsewhere):
    name = "fanout"


class Crawl(ScrapyCrawl):
    """Scrapy's ``crawl`` in any project; outside one, where mpcrawl's crawl runs."""

    requires_project = False

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        if not inside_project():
            one_line_errors(parser, "crawl")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        if not inside_project():
            raise UsageError(
                f"crawl runs a project's spider: {where()} (where mpcrawl's scrapy.cfg is) "
                "and run it there",
                print_help=False,
            )
        super().process_options(args, opts)
