"""Issue 18, corrections over HTTP: off unless served for review, the server token when set, a CSRF token on
every POST (cookie + field or header; a Bearer token stands for it), applied at once to the API's answers."""
import re

import pytest
from make_big_db import write_sample

TOKEN = "s3cret-token-for-review-tests"


@pytest.fixture
def review_app(tmp_path):
    from bilat.server import create_app

    def make(token=None, review=True):
        db = write_sample(tmp_path / "s.duckdb", 4) if not (tmp_path / "s.duckdb").exists() else tmp_path / "s.duckdb"
        return create_app(db, token=token, index_path=tmp_path / "search.sqlite", review=review)

    return make


def _csrf(client, path="/review") -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_corrections_are_off_unless_served_for_review(review_app, client_for):
    with client_for(review_app(review=False)) as c:
        r = c.post("/api/corrections", json={"action": "reject", "event_key": "ev000", "by": "ana"})
        assert r.status_code == 403 and "--review" in r.json()["detail"]
        assert "Corrections are off" in c.get("/events/ev000").text
        assert c.get("/api/corrections").json() == []


def test_a_post_without_the_csrf_token_is_refused(review_app, client_for):
    with client_for(review_app()) as c:
        body = {"action": "reject", "event_key": "ev000", "by": "ana"}
        assert c.post("/api/corrections", json=body).status_code == 403
        token = _csrf(c)
        assert c.post("/api/corrections", json=body, headers={"X-CSRF-Token": "x" + token[1:]}).status_code == 403
        assert c.post("/api/corrections", json=body, headers={"X-CSRF-Token": token,
                                                              "Origin": "http://evil.example"}).status_code == 403
        form = {"action": "reject", "by": "ana"}
        assert c.post("/events/ev000/correct", data=form).status_code == 403  # the form without its field
        assert c.get("/api/corrections").json() == []


def test_a_correction_applies_at_once_to_the_api(review_app, client_for):
    with client_for(review_app()) as c:
        assert c.get("/api/events/ev000").json()["reports"][0]["type"] == "AGREE"
        token = _csrf(c, "/events/ev000")
        r = c.post("/api/corrections", headers={"X-CSRF-Token": token}, json={
            "action": "retype", "event_key": "ev000", "type": "ACCUSE", "by": "ana", "why": "a complaint"})
        assert r.status_code == 201 and r.json() == {"correction_ids": [1, 2]}
        items = c.get("/api/events/ev000").json()["reports"]
        assert {i["type"] for i in items} == {"ACCUSE"} and all(i["corrected"] for i in items)
        assert c.get("/api/summary").json()["events_by_type"].get("ACCUSE") == 2
        log = c.get("/api/corrections").json()
        assert log[0]["author"] == "ana" and log[0]["reason"] == "a complaint" and log[0]["seen_event_id"] == "ev000"
        assert c.get("/api/review/queue").json()["total"] == 2  # the two corrected reports left the queue
        # the dashboard's form: the same, with the page's hidden field
        r = c.post("/events/ev001/correct", data={"action": "reject", "by": "ana", "csrf": token},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/review?done=")
        assert c.get("/api/events/ev001").status_code == 404
        # a value the store refuses is an error page saying why, the store unchanged
        r = c.post("/events/ev000/correct", data={"action": "date", "date": "2019-13-01", "by": "ana", "csrf": token})
        assert r.status_code == 400 and "not a real date" in r.text and len(c.get("/api/corrections").json()) == 4
        r = c.post("/review/add", data={"doc_id": "doc000", "sentence": "1", "type": "AID", "source": "RUS",
                                        "target": "TJK", "by": "ana", "csrf": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/events/added-5")
        assert c.get(r.headers["location"]).status_code == 200


@pytest.mark.parametrize(("body", "status"), [
    ({"action": "retype", "event_key": "ev000", "type": "PARTY", "by": "ana"}, 400),
    ({"action": "retype", "event_key": "ev999", "type": "AID", "by": "ana"}, 404),
    ({"action": "add", "doc_id": "doc000", "sentence": 99, "type": "AID", "source": "RUS", "target": "TJK",
      "by": "ana"}, 404),
    ({"action": "reject", "by": "ana"}, 400),
    ({"action": "explode", "event_key": "ev000", "by": "ana"}, 422),
    ({"action": "reject", "event_key": "ev000", "by": ""}, 422),
])
def test_bad_corrections_are_refused(review_app, client_for, body, status):
    with client_for(review_app()) as c:
        r = c.post("/api/corrections", json=body, headers={"X-CSRF-Token": _csrf(c)})
        assert r.status_code == status, r.text


def test_with_a_token_set_corrections_need_it(review_app, client_for):
    with client_for(review_app(token=TOKEN)) as c:
        body = {"action": "date", "event_key": "ev001", "date": "2020-02-02", "by": "ana"}
        assert c.post("/api/corrections", json=body).status_code == 401
        # a script with the token in its Authorization header needs no CSRF token: no other site can send it
        r = c.post("/api/corrections", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201
        # a browser that holds the token as a cookie still needs the page's CSRF token
        assert c.get(f"/review?token={TOKEN}").status_code == 200
        assert c.post("/api/corrections", json=body).status_code == 403
        assert c.post("/api/corrections", json=body, headers={"X-CSRF-Token": _csrf(c)}).status_code == 201
