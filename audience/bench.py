"""Benchmark the beacon: a burst of hits through all the middleware, a flush, then the same on the view alone.

Prints hits per second and the database writes the flush made, to show that
the database sees one write per (article, day) and per (article, day, domain)
for each flush, not one per view. Runs on a throwaway test database:

    DJANGO_SETTINGS_MODULE=config.settings.test python -m audience.bench --hits 10000 --threads 4
    TEST_CACHE_URL=redis://127.0.0.1:6379/15 DJANGO_SETTINGS_MODULE=config.settings.test \\
        python -m audience.bench
"""

import argparse
import os
import threading
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, RequestFactory, override_settings
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from audience.models import DailyReferrer, DailyViews
    from audience.services import counts_flush
    from audience.views import beacon
    from tests.factories import ArticleFactory

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    cache.clear()
    articles = [ArticleFactory().pk for _ in range(args.articles)]
    domains = ["", "", "qwant.com", "example.org"]
    url = reverse("audience:beacon")
    user_agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

    def burst(share, offset):
        client = Client(headers={"User-Agent": user_agent})
        for n in range(offset, offset + share):
            body = f"article={articles[n % len(articles)]}&ref={domains[n % len(domains)]}"
            client.post(url, body, content_type="application/x-www-form-urlencoded")

    def view_only(share, offset):
        """The view alone, called with RequestFactory: what the beacon itself costs."""
        factory = RequestFactory(headers={"User-Agent": user_agent})
        for n in range(offset, offset + share):
            body = f"article={articles[n % len(articles)]}&ref={domains[n % len(domains)]}"
            beacon(factory.post(url, body, content_type="application/x-www-form-urlencoded"))

    share = args.hits // args.threads
    hits = share * args.threads
    print(f"cache: {settings.CACHES['default']['BACKEND']}, {args.threads} threads, {args.articles} articles")
    sent = 0
    quick = override_settings(AUDIENCE_RATE_LIMIT=0, AUDIENCE_BUCKET_SECONDS=1, AUDIENCE_BUFFER_SECONDS=600)
    for round_, (target, label) in enumerate(
        [(burst, "test client, all middleware"), (view_only, "view only")]
    ):
        with quick:
            threads = [threading.Thread(target=target, args=(share, n * share)) for n in range(args.threads)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            sent += hits
            print(
                f"round {round_ + 1}: {hits} hits ({label}) in {elapsed:.2f} s: {hits / elapsed:,.0f} hits/s"
            )
            time.sleep(2.1)  # the last one-second period closes
            with CaptureQueriesContext(connection) as queries:
                flush_started = time.perf_counter()
                result = counts_flush()
                flush_elapsed = time.perf_counter() - flush_started
        writes = [q["sql"].split()[0] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE"}]
        print(
            f"  flush: {result.views} views from {result.buckets} period(s) in {flush_elapsed * 1000:.0f} ms;"
            f" {len(writes)} writes ({writes.count('INSERT')} INSERT, {writes.count('UPDATE')} UPDATE) for"
            f" {DailyViews.objects.count()} (article, day) rows and {DailyReferrer.objects.count()}"
            f" (article, day, domain) rows; one INSERT is the periods' marker"
        )
    views = sum(DailyViews.objects.values_list("views", flat=True))
    print(f"views in the database: {views} of {sent} sent (lost: {sent - views})")
    connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
