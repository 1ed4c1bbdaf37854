import http.server
import threading

import pytest


class _PurgeRecorder(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.server.purged.append(self.headers.get("xkey-purge", "").split())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_cache(settings):
    """A stand-in HTTP cache on 127.0.0.1 that records each purge's keys (``.purged``)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _PurgeRecorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    yield server
    server.shutdown()
    server.server_close()
