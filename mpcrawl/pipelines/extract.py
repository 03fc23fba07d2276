"""Extract: text, counts, outbound links, video embeds and speaker turns of new versions,
of REST posts and revisions and of the fallback path's pages alike."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

from mpcrawl.extract.embeds import find_embeds
from mpcrawl.extract.members import member_id_for
from mpcrawl.extract.speakers import find_turns
from mpcrawl.extract.text import html_to_text, outbound_links, parse_fragment, word_count
from mpcrawl.items import PostItem, RevisionItem
from mpcrawl.pipelines import PipelineItem
from mpcrawl.web.items import WebPageItem, extract_page


class ExtractPipeline:
    """Thin adapter over :mod:`mpcrawl.extract`; fills columns, never drops an item."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: PipelineItem) -> PipelineItem:
        match item:
            case RevisionItem():
                item.content_text = html_to_text(item.content_html) if item.content_html else None
            case PostItem():
                self._post(item)
            case WebPageItem():
                extract_page(item)
                self._count(item.embeds, item.turn_count or 0)
        return item

    def _post(self, item: PostItem) -> None:
        html = item.content_html or ""
        # One parse for links, turns and text; html_to_text changes the tree, so it is last.
        tree = parse_fragment(html)
        host = urlsplit(item.link or "").hostname
        item.outbound_links = outbound_links(html, item.link, host, tree=tree) if html else []
        embeds = find_embeds(html, item.link) if html else []
        turns = find_turns(html, tree=tree) if html else []
        text = html_to_text(html, tree=tree) if html else ""
        item.content_text = text if html else None
        item.word_count = word_count(text)
        item.excerpt_text = html_to_text(item.excerpt_html) if item.excerpt_html else None
        item.embeds = [
            {k: v for k, v in asdict(embed).items() if k != "position"}
            | {"position": embed.position}
            for embed in embeds
        ]
        item.turns = [
            asdict(turn) | {"turn": number, "speaker_member_id": member_id_for(turn)}
            for number, turn in enumerate(turns)
        ]
        item.embed_count = len(embeds)
        item.turn_count = len(turns)
        if not item.archived:
            self._count(item.embeds, len(turns))

    def _count(self, embeds: list[dict[str, Any]], turns: int) -> None:
        """The stats of a new version's embeds (per provider) and speaker turns."""
        assert self.stats is not None
        for embed in embeds:
            self.stats.inc_value(f"mpcrawl/embeds/{embed['provider']}")
        if turns:
            self.stats.inc_value("mpcrawl/turns", turns)
