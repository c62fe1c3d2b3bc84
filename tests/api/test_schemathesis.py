"""Property-based requests from the OpenAPI schema, in-process: no answer may be a server error."""
import pytest

schemathesis = pytest.importorskip("schemathesis")  # an optional test dependency
from hypothesis import HealthCheck, given, settings  # noqa: E402


@pytest.mark.slow
def test_no_server_errors(sample_db, tmp_path):
    from bilat.server import create_app

    app = create_app(sample_db, index_path=tmp_path / "search.sqlite")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:200])
            assert "Traceback" not in response.text

        check()
        tested += 1
    assert tested >= 19
