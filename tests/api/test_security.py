"""SQL injection in every filter, the token, read-only access, security headers."""
import hashlib
from urllib.parse import quote

import pytest

from bilat.api.security import is_loopback
from bilat.store.writer import connect

PAYLOADS = [
    "'; DROP TABLE events; --",
    "RUS-TJK' OR '1'='1",
    "x') OR 1=1 --",
    "1; DELETE FROM documents",
    "%' UNION SELECT doc_id, text FROM documents --",
    "\\'; COPY events TO '/tmp/x.csv'; --",
    "ATTACH '/tmp/evil.db' AS e",
    "Russia\x00",
]
FILTERS = ["dyad", "type", "since", "until", "outlet", "actor", "metric", "q", "kind", "order", "disagreement", "series",
           "place", "length"]
ENDPOINTS = ["/api/events", "/api/documents", "/api/event-types", "/api/figures", "/api/claims", "/api/network",
             "/api/actors", "/api/dyads/RUS-TJK/timeline", "/api/dyads/RUS-TJK/monthly", "/api/dyads/RUS-TJK/figures",
             "/api/dyads/RUS-TJK/actors", "/api/download/events.csv", "/api/download/actors.json",
             "/api/download/claims.csv", "/", "/events", "/documents", "/network", "/claims", "/actors",
             "/dyads/RUS-TJK", "/api/map", "/api/compare", "/map", "/compare"]
PATHS = ["/api/events/{p}", "/api/documents/{p}", "/api/actors/{p}", "/api/dyads/{p}/timeline", "/events/{p}",
         "/documents/{p}", "/actors/{p}", "/dyads/{p}", "/static/{p}"]


def _fingerprint(db) -> str:
    con = connect(db, read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        counts = [con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables]
    finally:
        con.close()
    return f"{tables}{counts}"


def _items(body) -> list:
    if isinstance(body, dict):
        return body.get("items") or body.get("edges") or body.get("reports") or []
    return body


def test_injection_in_every_filter(client, sample_db):
    schema = client.get("/openapi.json").json()["paths"]
    declared = {path: {p["name"] for p in op["get"].get("parameters", [])} for path, op in schema.items()}
    before = _fingerprint(sample_db)
    digest = hashlib.sha256(sample_db.read_bytes()).hexdigest()
    for endpoint in ENDPOINTS:
        template = endpoint.replace("RUS-TJK", "{pair}").replace("events.csv", "{table}.{fmt}")
        template = template.replace("actors.json", "{table}.{fmt}").replace("claims.csv", "{table}.{fmt}")
        # API endpoints: every parameter they declare; pages (not in the schema): every filter, fewer payloads
        names = sorted(declared[template] & set(FILTERS)) if template in declared else FILTERS
        payloads = PAYLOADS if template in declared else PAYLOADS[:3]
        for name in names:
            for payload in payloads:
                r = client.get(endpoint, params={name: payload})
                assert r.status_code < 500, (endpoint, name, payload, r.text[:200])
                assert "Traceback" not in r.text
                used = name in declared.get(template, set())
                if r.status_code == 200 and used and "download" not in endpoint and name != "kind":
                    if name in ("outlet", "actor", "metric", "q"):
                        assert _items(r.json()) == [], (endpoint, name, payload)
    for path in PATHS:
        for payload in PAYLOADS:
            r = client.get(path.format(p=quote(payload, safe="")))
            assert r.status_code in (404, 422), (path, payload, r.status_code)
    assert client.get("/api/search", params={"q": "'; DROP TABLE docs; --"}).status_code == 200
    assert _fingerprint(sample_db) == before
    assert hashlib.sha256(sample_db.read_bytes()).hexdigest() == digest


def test_store_is_opened_read_only(client):
    con = client.app.state.bilat.con
    with pytest.raises(Exception, match="read-only"):
        con.execute("CREATE TABLE x (a INTEGER)")


def test_token_required_when_set(sample_db, tmp_path, client_for):
    from bilat.server import create_app

    app = create_app(sample_db, token="s3cret-0123456789abcdef", index_path=tmp_path / "i.sqlite")
    with client_for(app) as c:
        assert c.get("/api/summary").status_code == 401
        assert c.get("/").status_code == 401
        assert c.get("/static/app.css").status_code == 401
        assert c.get("/api/summary", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/summary", headers={"Authorization": "Bearer s3cret-0123456789abcdef"}).status_code == 200
        r = c.get("/", params={"token": "s3cret-0123456789abcdef"})
        assert r.status_code == 200 and "bilat_token" in r.headers.get("set-cookie", "")
        assert c.get("/events").status_code == 200  # the cookie carries the token on to links


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_serve_refuses_public_bind_without_token(monkeypatch, sample_db):
    import typer
    from typer.testing import CliRunner

    from bilat.cli.serve import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:  # a callback keeps "serve" a named sub-command
        pass

    monkeypatch.delenv("BILAT_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(sample_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "BILAT_TOKEN" in result.output


def test_host_names_are_read_without_their_port():
    from bilat.api.security import host_name

    assert [host_name(h) for h in ("127.0.0.1:8000", "LocalHost", "[::1]:8000", "::1", "evil.example:80")] == [
        "127.0.0.1", "localhost", "::1", "::1", "evil.example"]


def test_on_loopback_only_loopback_host_names_are_answered(sample_db, client_for, tmp_path):
    """DNS rebinding: a page of another site resolved to 127.0.0.1 sends its own name as Host."""
    from bilat.api.security import LOOPBACK_NAMES
    from bilat.server import create_app

    app = create_app(sample_db, index_path=tmp_path / "search.sqlite", allowed_hosts=LOOPBACK_NAMES)
    with client_for(app) as c:
        for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
            r = c.get("/api/events", headers={"host": host})
            assert r.status_code == 200, host
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
            r = c.get("/api/events", headers={"host": host})
            assert r.status_code == 400 and r.json() == {"detail": "host not allowed"}, host
            assert "script-src 'self'" in r.headers["content-security-policy"]


def test_weak_tokens_are_refused(sample_db, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from bilat.cli.main import app
    from bilat.errors import ConfigError
    from bilat.server import create_app

    for weak in ("s3cret", " " * 20, "a-long-token with-a-space"):
        with pytest.raises(ConfigError, match="BILAT_TOKEN"):
            create_app(sample_db, token=weak, index_path=tmp_path / "i.sqlite")
    monkeypatch.setenv("BILAT_TOKEN", "short")
    result = CliRunner().invoke(app, ["serve", "--db", str(sample_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "at least 16 characters" in result.output


def test_wrong_tokens_make_a_client_wait(sample_db, tmp_path, client_for):
    from bilat.api.security import FAILURES_ALLOWED
    from bilat.server import create_app

    token = "s3cret-0123456789abcdef"
    with client_for(create_app(sample_db, token=token, index_path=tmp_path / "i.sqlite")) as c:
        for _ in range(FAILURES_ALLOWED + 2):  # visits without a token are not guesses
            assert c.get("/api/summary").status_code == 401
        for _ in range(FAILURES_ALLOWED):
            assert c.get("/api/summary", headers={"Authorization": "Bearer guess"}).status_code == 401
        r = c.get("/api/summary", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # even the right one, for a while
        assert "script-src 'self'" in r.headers["content-security-policy"]
