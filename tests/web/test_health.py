"""/healthz tells a load balancer whether this server can reach its database
(and says whether a background worker runs: tests/web/test_no_worker.py)."""

DOWN = "postgresql://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


def test_healthz_answers_200_when_the_database_is_up(client, start_worker):
    start_worker("sqlite")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok" and response.get_json()["database"] == "ok"
    assert "Set-Cookie" not in response.headers  # a probe starts no session


def test_healthz_answers_503_when_the_database_is_down(other_app):
    down = other_app({"DATABASE_URL": DOWN, "TESTING": False})
    response = down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_pages_say_so_plainly_when_the_database_is_down(other_app):
    down = other_app({"DATABASE_URL": DOWN, "TESTING": False})
    response = down.test_client().get("/login")
    assert response.status_code in (500, 503)
    assert "Traceback" not in response.get_data(as_text=True)
