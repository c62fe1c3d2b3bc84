"""How paths are expanded: folders (recursive, sorted, hidden skipped), globs, stdin, duplicates."""
from __future__ import annotations

import io

from ingest_helpers import DATA, docs_of, errors_of, read_all

from bilat.ingest import expand_paths


def write(path, text: str = "A title\n\nSome body text.") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path, settings):
    for rel in ("b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.html", ".hidden.txt", ".git/e.txt", "sub/.f.txt"):
        write(tmp_path / rel, "<p>x</p>" if rel.endswith(".html") else "A title\n\nSome body text.")
    docs = read_all([tmp_path], settings)
    assert [d.origin.removeprefix(str(tmp_path) + "/") for d in docs] == [
        "a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.html"]
    assert all(not errors_of(docs) for _ in [0])


def test_explicit_hidden_file_is_read(tmp_path, settings):
    write(tmp_path / ".notes.txt", "Title\n\nBody.")
    (doc,) = read_all([tmp_path / ".notes.txt"], settings)
    assert doc.doc_id == ".notes"


def test_glob_patterns(tmp_path, settings):
    for rel in ("x/one.html", "x/two.html", "x/three.txt", "y/four.html"):
        write(tmp_path / rel, "<p>text</p>")
    got = read_all([str(tmp_path / "x" / "*.html")], settings)
    assert [d.doc_id for d in got] == ["one", "two"]
    got = read_all([str(tmp_path / "**" / "*.html")], settings)
    assert [d.doc_id for d in got] == ["one", "two", "four"]


def test_same_file_twice_is_read_once(tmp_path, settings):
    write(tmp_path / "a.txt")
    got = read_all([tmp_path / "a.txt", tmp_path, str(tmp_path / "*.txt")], settings)
    assert len(got) == 1


def test_order_follows_the_arguments(tmp_path, settings):
    write(tmp_path / "z.txt")
    write(tmp_path / "a.txt")
    got = read_all([tmp_path / "z.txt", tmp_path / "a.txt"], settings)
    assert [d.doc_id for d in got] == ["z", "a"]


def test_stdin_mixed_with_files(settings):
    stdin = io.StringIO('{"id": "piped", "text": "Piped in."}\n')
    got = read_all([DATA / "headline.txt", "-", DATA / "page.html"], settings, stdin=stdin)
    assert [d.doc_id for d in got] == ["headline", "piped", "page"]


def test_empty_stdin(settings):
    (err,) = read_all(["-"], settings, stdin=io.StringIO(""))
    assert err.origin == "<stdin>" and err.reason == "empty file (no JSON lines)"


def test_expand_paths_reports_misses(tmp_path):
    write(tmp_path / "a.txt")
    out = list(expand_paths([str(tmp_path), "-", str(tmp_path / "none.txt")]))
    assert out[0] == str(tmp_path / "a.txt") and out[1] == "-"
    assert out[2].reason == "no such file or directory"


def test_whole_fixture_folder(settings):
    items = read_all([DATA], settings)
    assert len(docs_of(items)) == 10 and len(errors_of(items)) == 2


def test_a_linked_folder_is_reported_not_skipped_in_silence(tmp_path, settings):
    write(tmp_path / "corpus" / "a.txt")
    write(tmp_path / "elsewhere" / "b.txt")
    (tmp_path / "corpus" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    items = read_all([tmp_path / "corpus"], settings)
    assert [d.doc_id for d in docs_of(items)] == ["a"]
    (error,) = errors_of(items)
    assert error.origin == str(tmp_path / "corpus" / "link")
    assert error.reason.startswith("a link to a folder is not followed")


def test_an_unreadable_folder_is_reported_not_skipped_in_silence(tmp_path, settings, monkeypatch):
    import os

    write(tmp_path / "corpus" / "a.txt")
    write(tmp_path / "corpus" / "locked" / "c.txt")
    walk = os.walk

    def walk_denied(top, onerror=None, **kw):  # as os.walk does for a folder it may not list (even as root)
        for root, dirs, files in walk(top, onerror=onerror, **kw):
            if root.endswith("locked"):
                onerror(PermissionError(13, "Permission denied", root))
                continue
            yield root, dirs, files

    monkeypatch.setattr(os, "walk", walk_denied)
    items = read_all([tmp_path / "corpus"], settings)
    assert [d.doc_id for d in docs_of(items)] == ["a"]
    (error,) = errors_of(items)
    assert error.origin == str(tmp_path / "corpus" / "locked") and error.reason == "cannot read folder: Permission denied"


def test_a_file_name_that_is_not_utf8_is_read_and_stored(tmp_path):
    import os

    import duckdb
    from typer.testing import CliRunner

    from bilat.cli.main import app

    folder = tmp_path / "in"
    write(folder / "good.txt")
    name = os.fsencode(folder) + b"/" + "сводка".encode("cp866") + b".txt"  # a cp866 archive unpacked here
    with open(name, "wb") as f:
        f.write(b"Another title\n\nOther body text.")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "-j", "1"])
    assert result.exit_code == 0, result.output
    rows = duckdb.connect(str(db), read_only=True).execute("SELECT doc_id, origin FROM documents ORDER BY 1").fetchall()
    assert len(rows) == 2 and "good" in {r[0] for r in rows}
    odd_id, odd_origin = next(r for r in rows if r[0] != "good")
    assert "\\x" in odd_id and odd_origin.endswith(odd_id + ".txt")  # undecodable bytes as \xNN
