#!/usr/bin/env python
"""Figures for the e-mails sent by the worker (a report, not a test): run from the project's folder.

    .venv/bin/python scripts/bench-email.py [--followers 1000] [--subscribers 10000]
        [--parts comments,immediate,newsletter]

In a throw-away SQLite database, with a local SMTP sink (aiosmtpd) on a free port:
1. the time of a comment's POST on an article with no follower, with N comments
   none of whose writers follow it, and with N followers, in the real
   configuration: the database task backend, the request enqueues its tasks
   (counted) and sends nothing; part "immediate" adds, for comparison, the
   same without a worker (the e-mails leave in the request, as before it);
2. a newsletter to M subscribers: the time to queue it (delivery rows and batch
   tasks), then the real worker (manage.py run_worker --batch, in its own
   process) sending it: messages per second and the worker's memory (VmRSS)
   at its start and at its peak.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return None
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--posts", type=int, default=5, help="comment POSTs timed per case (median shown)")
    parser.add_argument(
        "--parts",
        default="comments,immediate,newsletter",
        help="what to measure, comma-separated: comments, immediate (mails sent in the request), newsletter",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))

    workdir = Path(tempfile.mkdtemp(prefix="bench-email-"))
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            # The production configuration, whatever a .env file says: a worker's queue.
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "COMMENTS_RATE_LIMIT": "0",
            "COMMENTS_NOTIFY_MODERATORS": "false",
            "NEWSLETTER_RATE_PER_MINUTE": "100000000",
            "NEWSLETTER_SUBSCRIBE_RATE_LIMIT": "0",
            "PAGE_CACHE_ENABLED": "false",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    from newsletter import tasks as newsletter_tasks
    from newsletter.models import Subscriber
    from tests.factories import ArticleFactory, CommentFactory, StaffFactory
    from tests.security.comments_support import comment_data, comment_post_url

    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    client = Client()
    staff = StaffFactory(username="bench-staff", email="staff@example.org")
    client.force_login(staff)
    quiet = ArticleFactory(title="Sans abonné")
    busy, followed = ArticleFactory(title="Discuté"), ArticleFactory(title="Suivi")
    for n in range(args.followers):
        CommentFactory(article=busy, user_email=f"lecteur{n}@example.org", followup=False)
        CommentFactory(article=followed, user_email=f"suivi{n}@example.org", followup=True)

    def time_posts(article):
        """The median time of a POST, in ms, and the task rows each POST enqueued.

        The CPU time of this process (the request's own work, SQLite included)
        is kept too: on a busy machine it moves less than the wall-clock time.
        """
        times, cpu_times, rows = [], [], set()
        for n in range(args.posts):
            data = comment_data(article, comment=f"Mesure {n} {time.time()}", email="staff@example.org")
            before = DBTaskResult.objects.count()
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.post(comment_post_url(), data)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
            rows.add(DBTaskResult.objects.count() - before)
            assert response.status_code == 302, response.status_code
        time_posts.cpu = statistics.median(cpu_times) * 1000
        return statistics.median(times) * 1000, "/".join(str(count) for count in sorted(rows))

    time_posts(quiet)  # warm-up: the first requests load templates and URL patterns
    if "comments" in parts:
        print(f"1. Comment POST (median of {args.posts}); task rows enqueued per POST; messages sent")
        for label, article in [
            ("no follower", quiet),
            (f"{args.followers} comments, no follower", busy),
            (f"{args.followers} followers", followed),
        ]:
            before = len(sink.messages)
            elapsed, rows = time_posts(article)
            sent = len(sink.messages) - before
            print(
                f"   with the worker, {label}: {elapsed:.1f} ms (CPU {time_posts.cpu:.1f} ms); "
                f"{rows} rows; {sent} sent"
            )
    if "immediate" in parts:
        immediate = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
        }
        with override_settings(TASKS=immediate):
            before = len(sink.messages)
            slow, _rows = time_posts(followed)
            sent = len(sink.messages) - before
            print(
                f"   without it (sent in the request): no follower {time_posts(quiet)[0]:.1f}; "
                f"{args.followers} followers {slow:.1f} ({sent} messages sent)"
            )
    if "newsletter" not in parts:
        sink.stop()
        return

    # 2. The newsletter.
    DBTaskResult.objects.all().delete()
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"abonne{n}@example.org", status="active") for n in range(args.subscribers)],
        batch_size=1000,
    )
    from newsletter.models import ArticleSend

    article = ArticleFactory(title="Lettre mesurée")
    ArticleSend.objects.create(article=article)
    start = time.perf_counter()
    queued = newsletter_tasks.send_article.call(article_id=article.pk)
    queue_time = time.perf_counter() - start
    batches = DBTaskResult.objects.count()
    print(
        f"2. Newsletter to {queued} subscribers: queued in {queue_time:.2f} s ({batches} batch tasks of "
        f"{settings.NEWSLETTER_BATCH_SIZE})"
    )

    before = len(sink.messages)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--batch", "--interval", "0", "-v", "0"],
        cwd=BASE_DIR,
        env=os.environ.copy(),
    )
    # "Before": once the worker has started sending (Django loaded); "after": its last reading, and its peak.
    start, first_rss, last_rss, peak = time.perf_counter(), None, None, 0
    while worker.poll() is None:
        rss = rss_kib(worker.pid)
        if rss:
            if first_rss is None and len(sink.messages) > before:
                first_rss = rss
            last_rss = rss or last_rss
            peak = max(peak, rss)
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    sent = len(sink.messages) - before
    print(
        f"   worker: {sent} messages in {elapsed:.1f} s = {sent / elapsed:.0f} messages/s "
        f"(start-up included); memory {first_rss / 1024:.0f} MiB at the first message, "
        f"{last_rss / 1024:.0f} MiB at the end, {peak / 1024:.0f} MiB at peak"
    )
    sink.stop()


if __name__ == "__main__":
    main()
