"""With Redis, each process keeps the generations it has read until Redis reports a change.

These tests run on a real Redis server (skipped without one). A change made by
another process is imitated by a second cache client, with its own connections,
writing as ``bump`` does in another process.
"""

import threading
import time
import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connections

from blog import cache
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_available():
        pytest.skip("No Redis server on 127.0.0.1:6379.")
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL},
    }
    settings.PAGE_CACHE_PREFIX = f"tracking-{uuid.uuid4().hex}"
    cache.tracker.clear()
    yield
    cache.tracker.clear()
    cache.local_copies.clear()


@pytest.fixture
def round_trips(monkeypatch):
    """The generation reads that went to Redis: each is a list of the scopes read."""
    reads = []
    read = cache._current

    def counted(shared, keys, found):
        reads.append(sorted(keys))
        return read(shared, keys, found)

    monkeypatch.setattr(cache, "_current", counted)
    return reads


def another_process_bumps(scope):
    """Give ``scope`` a new generation through connections of another client, as another process would."""
    other = caches.create_connection("default")
    try:
        other.set(cache._key(scope), cache._new_record(scope), timeout=None)
    finally:
        other.close()


def kill_tracking_connection():
    """Close this process's notices connection from the server's side, as a Redis restart would."""
    host, port = cache.tracker._connection._sock.getsockname()[:2]
    assert redis.Redis.from_url(REDIS_URL).client_kill_filter(addr=f"{host}:{port}") == 1


def generation_seen(scope, expected, *, within=2.0):
    """The generation of ``scope`` once this process sees ``expected``, or the last one seen."""
    deadline = time.monotonic() + within
    while True:
        seen = cache.generations(scope)[scope]
        if seen != expected and time.monotonic() < deadline:
            time.sleep(0.001)
            continue
        return seen


def test_generations_are_read_from_redis_once_then_kept(redis_cache, round_trips):
    # Redis also reports the records this process writes, when a scope is first used.
    first = cache.generations(cache.CONTENT, cache.LISTS)
    time.sleep(0.01)
    assert cache.generations(cache.CONTENT, cache.LISTS) == first
    reads = len(round_trips)
    assert cache.generations(cache.CONTENT, cache.LISTS) == first
    assert cache.generations(cache.LISTS) == {cache.LISTS: first[cache.LISTS]}
    assert len(round_trips) == reads <= 2


def test_a_change_in_this_process_is_seen_at_once(redis_cache, round_trips):
    before = cache.generations(cache.LISTS)[cache.LISTS]
    cache.bump(cache.LISTS)
    after = cache.generations(cache.LISTS)[cache.LISTS]
    assert after != before
    assert after == caches["default"].get(cache._key(cache.LISTS))[0]


def test_a_change_in_another_process_is_reported_by_redis(redis_cache, round_trips):
    before = cache.generations(cache.LISTS)[cache.LISTS]
    another_process_bumps(cache.LISTS)
    expected = caches["default"].get(cache._key(cache.LISTS))[0]
    assert expected != before
    assert generation_seen(cache.LISTS, expected) == expected
    # The other scopes were kept: only the changed one was read again.
    assert round_trips[-1] == [cache.LISTS]


def test_a_record_read_while_a_change_came_in_is_not_kept(redis_cache):
    """With threads, another one may take in a change's notice between this one's read and its keeping."""
    cache.generations(cache.LISTS)
    _, mark = cache.tracker.records([cache.LISTS])
    stale = caches["default"].get(cache._key(cache.LISTS))
    another_process_bumps(cache.LISTS)
    deadline = time.monotonic() + 2
    while cache.tracker.records([cache.CONTENT])[1] == mark and time.monotonic() < deadline:
        time.sleep(0.001)
    cache.tracker.remember({cache.LISTS: stale}, mark)
    assert cache.tracker.records([cache.LISTS])[0] == {}
    assert cache.generations(cache.LISTS)[cache.LISTS] != stale[0]


def test_an_evicted_or_expired_generation_is_read_again(redis_cache):
    before = cache.generations(cache.LISTS)[cache.LISTS]
    caches["default"].delete(cache._key(cache.LISTS))
    after = generation_seen(cache.LISTS, None, within=0.2)
    assert after != before


def test_a_flushed_redis_forgets_every_generation(redis_cache, round_trips):
    cache.generations(cache.CONTENT, cache.LISTS)
    redis.Redis.from_url(REDIS_URL).flushdb()
    deadline = time.monotonic() + 2
    while len(round_trips) < 2 and time.monotonic() < deadline:
        cache.generations(cache.CONTENT, cache.LISTS)
        time.sleep(0.001)
    assert round_trips[-1] == [cache.CONTENT, cache.LISTS]


def test_a_lost_connection_falls_back_to_reading_redis(redis_cache, round_trips, monkeypatch, caplog):
    cache.generations(cache.LISTS)
    monkeypatch.setattr(cache._Tracker, "RETRY_AFTER", 60)
    kill_tracking_connection()
    another_process_bumps(cache.LISTS)
    expected = caches["default"].get(cache._key(cache.LISTS))[0]
    # The loss is noticed at the next read, which goes to Redis, as do the following ones.
    assert cache.generations(cache.LISTS)[cache.LISTS] == expected
    reads = len(round_trips)
    cache.generations(cache.LISTS)
    assert len(round_trips) == reads + 1
    assert "Lost the cache's change notifications" in caplog.text


def test_a_lost_connection_is_opened_again(redis_cache, round_trips, monkeypatch):
    cache.generations(cache.LISTS)
    monkeypatch.setattr(cache._Tracker, "RETRY_AFTER", 0)
    kill_tracking_connection()
    cache.generations(cache.LISTS)  # notices the loss
    cache.generations(cache.LISTS)  # connects again and reads
    reads = len(round_trips)
    cache.generations(cache.LISTS)
    assert len(round_trips) == reads


def test_a_due_record_is_not_kept(redis_cache, round_trips):
    """A scheduled article goes live at its moment even though nothing in Redis changed."""
    due = time.time() + 0.05
    caches["default"].set(cache._key(cache.CONTENT), (1, due), timeout=None)
    assert cache.generations(cache.CONTENT)[cache.CONTENT] == 1
    time.sleep(max(0.0, due - time.time()) + 0.01)
    assert cache.generations(cache.CONTENT)[cache.CONTENT] != 1


def test_tracking_can_be_switched_off(redis_cache, round_trips, settings):
    settings.PAGE_CACHE_TRACKING = False
    cache.generations(cache.LISTS)
    cache.generations(cache.LISTS)
    assert len(round_trips) == 2


def test_a_cached_page_is_served_without_a_round_trip_to_redis(redis_cache, client, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = True
    url = ArticleFactory().get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    commands = []
    send = redis.Connection.send_packed_command
    monkeypatch.setattr(
        redis.Connection,
        "send_packed_command",
        lambda connection, command, *args, **kwargs: (
            commands.append(command),
            send(connection, command, *args, **kwargs),
        )[1],
    )
    for _ in range(3):
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert commands == []


def test_concurrent_misses_of_an_entry_build_it_once(redis_cache):
    """After a change, the processes that miss the same costly entry wait for one build."""
    builds = []
    started = threading.Event()

    def slow_build():
        builds.append(threading.get_ident())
        started.set()
        time.sleep(0.3)
        return "le nuage de mots-clés"

    results = []
    cache.generations(cache.CONTENT)  # the threads find the generation, and need no database

    def reader():
        results.append(cache.cached_fragment("cloud", slow_build))
        connections.close_all()

    first = threading.Thread(target=reader)
    first.start()
    started.wait(5)
    others = [threading.Thread(target=reader) for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert results == ["le nuage de mots-clés"] * 4
    assert len(builds) == 1


def test_a_failed_build_lets_the_waiting_requests_build(redis_cache):
    def failing_build():
        time.sleep(0.1)
        raise RuntimeError("base de données indisponible")

    errors = []
    cache.generations(cache.CONTENT)

    def reader(build):
        try:
            cache.cached_fragment("cloud", build)
        except RuntimeError as error:
            errors.append(error)
        finally:
            connections.close_all()

    failing = threading.Thread(target=reader, args=(failing_build,))
    failing.start()
    time.sleep(0.02)
    started = time.monotonic()
    assert cache.cached_fragment("cloud", lambda: "reconstruit") == "reconstruit"
    assert time.monotonic() - started < cache.BUILD_WAIT
    failing.join(5)
    assert len(errors) == 1


def test_without_a_reachable_cache_nothing_waits(settings, monkeypatch):
    """With the cache down (its errors ignored in production), every request builds at once."""
    shared = cache.get_cache()
    monkeypatch.setattr(shared, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(shared, "get_many", lambda *args, **kwargs: {})
    monkeypatch.setattr(cache, "BUILD_WAIT", 60)
    started = time.monotonic()
    assert cache.cached_fragment("cloud", lambda: "reconstruit") == "reconstruit"
    assert time.monotonic() - started < 1
