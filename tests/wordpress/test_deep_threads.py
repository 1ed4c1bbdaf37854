"""Imported conversations keep their depth with the default thread level."""

import datetime

from django.core.management import call_command
from django_comments_xtd.models import XtdComment

from blog.models import Article
from config.settings import base

from .test_import_wordpress import run
from .wxr import comment, item, wxr

DEPTH = 14  # the deepest chain seen in a real WordPress export


def chain(depth):
    start = datetime.datetime(2015, 3, 2, 9, 0)
    return [
        comment(
            n + 1,
            f"niveau {n}",
            parent=n if n else 0,
            date_gmt=(start + datetime.timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M:%S"),
        )
        for n in range(depth + 1)
    ]


def test_default_thread_level_is_deep_enough_for_imports():
    assert base.COMMENTS_XTD_MAX_THREAD_LEVEL >= DEPTH


def test_a_reply_chain_keeps_its_depth_on_import_and_on_the_page(db, client, write_wxr, thread_levels):
    thread_levels(base.COMMENTS_XTD_MAX_THREAD_LEVEL)
    output = run(write_wxr(wxr(item(1, "Une longue conversation", comments=chain(DEPTH)))))
    assert "deeper than the site allows" not in output
    by_text = {c.comment: c for c in XtdComment.objects.all()}
    for n in range(1, DEPTH + 1):
        assert by_text[f"niveau {n}"].parent_id == by_text[f"niveau {n - 1}"].pk
        assert by_text[f"niveau {n}"].level == n
    call_command("purge_cache", verbosity=0)
    html = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert html.count('class="comment-list comment-list--nested"') == DEPTH
    assert f"niveau {DEPTH}" in html
