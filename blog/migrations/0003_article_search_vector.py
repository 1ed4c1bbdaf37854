import django.contrib.postgres.search
from django.db import migrations

# The search vector is defined once, in SQL: the trigger keeps each row's up to
# date on every write (admin, services, imports, bulk updates alike) and
# blog.search.rebuild_search_vectors() uses the same function for a full rebuild.
# Title weighs 'A', excerpt 'B', body 'C'; the body's HTML tags are dropped.
CREATE_SQL = [
    """
    CREATE OR REPLACE FUNCTION blog_article_search_vector(title text, excerpt text, body text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('pg_catalog.french', coalesce(title, '')), 'A')
            || setweight(to_tsvector('pg_catalog.french', coalesce(excerpt, '')), 'B')
            || setweight(
                to_tsvector('pg_catalog.french', regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g')),
                'C'
            )
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION blog_article_search_vector_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := blog_article_search_vector(NEW.title, NEW.excerpt, NEW.body);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER blog_article_search_vector_update
    BEFORE INSERT OR UPDATE ON blog_article
    FOR EACH ROW EXECUTE FUNCTION blog_article_search_vector_trigger()
    """,
    "CREATE INDEX blog_article_search_vector_idx ON blog_article USING GIN (search_vector)",
    "UPDATE blog_article SET search_vector = blog_article_search_vector(title, excerpt, body)",
]
DROP_SQL = [
    "DROP INDEX IF EXISTS blog_article_search_vector_idx",
    "DROP TRIGGER IF EXISTS blog_article_search_vector_update ON blog_article",
    "DROP FUNCTION IF EXISTS blog_article_search_vector_trigger()",
    "DROP FUNCTION IF EXISTS blog_article_search_vector(text, text, text)",
]


def run_on_postgresql(statements):
    """Other databases keep a plain, unused column: search falls back to reading the text."""

    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_site_domain"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="search index"
            ),
        ),
        migrations.RunPython(run_on_postgresql(CREATE_SQL), run_on_postgresql(DROP_SQL)),
    ]
