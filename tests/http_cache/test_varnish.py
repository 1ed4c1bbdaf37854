"""The site behind Varnish: what readers get from the cache, and when it is refreshed.

Each test works on its own articles (see ``ROLES`` in conftest.py) and warms
the pages it checks itself, so that the others' purges decide nothing here.
"""

import json
import re
import secrets
import time

import pytest

from .conftest import HOST, comment_form, http_request, render_vcl, require_compiled, require_varnish

pytestmark = pytest.mark.http_cache

SURROGATE_HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")
MAIL_WAIT_SECONDS = 10


def s_maxage(response):
    for directive in response.cache_control:
        name, _, value = directive.partition("=")
        if name == "s-maxage" and value.isdigit():
            return int(value)
    return None


def warm(stack, path):
    """Reads ``path`` anonymously until Varnish serves it from its cache (three tries at most)."""
    for _ in range(3):
        response = stack.get(path)
        if response.cache == "HIT":
            return response
    raise AssertionError(f"{path} is never served from the cache:\n{response.describe()}")


def assert_not_from_cache(response, what):
    assert response.cache in ("MISS", "PASS"), f"{what} came from the cache:\n{response.describe()}"


def post_comment(stack, reader, role, text):
    """What the page and static/js/comments.js do: read the form, fill in its fresh fields, post it."""
    path, pk = stack.url(role), stack.pk(role)
    form = comment_form(stack.get(path).text)
    assert form.action, f"no comment form on {path}"
    fresh = reader.get(f"/commentaires/champs/{pk}/")
    assert fresh.status == 200, fresh.describe()
    values = json.loads(fresh.text)
    fields = {
        "content_type": form.fields.get("content_type", "blog.article"),
        "object_pk": str(pk),
        "reply_to": "0",
        "honeypot": "",
        "name": "Lectrice de test",
        "email": f"lectrice-{secrets.token_hex(4)}@example.org",
        "url": "",
        "comment": text,
        "timestamp": values["timestamp"],
        "security_hash": values["security_hash"],
    }
    if values.get("csrfmiddlewaretoken"):
        fields["csrfmiddlewaretoken"] = values["csrfmiddlewaretoken"]
    before = stack.confirmation_links()
    response = reader.post(form.action, fields, referer=path)
    return response, before


def new_confirmation_link(stack, before):
    """The one confirmation link that appeared since ``before``."""
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    for _ in range(50):
        links = stack.confirmation_links() - before
        if links or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(links) == 1, f"expected one new confirmation e-mail, found {sorted(links)}"
    return links.pop()


def test_the_shipped_vcl_compiles(tmp_path):
    require_varnish()
    require_compiled(render_vcl(tmp_path / "default.vcl", 8000), tmp_path / "varnish")


def test_a_public_page_is_served_from_the_cache(stack):
    path, pk = stack.url("cached"), stack.pk("cached")
    first = stack.get(path)
    assert first.status == 200
    assert first.cache == "MISS", first.describe()
    second = stack.get(path)
    assert second.cache == "HIT", second.describe()
    assert second.text == first.text

    assert "public" in second.cache_control, second.describe()
    assert (s_maxage(second) or 0) > 0, second.describe()
    assert second.headers.get("ETag"), second.describe()
    assert second.headers.get_all("Set-Cookie") is None, second.describe()
    # Django names what the page shows; readers never see those names.
    from_django = stack.backend_get(path)
    keys = set(from_django.headers.get("xkey", "").split())
    assert {"site", f"article-{pk}"} <= keys, from_django.describe()
    for header in SURROGATE_HEADERS:
        assert from_django.headers.get(header), f"Django sent no {header}:\n{from_django.describe()}"
        assert second.headers.get(header) is None, f"{header} reached the reader:\n{second.describe()}"

    # A browser revalidating its copy gets a 304 from Varnish.
    revalidated = stack.get(path, headers={"If-None-Match": second.headers["ETag"]})
    assert revalidated.status == 304, revalidated.describe()
    # Cookies that do not change the page (a CSRF token, analytics) do not bypass the cache.
    with_cookies = stack.get(path, headers={"Cookie": "csrftoken=abcdef; _ga=GA1.1.1"})
    assert with_cookies.cache == "HIT", with_cookies.describe()


def test_a_shared_link_is_the_same_cached_page(stack):
    path = stack.url("shared")
    page = warm(stack, path)
    for shared in (
        f"{path}?utm_source=x&fbclid=y",
        f"{path}?fbclid=y&utm_campaign=lancement&mc_eid=1",
        f"{path}?gclid=abc",
    ):
        response = stack.get(shared)
        assert response.cache == "HIT", f"{shared}:\n{response.describe()}"
        assert response.text == page.text

    # The other parameters still make their own page.
    warm(stack, "/recherche/?q=texte")
    assert stack.get("/recherche/?utm_medium=social&q=texte&utm_source=x").cache == "HIT"
    assert stack.get("/recherche/?q=texte&utm_medium=social").cache == "HIT"
    assert stack.get("/recherche/?q=remplir").cache == "MISS"


def test_readers_cannot_purge(stack):
    path, pk = stack.url("spare"), stack.pk("spare")
    warm(stack, path)
    # Through the TLS terminator (it adds X-Forwarded-For), a PURGE is refused.
    relayed = http_request(stack.varnish_port, "PURGE", "/", headers={"xkey-purge": f"site article-{pk}"})
    assert relayed.status == 403, relayed.describe()
    assert stack.get(path).cache == "HIT"
    # From the app servers, a PURGE must name keys; one that does empties their pages.
    keyless = http_request(stack.varnish_port, "PURGE", "/", client_ip=None)
    assert keyless.status == 400, keyless.describe()
    purged = http_request(
        stack.varnish_port, "PURGE", "/", headers={"xkey-purge": f"article-{pk}"}, client_ip=None
    )
    assert purged.status == 200, purged.describe()
    assert stack.get(path).cache == "MISS"


def test_an_edited_title_shows_at_once(stack):
    path, pk = stack.url("edited"), stack.pk("edited")
    warm(stack, path)
    warm(stack, "/")
    title = f"Titre révisé {secrets.token_hex(4)}"
    stack.shell(
        "from blog.models import Article\n"
        f"article = Article.objects.get(pk={pk!r})\n"
        f"article.title = {title!r}\n"
        "article.save()\n"
    )
    page = stack.get(path)
    assert_not_from_cache(page, "the edited article")
    assert title in page.text
    home = stack.get("/")
    assert_not_from_cache(home, "the home page")
    assert title in home.text
    assert stack.get(path).cache == "HIT"


def test_a_published_article_shows_at_once(stack):
    warm(stack, "/")
    path = json.loads(
        stack.shell(
            "import json\n"
            "from blog.models import Article\n"
            "from editorial.services import article_publish\n"
            f"article = article_publish(article=Article.objects.get(pk={stack.pk('draft')!r}))\n"
            "print(json.dumps(article.get_absolute_url()))\n"
        )
    )
    home = stack.get("/")
    assert_not_from_cache(home, "the home page")
    assert path in home.text
    assert stack.get(path).status == 200


def test_a_published_comment_refreshes_its_article_only(stack):
    commented, neighbour = stack.url("commented"), stack.url("neighbour")
    # Precondition: the neighbour's page does not show the commented article.
    keys = stack.backend_get(neighbour).headers.get("xkey", "").split()
    assert f"article-{stack.pk('neighbour')}" in keys, keys
    assert f"article-{stack.pk('commented')}" not in keys, keys
    comment_feeds = ["/commentaires/flux/", f"/commentaires/flux/article/{stack.pk('commented')}/"]
    for path in [commented, neighbour, *comment_feeds]:
        warm(stack, path)

    reader = stack.reader("203.0.113.30")
    text = f"Un avis réfléchi, numéro {secrets.token_hex(4)}."
    posted, before = post_comment(stack, reader, "commented", text)
    assert posted.status == 302, posted.describe()
    confirmed = reader.get(new_confirmation_link(stack, before))
    assert confirmed.status == 302, confirmed.describe()

    page = stack.get(commented)
    assert_not_from_cache(page, "the commented article")
    assert text in page.text
    unrelated = stack.get(neighbour)
    assert unrelated.cache == "HIT", unrelated.describe()
    assert text not in unrelated.text
    for path in comment_feeds:
        feed = stack.get(path)
        assert_not_from_cache(feed, path)
        assert text in feed.text


def test_a_logged_in_user_bypasses_the_cache(stack):
    path = stack.url("logged_in")
    warm(stack, path)
    user = stack.reader("203.0.113.40")
    login = user.get("/admin/login/")
    assert login.status == 200
    assert_not_from_cache(login, "the login page")
    assert "csrftoken" in user.cookies, login.describe()
    logged_in = user.post(
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": user.cookies["csrftoken"],
            "username": "editrice",
            "password": stack.staff_password,
            "next": "/admin/",
        },
        referer="/admin/login/",
    )
    assert logged_in.status == 302, logged_in.describe()
    assert "sessionid" in user.cookies, logged_in.describe()

    page = user.get(path)
    assert page.status == 200
    assert_not_from_cache(page, "a logged-in user's page")
    assert {"private", "no-store"} <= page.cache_control, page.describe()
    form = comment_form(page.text)
    assert form.action, "no comment form for the logged-in user"
    assert "name" not in form.fields and "email" not in form.fields
    assert "Vous commentez en tant que" in page.text

    # Anonymous readers still get the shared page, without the user's form.
    anonymous = stack.get(path)
    assert anonymous.cache == "HIT", anonymous.describe()
    assert "Vous commentez en tant que" not in anonymous.text
    assert "name" in comment_form(anonymous.text).fields


def test_the_comment_form_works_on_a_cached_page(stack):
    path, pk = stack.url("form"), stack.pk("form")
    cached = warm(stack, path)
    form = comment_form(cached.text)
    assert form.action, "no comment form on the cached page"
    assert form.fields.get("timestamp") == "", form.fields
    assert form.fields.get("security_hash") == "", form.fields
    assert "csrfmiddlewaretoken" not in form.fields

    reader = stack.reader("203.0.113.50")
    for _ in range(2):
        fresh = reader.get(f"/commentaires/champs/{pk}/")
        assert fresh.status == 200, fresh.describe()
        assert_not_from_cache(fresh, "the form's fresh fields")
        assert "no-store" in fresh.cache_control, fresh.describe()
        values = json.loads(fresh.text)
        assert values["timestamp"] and values["security_hash"], values
        assert values["csrfmiddlewaretoken"] == "", "an anonymous reader needs no CSRF token"

    text = f"Très bon article, vraiment {secrets.token_hex(4)}."
    posted, before = post_comment(stack, reader, "form", text)
    assert posted.status == 302, posted.describe()
    assert posted.headers["Location"].split("#")[0] in (path, f"https://{HOST}{path}"), posted.describe()
    assert "messages" in reader.cookies, posted.describe()

    with_message = reader.get(path)
    assert_not_from_cache(with_message, "the page with the reader's message")
    assert {"private", "no-store"} <= with_message.cache_control, with_message.describe()
    assert "Presque terminé" in with_message.text
    assert text not in with_message.text

    link = new_confirmation_link(stack, before)
    assert re.fullmatch(r"/commentaires/confirm/[^/]+/", link)
    confirmed = reader.get(link)
    assert confirmed.status == 302, confirmed.describe()

    anonymous = stack.get(path)
    assert_not_from_cache(anonymous, "the article after its new comment")
    assert text in anonymous.text
    again = stack.get(path)
    assert again.cache == "HIT" and text in again.text
