"""The anonymous page cache: who gets cached pages, conditional GET, forms, a cache that is down."""

import os
import pickle
import re
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.http import parse_http_date

from blog.cache import local_copies
from blog.templatetags.blog_tags import Frame
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def article(db):
    return ArticleFactory(title="Le guide des hashtags")


def test_anonymous_readers_share_the_cached_page(client, article, django_assert_num_queries):
    first = client.get("/")
    assert first.get("X-Page-Cache") is None
    with django_assert_num_queries(0):
        second = Client().get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_newly_collected_static_files_give_pages_and_fragments_new_keys(client, article, monkeypatch):
    """Pages link to the stylesheet by its hashed name: new files must not be served with old links."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    from blog import cache

    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(staticfiles_storage, "manifest_hash", "nouvelle-version", raising=False)
    cache.release.cache_clear()  # as in the new server processes that serve new static files
    assert client.get("/").get("X-Page-Cache") is None
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_new_release_of_the_templates_gives_pages_new_keys(
    client, article, settings, tmp_path, monkeypatch
):
    """After a deployment, no page or fragment built by the former templates or code is served."""
    from blog import cache

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<title>Avant</title>")
    settings.BASE_DIR = tmp_path
    cache.code_release.cache_clear()
    before = cache.code_release()
    page.write_text("<title>Après</title>")
    cache.code_release.cache_clear()
    assert cache.code_release() != before

    cache.code_release.cache_clear()
    settings.BASE_DIR = django_settings.BASE_DIR
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(cache, "code_release", lambda: "nouvelle-version")
    cache.release.cache_clear()  # as in the new server processes of a deployment
    assert client.get("/").get("X-Page-Cache") is None


def test_a_shared_links_tracking_parameters_get_the_cached_page(client, article):
    url = article.get_absolute_url()
    first = client.get(url)
    shared = Client().get(f"{url}?fbclid=IwAR0abc&utm_source=facebook&utm_medium=social")
    assert shared["X-Page-Cache"] == "hit"
    assert shared.content.decode().count("fbclid") == first.content.decode().count("fbclid") == 0


def test_tracking_parameters_never_reach_a_page_and_the_others_are_kept(client, settings):
    settings.BLOG_PAGINATE_BY = 1
    for number in range(3):
        ArticleFactory(title=f"Les stratégies de la semaine {number}")
    html = client.get("/?utm_campaign=hiver&page=2&gclid=xyz").content.decode()
    assert "utm_campaign" not in html
    assert "gclid" not in html
    assert 'href="?page=3"' in html
    found = client.get("/recherche/?utm_source=lettre&q=strat%C3%A9gies").content.decode()
    assert "3 articles correspondent" in found
    assert "utm_source" not in found


def test_logged_in_users_always_get_a_fresh_page(client, article, reader):
    Client().get("/")
    client.force_login(reader)
    response = client.get("/")
    assert response.status_code == 200
    assert response.get("X-Page-Cache") is None
    assert "Le guide des hashtags" in response.content.decode()


def test_a_reader_with_pending_messages_gets_a_fresh_page(client, article):
    client.get("/")
    client.cookies["messages"] = "pending"
    assert client.get("/").get("X-Page-Cache") is None


def test_a_post_is_never_answered_from_the_cache(client, article):
    client.get("/")
    response = client.post("/")
    assert response.status_code == 405
    assert response.get("X-Page-Cache") is None


def test_staff_previews_are_never_cached(staff_client, article):
    url = f"/apercu/{article.pk}/"
    staff_client.get(url)
    response = staff_client.get(url)
    assert response.get("X-Page-Cache") is None
    assert "no-store" in response["Cache-Control"]


def test_a_missing_page_is_not_cached(client, article):
    client.get("/categorie/inconnue/")
    response = client.get("/categorie/inconnue/")
    assert response.status_code == 404
    assert response.get("X-Page-Cache") is None


def test_the_page_cache_can_be_turned_off(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    response = client.get("/")
    assert response.get("X-Page-Cache") is None
    assert "ETag" not in response


def test_an_unchanged_page_is_answered_304_without_rendering(client, article, django_assert_num_queries):
    first = client.get("/")
    assert first["ETag"].startswith('W/"')
    with django_assert_num_queries(0):
        response = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]


def test_if_modified_since_is_answered_304_until_a_change(
    client, article, django_capture_on_commit_callbacks
):
    first = client.get("/")
    since = first["Last-Modified"]
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Le nouveau guide"
        article.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "fragments only"])
def test_a_long_slug_makes_no_overlong_cache_key(client, db, settings, page_cache):
    """Memcached refuses keys over 250 characters; slugs go up to 200 and addresses to any length."""
    settings.PAGE_CACHE_ENABLED = page_cache
    article = ArticleFactory(slug="s" * 200)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/2026/11/24/{'x' * 2000}/").status_code == 404


def test_an_old_etag_gets_the_full_page(client, article):
    response = client.get("/", HTTP_IF_NONE_MATCH='W/"quelque-chose-d-ancien"')
    assert response.status_code == 200
    assert "Le guide des hashtags" in response.content.decode()


def test_a_cached_page_with_forms_gives_each_reader_a_working_token(settings, db):
    settings.ROOT_URLCONF = "tests.perf.urls"
    settings.PAGE_CACHE_VIEWS = {**django_settings.PAGE_CACHE_VIEWS, "form_page": "lists"}
    Client().get("/formulaire/")  # renders and stores the page
    reader = Client(enforce_csrf_checks=True)
    response = reader.get("/formulaire/")
    assert response["X-Page-Cache"] == "hit"
    tokens = TOKEN.findall(response.content.decode())
    assert len(tokens) == 2
    assert "csrftoken" in response.cookies
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    posted = reader.post("/envoi/", {"csrfmiddlewaretoken": tokens[0]})
    assert posted.status_code == 200
    # A reader without the cookie that goes with the page's token is refused, as usual.
    assert (
        Client(enforce_csrf_checks=True).post("/envoi/", {"csrfmiddlewaretoken": tokens[0]}).status_code
        == 403
    )


def test_pages_still_work_when_the_cache_server_is_down(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    for url in ["/", article.get_absolute_url(), "/", article.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.get("X-Page-Cache") is None
        assert "Le guide des hashtags" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Modifié pendant la panne"
        article.save()
    assert "Modifié pendant la panne" in client.get("/").content.decode()


def production_setting(expression, **environ):
    """Evaluate ``expression`` in the production settings, in a fresh interpreter."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "blog.example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "COMMENTS_XTD_SALT": "z" * 40,
        **environ,
    }
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=django_settings.BASE_DIR
    )
    return result


def test_production_ignores_redis_errors():
    result = production_setting(
        "settings.CACHES['default']['OPTIONS']['IGNORE_EXCEPTIONS']", CACHE_URL="redis://127.0.0.1:6379/0"
    )
    assert result.stdout.strip() == "True", result.stderr


def test_production_requires_a_shared_cache():
    env = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "blog.example.org",
            "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
            "COMMENTS_XTD_SALT": "z" * 40,
        },
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_last_modified_is_the_time_of_the_last_change(client, article, django_capture_on_commit_callbacks):
    before = parse_http_date(client.get("/")["Last-Modified"])
    assert before <= time.time()
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert parse_http_date(client.get("/")["Last-Modified"]) >= before


def test_a_cached_page_keeps_the_security_headers(client, article):
    client.get("/")
    response = Client().get("/")
    assert response["X-Page-Cache"] == "hit"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/html")


def test_a_missing_page_never_answers_304(client, article):
    url = "/2020/01/01/n-existe-pas/"
    response = client.get(url, HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT")
    assert response.status_code == 404
    assert "ETag" not in response


SECURITY = re.compile(
    r'name="timestamp" value="(\d+)">\s*<input type="hidden" name="security_hash" value="(\w+)"'
)


@pytest.mark.parametrize("page_cache", [True, False], ids=["cached page", "cached form markup"])
def test_the_comment_form_of_a_cached_page_never_expires(
    article, monkeypatch, django_capture_on_commit_callbacks, settings, page_cache
):
    """The page (or, with the page cache off, the form's markup) may stay cached for a day: the
    comment form gets the reader's own CSRF token and a new signed timestamp at each serving."""
    from comments.forms import CommentForm

    settings.PAGE_CACHE_ENABLED = page_cache
    url = article.get_absolute_url()
    Client().get(url)  # renders and stores the page or the form
    later = time.time() + 3 * 60 * 60  # longer than COMMENTS_TIMEOUT
    monkeypatch.setattr(time, "time", lambda: later)
    reader = Client(enforce_csrf_checks=True)
    response = reader.get(url)
    assert response.get("X-Page-Cache") == ("hit" if page_cache else None)
    page = response.content.decode()
    timestamp, security_hash = SECURITY.search(page).groups()
    assert int(timestamp) == int(later)
    assert security_hash == CommentForm(article).generate_security_hash(
        "blog.article", str(article.pk), timestamp
    )

    monkeypatch.setattr(time, "time", lambda: later + 30)
    data = {
        "csrfmiddlewaretoken": TOKEN.search(page).group(1),
        "content_type": "blog.article",
        "object_pk": str(article.pk),
        "timestamp": timestamp,
        "security_hash": security_hash,
        "reply_to": "0",
        "honeypot": "",
        "name": "Zoé Lambert",
        "email": "zoe@example.org",
        "url": "",
        "comment": "Une question sur les hashtags.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        posted = reader.post("/commentaires/post/", data)
    assert posted.status_code == 302, posted.content.decode()[:2000]


def test_the_cache_never_holds_an_authors_password_hash(client, article):
    author_page = article.author.profile.get_absolute_url()
    pages = (article.get_absolute_url(), author_page, "/", "/recherche/?q=article")
    for url in pages:
        assert client.get(url).status_code == 200
    kept = local_copies._entries()
    assert kept
    password = article.author.password
    assert not [key for key, value in kept.items() if password.encode() in _as_bytes(value)]


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "fragments only"])
def test_no_cached_piece_holds_a_marker_of_the_spliced_markup(client, article, settings, page_cache):
    """Long markup goes into a response by a marker (blog.splicing): kept in the cache, it would be a hole."""
    settings.PAGE_CACHE_ENABLED = page_cache
    CommentFactory.create_batch(3, article=article)
    for url in (article.get_absolute_url(), "/", "/recherche/?q=article"):
        for _ in range(2):  # built, then served from what was kept
            assert client.get(url).status_code == 200
    marker = re.compile(rb"\x00[0-9a-f]{16}:\d+\x00")
    kept = local_copies._entries()
    assert kept
    assert not [key for key, value in kept.items() if marker.search(_as_bytes(value))]


def _as_bytes(kept_value):
    """A value of this process's copies as bytes to search: a page (tuples of bytes) pickled."""
    if isinstance(kept_value, str):
        return kept_value.encode()
    return kept_value if isinstance(kept_value, bytes) else pickle.dumps(kept_value)


def test_local_copies_share_what_cannot_be_modified_and_copy_the_rest(settings):
    page = (("<p>", b"Bonjour"), (("Content-Type", "text/html"),), True, None)
    listing = {"ids": [1, 2, 3]}
    tuple_of_a_list = ([1, 2],)
    local_copies.set_many({"page": page, "listing": listing, "tuple-of-a-list": tuple_of_a_list})

    # A page, all tuples, strings and bytes, is handed out as it is: serving it copies nothing.
    assert local_copies.get_many(["page"])["page"] is page
    # Anything a reader could modify is a copy of its own, as from the shared cache.
    first = local_copies.get_many(["listing"])["listing"]
    first["ids"].append(4)
    assert local_copies.get_many(["listing"])["listing"] == {"ids": [1, 2, 3]}
    inner = local_copies.get_many(["tuple-of-a-list"])["tuple-of-a-list"]
    assert inner == tuple_of_a_list and inner[0] is not tuple_of_a_list[0]


def test_local_copies_count_the_bytes_a_page_holds(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10_000
    local_copies.set_many({"small": ((b"x" * 1000,), ()), "large": ((b"x" * 6000, b"y" * 6000), ())})
    assert set(local_copies.get_many(["small", "large"])) == {"small"}


def test_local_copies_count_the_memory_a_text_takes(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 5_000
    # 3,000 characters, one of them a typographic apostrophe: two bytes each in memory.
    local_copies.set_many({"latin": "é" * 3000, "typographic": "’" + "e" * 2999})
    assert set(local_copies.get_many(["latin", "typographic"])) == {"latin"}


def test_local_copies_count_a_list_of_ids_as_what_it_takes(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10_000
    # 200 ids: about 7 KB in memory, kept; 400: about 14 KB, over the bound.
    local_copies.set_many({"page": tuple(range(1000, 1200)), "long": tuple(range(1000, 1400))})
    assert set(local_copies.get_many(["page", "long"])) == {"page"}


def test_a_cached_page_is_served_from_this_process_without_unpickling(client, article, monkeypatch):
    pages = ("/", article.get_absolute_url())
    for url in pages:
        assert client.get(url).status_code == 200

    # Only this process's copies are watched (the test cache, local memory, pickles too).
    monkeypatch.setattr(
        "blog.cache.pickle", SimpleNamespace(loads=refuse_to_unpickle, dumps=pickle.dumps, HIGHEST_PROTOCOL=5)
    )
    for url in pages:
        assert Client().get(url)["X-Page-Cache"] == "hit"


def test_lists_and_searches_are_built_from_this_process_without_unpickling(
    client, article, monkeypatch, page_cache_off
):
    for number in range(12):
        ArticleFactory(title=f"Instagram pour les marques, {number}")
    pages = ("/", "/?page=2", "/recherche/?q=instagram", "/recherche/?q=instagram&page=2")
    for url in pages:
        assert client.get(url).status_code == 200
    monkeypatch.setattr(
        "blog.cache.pickle", SimpleNamespace(loads=refuse_to_unpickle, dumps=pickle.dumps, HIGHEST_PROTOCOL=5)
    )
    # The ids of each page, the matches of a search, the markup: all kept as they are.
    for url in pages:
        assert client.get(url).status_code == 200


def refuse_to_unpickle(*args, **kwargs):
    raise AssertionError("a cached value was unpickled")


def test_the_sites_frame_is_kept_as_it_is(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    first = client.get("/").content
    assert [value for value in local_copies._entries().values() if isinstance(value, Frame)]
    assert client.get("/").content == first


def test_an_article_page_built_from_its_cached_column_leaves_the_article_unread(
    client, article, settings, monkeypatch
):
    """The page needs only the article's id and address then: unpickling it was its largest cost."""
    settings.PAGE_CACHE_ENABLED = False
    CommentFactory.create_batch(2, article=article)
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200

    def refuse(*args, **kwargs):
        raise AssertionError("the article was unpickled")

    monkeypatch.setattr("blog.views.pickle", SimpleNamespace(loads=refuse))
    second = Client().get(article.get_absolute_url())
    assert second.status_code == 200
    assert _without_reader_values(second.content) == _without_reader_values(first.content)


def _without_reader_values(page):
    return re.sub(rb'(name="(?:csrfmiddlewaretoken|timestamp|security_hash)" value=")\w+', rb"\1", page)
