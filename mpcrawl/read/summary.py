"""What an archive holds, in a few lines a person reads after a run."""

from __future__ import annotations

import duckdb

from mpcrawl.schemas import TABLES


def summarise(con: duckdb.DuckDBPyConnection) -> str:
    """Rows per table and site, date range, recent titles with their categories."""
    lines = ["Rows per table and site (posts count versions; views count each once):"]
    for table in TABLES:
        rows = con.sql(f"SELECT site, count(*) FROM {table} GROUP BY site ORDER BY site").fetchall()
        for site, count in rows:
            lines.append(f"  {table:<13} {site:<32} {count:>7,}")
    span = con.sql("SELECT min(date_gmt), max(date_gmt), count(*) FROM posts_latest").fetchall()[0]
    if span[2]:
        first, last, count = span
        lines.append(
            f"Posts and pages: {count:,}, published {first:%Y-%m-%d} to {last:%Y-%m-%d} UTC"
        )
    recent = con.sql(
        "SELECT date_gmt, title, category_names FROM posts_latest WHERE post_type = 'post' "
        "ORDER BY date_gmt DESC LIMIT 5"
    ).fetchall()
    if recent:
        lines.append("Latest posts:")
        for when, title, categories in recent:
            lines.append(f"  {when:%Y-%m-%d}  {title}  [{', '.join(categories or [])}]")
    providers = con.sql(
        "SELECT provider, count(*) FROM embeds_latest GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    if providers:
        lines.append("Video embeds: " + ", ".join(f"{p} {n}" for p, n in providers))
    runs = con.sql(
        "SELECT site, outcome, requests, posts_new, posts_unchanged FROM runs "
        "QUALIFY row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) = 1 ORDER BY site"
    ).fetchall()
    if runs:
        lines.append("Last run per site:")
        for site, outcome, requests, new, unchanged in runs:
            lines.append(
                f"  {site}: {outcome}, {requests} requests, {new} new, {unchanged} unchanged"
            )
    return "\n".join(lines)
