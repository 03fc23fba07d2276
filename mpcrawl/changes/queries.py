"""The digest's SQL (``mpcrawl/sql/changes_*.sql``, beside ``views.sql``), run on a connection.

Each file is one step: the window and versions files fill temporary tables the others
read; parameters are DuckDB's named ``$name`` parameters, never pasted into the text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb


@cache
def sql(name: str) -> str:
    """The text of ``mpcrawl/sql/changes_<name>.sql``."""
    path = resources.files("mpcrawl").joinpath(f"sql/changes_{name}.sql")
    return path.read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    """Run every statement of a file (they create the digest's temporary tables)."""
    for statement in sql(name).split(";\n"):
        text = statement.strip()
        if text and not all(line.startswith("--") for line in text.splitlines()):
            used = {k: v for k, v in params.items() if f"${k}" in text}
            con.execute(text, used)


def rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a file's one query."""
    return con.execute(sql(name), params).fetchall()
