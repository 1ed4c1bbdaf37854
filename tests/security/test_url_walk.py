"""Every address the project serves, with hostile arguments, by a visitor and by staff: never a 500.

The walk reads the URL patterns the project includes (its own and those of
Django's contrib apps and of the comment engine), builds concrete paths from
each with hostile values in place of its arguments and format suffixes after
them, and requests each with GET and POST. A new route, or a dependency's new
pattern, is walked without anyone adding it here.
"""

import itertools
import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from blog.models import Article
from tests.factories import ArticleFactory, CommentFactory, StaffFactory

HOSTILE_VALUES = [
    "x",
    "0",
    "-1",
    "99999999999999999999",
    "9223372036854775808",
    "%00",
    "'\"><script>",
    "../",
    "..%2F..%2Fetc%2Fpasswd",
    "écrit-漢字-😀",
    "0000",
    "13",
    "99",
]
SUFFIXES = [".json", ".api"]
# The admin has six addresses per model: a few models stand for all of them.
ADMIN_MODELS_SAMPLED = {
    "blog/article",
    "django_comments_xtd/xtdcomment",
    "comments/moderationpolicy",
    "flatpages/flatpage",
    "auth/user",
}
# About 12 ms for the four requests of a path here: the walk stays well under a minute.
MAX_PATHS = 3000
# Two arguments get every pair of the first ids (the articles' content type, a published article, a draft).
PAIRED_IDS = 3


def walk(patterns, prefix=""):
    """(full regular expression, pattern) for every endpoint under ``patterns``."""
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, regex)
        elif isinstance(entry, URLPattern):
            yield regex, entry


GROUP = re.compile(r"\((\?P<(?P<name>\w+)>|\?:)?")


def _split_groups(regex):
    """The regex as a list of literal text and groups: ("text", s) or ("group", name, body, capturing)."""
    parts, i, start = [], 0, 0
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            opening = GROUP.match(regex, i)
            depth, j = 1, opening.end()
            while depth:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
            parts.append(("text", regex[start:i]))
            capturing = opening.group(1) != "?:"
            parts.append(("group", opening.group("name"), regex[opening.end() : j - 1], capturing))
            i = start = j
            continue
        i += 1
    parts.append(("text", regex[start:]))
    return parts


def _literal(text):
    """The text a regex fragment without groups matches, as closely as a path needs."""
    text = re.sub(r"\\[Zb]|\$|/\?", "", text)
    return re.sub(r"\\(.)", r"\1", text)


def concrete_paths(regex, values, *, ids=(), words=()):
    """Paths built from ``regex``: each argument given in turn every one of ``values``.

    The other arguments keep a value of the right shape meanwhile (one of
    ``ids`` or ``words``, real ones), so that the path still reaches the view;
    one or two arguments also get every combination of the first ``ids``. The path with
    those values also gets a format suffix when the pattern announces none.
    """
    parts = _split_groups(regex)
    arguments = [part for part in parts if part[0] == "group" and part[3] and part[1] != "format"]
    choices = []
    for part in parts:
        if part[0] == "text":
            choices.append([_literal(part[1])])
        elif part[1] == "format":
            dot = "." if part[2].startswith("\\.") else ""
            choices.append([dot + suffix.lstrip(".") for suffix in SUFFIXES])
        elif not part[3]:
            # (?:a|b|c): each alternative.
            choices.append([_literal(alternative) for alternative in part[2].split("|")])
        else:
            choices.append(None)
    candidates = []
    for part in arguments:
        # (?P<app_label>auth|sites|…): each of the names it lists, before any other value.
        listed = part[2].split("|") if re.fullmatch(r"\w+(\|\w+)+", part[2]) else []
        candidates.append([*listed, *ids, *words, *values])
    base = [
        next((value for value in options if re.fullmatch(part[2], value)), options[0])
        for part, options in zip(arguments, candidates, strict=True)
    ]
    plain = [base]
    if len(arguments) <= 2:
        plain += [list(combo) for combo in itertools.product(ids[:PAIRED_IDS], repeat=len(arguments))]
    hostile = [
        [*base[:index], value, *base[index + 1 :]]
        for index, options in enumerate(candidates)
        for value in options
    ]
    paths = set()
    for combo in plain + hostile:
        given = iter(combo)
        filled = [options if options is not None else [next(given)] for options in choices]
        for pieces in itertools.product(*filled):
            path = "/" + "".join(pieces)
            paths.add(path)
            if combo is base:
                paths.update(path.rstrip("/") + suffix for suffix in SUFFIXES)
    return paths


def sampled(path):
    admin = "/" + settings.ADMIN_URL
    if not path.startswith(admin):
        return True
    model = "/".join(path.removeprefix(admin).split("/")[:2])
    return model.count("/") == 0 or model in ADMIN_MODELS_SAMPLED or not re.fullmatch(r"\w+/\w+", model)


@pytest.fixture
def content(db):
    """Something of every kind for the arguments to find: public, unpublished, removed."""
    article = ArticleFactory(tags=["Twitter"])
    draft = ArticleFactory(draft=True)
    public = CommentFactory(article=article)
    pending = CommentFactory(article=draft, is_public=False)
    FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Nous.</p>").sites.add(
        Site.objects.get_current()
    )
    return {
        "ids": [
            str(item.pk)
            for item in (ContentType.objects.get_for_model(Article), article, draft, public, pending)
        ],
        "words": [
            article.author.username,
            f"{article.publication_date:%Y}",
            f"{article.publication_date:%m}",
            f"{article.publication_date:%d}",
            article.slug,
            "blog-article",
        ],
    }


def all_paths(content):
    found = []
    for regex, entry in walk(get_resolver().url_patterns):
        paths = sorted(path for path in concrete_paths(regex, HOSTILE_VALUES, **content) if sampled(path))
        found.append((regex, entry, paths))
    return found


def test_the_walk_builds_real_instances_of_every_pattern(content):
    """Each pattern gets at least one path it matches itself, and the known crashes are in the walk."""
    walked = all_paths(content)
    assert len(walked) > 60
    for regex, _entry, paths in walked:
        if not sampled("/" + _literal(regex.split("(")[0])):
            continue
        assert any(re.match(regex, path[1:]) for path in paths), (regex, paths[:5])
    every_path = {path for _regex, _entry, paths in walked for path in paths}
    for known in [
        "/commentaires/confirm/x.json",
        "/commentaires/mute/x.json",
        "/commentaires/reply/0.json",
        "/commentaires/reply/0.api",
        "/commentaires/posted.json",
    ]:
        assert known in every_path


def test_no_address_answers_500_to_anyone(content):
    anonymous = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(StaffFactory(username="walker"))
    paths = sorted({path for _regex, _entry, paths in all_paths(content) for path in paths})
    assert len(paths) < MAX_PATHS, "sample fewer admin models, or fewer values"
    failures = []
    for path in paths:
        for client, method in itertools.product((anonymous, staff), ("get", "post")):
            response = getattr(client, method)(path)
            if response.status_code >= 500:
                failures.append((method.upper(), path, "staff" if client is staff else "anonymous"))
    assert not failures, f"{len(failures)} of {4 * len(paths)} requests answered 500: {failures[:40]}"
