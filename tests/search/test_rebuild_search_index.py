from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.utils import translation

from blog.models import Article
from search import selectors, services
from tests.factories import ArticleFactory

ON_POSTGRESQL = connection.vendor == "postgresql"


def run(*args, language="en"):
    out = StringIO()
    with translation.override(language):
        call_command("rebuild_search_index", *args, stdout=out)
    return out.getvalue()


def lose_vectors(*articles):
    """What a restore without triggers or signals leaves behind: articles whose entry is missing."""
    ids = [article.pk for article in articles]
    if not ON_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {services.FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in ids])
        return
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks that block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER blog_article_search_vector_update")
        cursor.execute(f"UPDATE {table} SET search_vector = NULL WHERE id = ANY(%s)", [ids])
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER blog_article_search_vector_update")


def test_other_databases_have_nothing_to_rebuild(db, monkeypatch):
    ArticleFactory.create_batch(2)
    monkeypatch.setattr(connection, "vendor", "other")
    output = run()
    assert "no full-text index" in output
    assert "2 articles" in output
    assert "Nothing to rebuild." in output
    assert "la recherche lit directement les 2 articles. Rien à reconstruire." in run(language="fr")


def test_dry_run_counts_without_changing(db):
    lost = ArticleFactory(title="Communautés perdues")
    ArticleFactory(title="Intact")
    lose_vectors(lost)
    output = run("--dry-run")
    assert output == "Dry run: 2 articles, 1 with an out-of-date search entry. Nothing was changed.\n"
    assert not selectors.search_articles("communauté").exists()


def test_rebuild_makes_lost_articles_findable_again(db):
    lost = ArticleFactory(title="Communautés perdues")
    ArticleFactory(title="Intact", draft=True)
    lose_vectors(lost)
    output = run()
    assert (
        "Search index rebuilt: 2 articles, 1 with an out-of-date search entry before; "
        "2 entries recomputed." in output
    )
    assert list(selectors.search_articles("communauté")) == [lost]
    assert "0 with an out-of-date" in run("--dry-run")
    french = run("--dry-run", language="fr")
    assert (
        french == "Simulation : 2 articles, 0 avec une entrée de recherche périmée. Rien n’a été modifié.\n"
    )


def test_rebuild_does_not_touch_modification_dates(db):
    article = ArticleFactory()
    before = Article.objects.get(pk=article.pk).updated_at
    run()
    assert Article.objects.get(pk=article.pk).updated_at == before


def test_quiet_run_prints_nothing(db):
    ArticleFactory()
    assert run("--verbosity", "0") == ""


def test_rebuild_restores_keywords_and_categories_and_drops_deleted_articles(db):
    article = ArticleFactory(title="Un article", tags=["Podcast"])
    lose_vectors(article)
    assert not selectors.search_articles("podcast").exists()
    run()
    assert list(selectors.search_articles("podcast")) == [article]
    assert list(selectors.search_articles(article.category.name)) == [article]
    assert "0 with an out-of-date" in run("--dry-run")
