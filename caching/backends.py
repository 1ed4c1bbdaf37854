"""Django's Redis cache, made to ride out a Redis outage quietly.

Every page asks the cache many times (versions, fragments, the page cache).
When Redis stops, each of those calls would wait for a connection, fail and,
if each failure were logged, write a traceback: tens of thousands of log lines
for a few page views, and pages slower than with no cache at all.

``CircuitBreakerRedisCache`` catches Redis's connection errors and timeouts,
answers as Django's ``DummyCache`` does (nothing found, nothing kept), and
*opens a circuit*: for ``CIRCUIT_SECONDS`` after a failure it does not try Redis
at all. Then one call tries again; once one succeeds the outage is over. Each
outage is logged once (a warning when it starts, an info line when it ends,
at most one warning a minute however often Redis comes and goes).

It subclasses Django's documented backend and overrides its public methods
only: every other behaviour (serialisation, several servers, key prefixes,
the async methods, which call these) stays Django's. Other errors (an invalid
key, a value that cannot be pickled) are bugs, and still raise.

Configured in ``config/settings/production.py`` for ``redis://`` and
``rediss://`` cache URLs; ``CIRCUIT_SECONDS`` is taken from the backend's
``OPTIONS`` (``CACHE_CIRCUIT_SECONDS`` in the settings), the other options go
to redis-py as with Django's backend.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# A Redis that cannot be reached or does not answer in time (AuthenticationError
# and BusyLoadingError are ConnectionErrors too).
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
DEFAULT_CIRCUIT_SECONDS = 5.0
# However often Redis comes and goes, at most one warning in this many seconds.
WARNING_INTERVAL = 60.0

# The clock of the circuits (replaced by the tests).
clock = time.monotonic

_MISSING = object()


class Circuit:
    """The state of one Redis location, shared by every thread of the process.

    Django builds one cache object per thread (and per async task): the circuit
    lives apart from them, so that an outage is noticed, skipped and logged once
    per process, not once per thread.
    """

    def __init__(self, location):
        self.location = location
        self.lock = threading.Lock()
        self.down_since = None
        self.open_until = 0.0
        self.skipped = 0
        self.last_warning = None

    def allows_a_call(self):
        if self.down_since is None:
            return True
        if clock() < self.open_until:
            self.skipped += 1
            return False
        return True  # the circuit's time is over: this call tries Redis again

    def failed(self, error, seconds):
        with self.lock:
            now = clock()
            self.open_until = now + seconds
            if self.down_since is not None:
                return  # the same outage: already reported
            self.down_since = now
            self.skipped = 0
            if self.last_warning is not None and now - self.last_warning < WARNING_INTERVAL:
                return
            self.last_warning = now
        logger.warning(
            "The cache at %s does not answer (%s: %s): pages are built without it, "
            "and it is tried again every %s seconds.",
            self.location,
            type(error).__name__,
            error,
            f"{seconds:g}",
        )

    def succeeded(self):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds, skipped = clock() - self.down_since, self.skipped
            self.down_since = None
        logger.info(
            "The cache at %s answers again, after %.0f seconds (%d calls went without it).",
            self.location,
            seconds,
            skipped,
        )


_circuits = {}
_circuits_lock = threading.Lock()


def circuit_for(location) -> Circuit:
    key = location if isinstance(location, str) else ",".join(location)
    with _circuits_lock:
        if key not in _circuits:
            _circuits[key] = Circuit(key)
        return _circuits[key]


class CircuitBreakerRedisCache(RedisCache):
    """Django's ``RedisCache`` that answers like an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.circuit_seconds = float(options.pop("CIRCUIT_SECONDS", DEFAULT_CIRCUIT_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self.circuit = circuit_for(server)

    def _call(self, call, fallback):
        if not self.circuit.allows_a_call():
            return fallback
        try:
            result = call()
        except OUTAGE_ERRORS as error:
            self.circuit.failed(error, self.circuit_seconds)
            return fallback
        self.circuit.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(CircuitBreakerRedisCache, self).add(key, value, timeout, version), True
        )

    def get(self, key, default=None, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(CircuitBreakerRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        result = self._call(lambda: super(CircuitBreakerRedisCache, self).incr(key, delta, version), _MISSING)
        if result is _MISSING:
            # What an empty cache answers (decr() calls incr()).
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).set_many(data, timeout, version), [])

    def delete_many(self, keys, version=None):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._call(lambda: super(CircuitBreakerRedisCache, self).clear(), False)
