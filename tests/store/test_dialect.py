"""One schema source: PostgreSQL's migrations are DuckDB's, translated (store/dialect.py)."""
import re
from importlib import resources

import pytest

from bilat.errors import StoreError
from bilat.store.dialect import translate
from bilat.store.schema import available_migrations

MARKED = """CREATE TABLE t (a VARCHAR NOT NULL, tags VARCHAR[], x DOUBLE, y DOUBLE PRECISION);
-- a comment on the VARCHAR columns stays as it is
INSERT INTO t (a) VALUES ('VARCHAR -- not a comment, not a type');
UPDATE t SET a = l.a
-- dialect duckdb
FROM (SELECT arg_max(a, x) AS a FROM t) AS l
-- dialect postgresql
-- FROM (SELECT DISTINCT ON (a) a FROM t
--       ORDER BY a, x DESC) AS l
-- dialect end
WHERE true;
"""


def test_types_are_translated_outside_strings_and_comments():
    sql = translate(MARKED, "postgresql")
    assert sql.splitlines()[0] == ('CREATE TABLE t (a TEXT COLLATE "C" NOT NULL, tags TEXT[], x DOUBLE PRECISION, '
                                   'y DOUBLE PRECISION);')
    assert "-- a comment on the VARCHAR columns stays as it is" in sql
    assert "VALUES ('VARCHAR -- not a comment, not a type');" in sql


def test_marked_lines_go_to_their_dialect():
    assert translate(MARKED, "duckdb") == MARKED  # DuckDB runs the file as it is: PostgreSQL's lines are comments
    pg = translate(MARKED, "postgresql")
    assert "arg_max" not in pg and "dialect" not in pg
    assert "FROM (SELECT DISTINCT ON (a) a FROM t\n      ORDER BY a, x DESC) AS l\nWHERE true;" in pg


@pytest.mark.parametrize("sql, problem", [
    ("-- dialect postgresql\n-- SELECT 1;\n-- dialect end\n", "duckdb was expected"),
    ("-- dialect duckdb\nSELECT 1;\n", "never closed"),
    ("-- dialect duckdb\nSELECT 1;\n-- dialect postgresql\nSELECT 2;\n-- dialect end\n", "commented out"),
    ("-- dialect duckdb\n-- dialect duckdb\n", "postgresql or end was expected"),
])
def test_bad_marks_are_refused(sql, problem):
    for dialect in ("duckdb", "postgresql"):
        with pytest.raises(StoreError, match=problem):
            translate(sql, dialect, "migrations/009_x.sql")
    with pytest.raises(StoreError, match="unknown SQL dialect"):
        translate("SELECT 1;", "sqlite")


def test_every_migration_has_both_dialects():
    duck, pg = available_migrations("duckdb"), available_migrations("postgresql")
    assert [(n, name) for n, name, _ in duck] == [(n, name) for n, name, _ in pg]
    for (_, name, d), (_, _, p) in zip(duck, pg, strict=True):
        code = "\n".join(line.split("--")[0] for line in p.splitlines())
        assert not re.search(r"\bVARCHAR\b|\bDOUBLE\b(?!\s+PRECISION)|arg_max", code), name
        assert d == (resources.files("bilat.store") / "migrations" / name).read_text(encoding="utf-8")


def test_no_migration_is_written_twice():
    """PostgreSQL's migrations are made from migrations/; a hand-written one would be ignored."""
    folder = resources.files("bilat.store") / "pg_migrations"
    stray = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql")) if folder.is_dir() else []
    assert not stray, (f"store/pg_migrations/{stray}: PostgreSQL's migrations are made from store/migrations/ "
                       "(store/dialect.py): delete these, and mark in the DuckDB file any statement PostgreSQL "
                       "needs written otherwise (-- dialect duckdb / -- dialect postgresql / -- dialect end)")
