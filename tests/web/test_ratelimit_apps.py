"""Each app keeps its own rate limiter and counts under its own key prefix:
an app built with other settings never changes where another app counts, and
two installations sharing one Redis never share a log-in count."""
import uuid

import pytest
import redis

from fieldapp.models import RateLimitCounter
from tests.conftest import Auth

REDIS_URI = "redis://127.0.0.1:6379/0"


@pytest.fixture
def store():
    """The real Redis; every key a test makes carries its own prefix and is removed after."""
    made = []
    connection = redis.Redis(host="127.0.0.1")

    def prefix():
        made.append(f"fieldapp-test-{uuid.uuid4().hex}")
        return made[-1]
    connection.new_prefix = prefix
    yield connection
    for name in made:
        keys = connection.keys(f"*{name}*")
        if keys:
            connection.delete(*keys)
    connection.close()


def wrong_guess(app, email):
    return Auth(app.test_client()).login(type("U", (), {"email": email})(), "not-the-password-1")


def test_an_app_counting_in_redis_leaves_other_apps_counting_in_the_database(app, world,
                                                                             other_app, store):
    other_app({"RATELIMIT_STORAGE_URI": REDIS_URI, "RATELIMIT_KEY_PREFIX": store.new_prefix()})
    assert wrong_guess(app, world["officer"].email).status_code == 401
    assert RateLimitCounter.select().count() > 0, "the test app's guess was not counted in its database"


def test_log_in_counters_carry_the_key_prefix(app, world, other_app, store):
    prefix = store.new_prefix()
    redis_app = other_app({"RATELIMIT_STORAGE_URI": REDIS_URI, "RATELIMIT_KEY_PREFIX": prefix})
    email = f"prefix-{uuid.uuid4().hex}@test.example"
    assert wrong_guess(redis_app, email).status_code == 401
    keys = [k.decode() for k in store.keys(f"*{email}*")]
    assert keys, "the guess was not counted in Redis"
    assert all(prefix in k for k in keys), keys


def test_log_in_counters_in_the_database_carry_the_key_prefix(app, world, other_app):
    prefixed = other_app({"RATELIMIT_KEY_PREFIX": "district-a"})
    assert wrong_guess(prefixed, world["officer"].email).status_code == 401
    keys = [row.key for row in RateLimitCounter.select()]
    assert keys and all("district-a" in k for k in keys), keys


def test_two_installations_sharing_one_redis_keep_separate_lockouts(app, world, other_app, store):
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URI, "LOGIN_MAX_FAILURES": 2}
    first = other_app({**settings, "RATELIMIT_KEY_PREFIX": store.new_prefix()})
    second = other_app({**settings, "RATELIMIT_KEY_PREFIX": store.new_prefix()})
    email = world["officer"].email
    for _ in range(3):
        wrong_guess(first, email)
    assert "Too many" in Auth(first.test_client()).login(world["officer"]).get_data(as_text=True)
    answer = Auth(second.test_client()).login(world["officer"])
    assert answer.status_code == 302, "a lockout at one installation locked the other out"


def test_with_the_counters_in_redis_only_failures_count(app, world, other_app, store):
    """Two app servers counting in one Redis: thirty log-ins across them all
    open; failures across them still lock the account."""
    from argon2 import PasswordHasher

    from tests import factories
    officer = world["officer"]
    officer.password_hash = PasswordHasher(time_cost=1, memory_cost=1024,
                                           parallelism=1).hash(factories.PASSWORD)
    officer.save()
    prefix = store.new_prefix()
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URI, "RATELIMIT_KEY_PREFIX": prefix,
                "LOGIN_MAX_FAILURES_ACCOUNT": 4}
    servers = [other_app(settings), other_app(settings)]
    for n in range(30):
        assert Auth(servers[n % 2].test_client()).login(officer).status_code == 302
    for n in range(4):
        assert wrong_guess(servers[n % 2], officer.email).status_code == 401
    refused = Auth(servers[0].test_client()).login(officer)
    assert refused.status_code == 401 and "Too many failed attempts" in refused.get_data(as_text=True)
    assert RateLimitCounter.select().count() == 0  # all of it counted in Redis
