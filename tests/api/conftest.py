import warnings

import pytest
from make_big_db import write_sample


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """A small store written through StoreWriter: 12 documents, events, mentions, figures, boilerplate."""
    return write_sample(tmp_path_factory.mktemp("api") / "sample.duckdb")


def make_client(app):
    with warnings.catch_warnings():
        # starlette's TestClient announces a move to httpx2 on import; nothing to act on here
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client_for():
    """Make an in-process client for an app."""
    return make_client


@pytest.fixture(scope="session")
def client(sample_db, tmp_path_factory):
    from bilat.server import create_app

    app = create_app(sample_db, index_path=tmp_path_factory.mktemp("idx") / "search.sqlite")
    with make_client(app) as c:
        yield c
