import django.contrib.postgres.search
from django.db import DatabaseError, migrations, transaction

# The search vector is defined once, in SQL: the trigger keeps each row's up to
# date on every write (admin, services, imports, bulk updates alike) and
# search.services.rebuild_search_vectors() uses the same function for a full rebuild.
# Title weighs 'A', excerpt 'B', body 'C'; the body's HTML tags are dropped.
#
# It uses its own text search configuration, blog_french: French stemming, and
# accents ignored when the unaccent extension can be installed, so that
# "developpement" finds "développement". search.selectors.SEARCH_CONFIG names it.
CREATE_SQL = [
    """
    CREATE OR REPLACE FUNCTION blog_article_search_vector(title text, excerpt text, body text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
            || setweight(to_tsvector('{config}', coalesce(excerpt, '')), 'B')
            || setweight(
                to_tsvector('{config}', regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g')),
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
    # The unaccent extension stays: other parts of the database may use it.
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS blog_french",
]


def create_search_configuration(schema_editor):
    """blog_french: a copy of French that also drops accents, if unaccent can be had.

    unaccent ships with PostgreSQL and is a trusted extension (any database owner
    may install it); where it still cannot be installed, the configuration is
    plain French and accents count.
    """
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS blog_french")
    schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION blog_french (COPY = pg_catalog.french)")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DatabaseError:
        return
    schema_editor.execute(
        "ALTER TEXT SEARCH CONFIGURATION blog_french "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem"
    )


def create_search_objects(apps, schema_editor):
    """Other databases keep a plain, unused column: search falls back to reading the text."""
    if schema_editor.connection.vendor != "postgresql":
        return
    create_search_configuration(schema_editor)
    # Named with its schema, so that the trigger works whatever the search_path of the writer.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    config = f"{schema_editor.quote_name(schema)}.blog_french"
    for statement in CREATE_SQL:
        schema_editor.execute(statement.replace("{config}", config))


def drop_search_objects(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_SQL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_newsroom_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="search index"
            ),
        ),
        migrations.RunPython(create_search_objects, drop_search_objects),
    ]
