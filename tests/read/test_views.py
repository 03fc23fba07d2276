"""The views as the README shows them: the DuckDB CLI's ``.read``, Python's duckdb, connect."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from mpcrawl.read import NoArchiveError, connect, views_sql
from mpcrawl.schemas import TABLES
from tests.read.readers import duckdb_cli
from tests.shared import REPO

VIEWS = [*TABLES, "posts_latest", "post_versions", "deleted_posts", "embeds_latest"]


def readme_recipe(archive: Path) -> str:
    """The README's DuckDB CLI recipe, word for word but for the archive path."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### From the DuckDB command line", 1)[1].split("```sql\n", 1)[1]
    recipe = block.split("```", 1)[0]
    assert "SET VARIABLE archive = 'output';" in recipe
    return recipe.replace("'output'", "'" + str(archive).replace("'", "''") + "'")


def run_cli(archive: Path, *queries: str) -> subprocess.CompletedProcess[str]:
    script = readme_recipe(archive) + "".join(f"{q};\n" for q in queries)
    return subprocess.run(
        [duckdb_cli(), "-csv", "-noheader"],
        input=script,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def counts(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [con.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0] for view in VIEWS]


@pytest.mark.parametrize("name", ["first_run", "wordpress_edited", "compacted"])
def test_the_cli_recipe_loads_every_view(name: str, request: pytest.FixtureRequest) -> None:
    archive: Path = request.getfixturevalue(name)
    result = run_cli(archive, *(f"SELECT count(*) FROM {view}" for view in VIEWS))
    assert (result.returncode, result.stderr) == (0, "")
    con = connect(str(archive))
    latest = con.sql("SELECT count(*) FROM posts_latest").fetchall()[0][0]
    assert latest > 0
    # The recipe's own query first, then ours.
    assert [int(line) for line in result.stdout.split()] == [latest, *counts(con)]


def test_python_duckdb_runs_the_file_as_it_is(first_run: Path) -> None:
    con = duckdb.connect()
    con.execute("SET VARIABLE archive = ?", [str(first_run)])
    con.execute((REPO / "mpcrawl" / "sql" / "views.sql").read_text())
    assert counts(con) == counts(connect(str(first_run)))
    assert views_sql() == (REPO / "mpcrawl" / "sql" / "views.sql").read_text()


def test_a_path_with_glob_characters(first_run: Path, tmp_path: Path) -> None:
    """``[1]``, ``*`` and ``?`` in the path are names, not patterns, to the views."""
    archive = tmp_path / "arch[1] *?" / "output"
    shutil.copytree(first_run, archive)
    (tmp_path / "arch1 x").mkdir()  # what the unescaped pattern would match instead
    expected = counts(connect(str(first_run)))
    assert expected[0] > 0
    assert counts(connect(str(archive))) == expected
    result = run_cli(archive, "SELECT count(*) FROM posts")
    assert (result.returncode, result.stderr) == (0, "")
    assert int(result.stdout.split()[-1]) == expected[0]


def test_a_path_without_an_archive_is_an_error(tmp_path: Path) -> None:
    typo = tmp_path / "outptu"
    with pytest.raises(NoArchiveError, match=f"^{re.escape(str(typo))} holds no mpcrawl archive"):
        connect(str(typo))
    typo.mkdir()
    with pytest.raises(NoArchiveError, match=re.escape(str(typo))):
        connect(str(typo))


def test_the_readme_reading_examples_run_as_written(
    first_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every Python and SQL block of "Reading the archive", on the demo's archive."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reading the archive", 1)[1].split("### Example queries", 1)[0]
    blocks = re.findall(r"```(python|sql)\n(.*?)```", section, flags=re.S)
    assert [lang for lang, _ in blocks].count("python") >= 4
    monkeypatch.chdir(REPO)  # the examples open mpcrawl/sql/views.sql from the checkout
    for lang, code in blocks:
        code = re.sub(r"""(["'])output""", lambda m: m.group(1) + str(first_run), code)
        if lang == "python":
            exec(compile(code, "README.md", "exec"), {})
        elif "getvariable" not in code and ".read" not in code:
            assert duckdb.sql(code).fetchall()
