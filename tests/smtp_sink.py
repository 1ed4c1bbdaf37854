"""A real SMTP server on a free loopback port (aiosmtpd), that a test can stop and start again."""

import contextlib
import logging
import signal
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(
                (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    """``start()`` / ``stop()`` the server; ``messages`` keeps what it received across restarts."""

    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self.controller = None

    def start(self):
        # aiosmtpd logs every SMTP command at INFO: thousands of lines for one newsletter.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return list(self.recorder.messages)

    def recipients(self):
        return sorted(address for rcpt_tos, _ in self.messages for address in rcpt_tos)


@contextlib.contextmanager
def smtp_server(settings):
    """A real SMTP server the site sends to (``settings``: pytest-django's fixture), started."""
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    try:
        yield sink
    finally:
        sink.stop()


@contextlib.contextmanager
def database_queue(settings):
    """Tasks go to the database queue; yields ``run_worker(**options)``, the real worker run on it."""
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_MAIL_RETRY_SECONDS = 0  # retries are due at once: the test needs no waiting
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run_worker(**options):
        call_command("run_worker", batch=True, interval=0, verbosity=0, **options)

    try:
        yield run_worker
    finally:
        for sig, handler in handlers.items():  # the worker installs its own
            signal.signal(sig, handler)
