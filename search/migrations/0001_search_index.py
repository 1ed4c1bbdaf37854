"""The search index on both databases, with each article's keywords and category.

PostgreSQL: the vector made by blog's trigger (blog/migrations/0005) now also
holds the article's keywords and its category's name (weight B, as the
excerpt). Two functions carry it: ``search_article_keywords(id, category_id)``
(the category's name, then the tags' names in alphabetical order) and
``search_article_vector(title, excerpt, body, keywords)``; the trigger function
is replaced to call them, and every vector is recomputed.

SQLite: an FTS5 table, ``search_article_fts`` (rowid = the article's id),
holding lexemes made in Python (search.text): accents dropped and French stems,
as PostgreSQL's ``blog_french`` does. Its tokenizer splits on the spaces
between them, and drops any accent left.

Other databases: nothing (search reads the text itself there).
"""

from django.db import migrations

FTS_TABLE = "search_article_fts"
BATCH = 500

CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, excerpt, body, keywords, tokenize = 'unicode61 remove_diacritics 2')"
)

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.search_article_vector(title text, excerpt text, body text, keywords text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{config}', coalesce(excerpt, '')), 'B')
        || setweight(
            to_tsvector('{config}', regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g')),
            'C'
        )
        || setweight(to_tsvector('{config}', coalesce(keywords, '')), 'B')
$$
"""

KEYWORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.search_article_keywords(article_id bigint, category_id bigint)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT concat_ws(
        ' ',
        (SELECT category.name FROM {category} category WHERE category.id = category_id),
        (
            SELECT string_agg(tag.name, ' ' ORDER BY tag.name)
            FROM {tagged_item} item JOIN {tag} tag ON tag.id = item.tag_id
            WHERE item.object_id = article_id
                AND item.content_type_id = (
                    SELECT id FROM {content_type} WHERE app_label = 'blog' AND model = 'article'
                )
        )
    )
$$
"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION blog_article_search_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {schema}.search_article_vector(
        NEW.title, NEW.excerpt, NEW.body, {schema}.search_article_keywords(NEW.id, NEW.category_id)
    );
    RETURN NEW;
END
$$
"""

# What blog/migrations/0005 made, put back when this migration is reversed.
FORMER_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION blog_article_search_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := blog_article_search_vector(NEW.title, NEW.excerpt, NEW.body);
    RETURN NEW;
END
$$
"""


def _schema(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    return schema_editor.quote_name(schema)


def _table(schema, schema_editor, apps, label):
    return f"{schema}.{schema_editor.quote_name(apps.get_model(label)._meta.db_table)}"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _create_postgresql(apps, schema_editor)
    elif vendor == "sqlite":
        _create_sqlite(apps, schema_editor)


def _create_postgresql(apps, schema_editor):
    schema = _schema(schema_editor)
    tables = {
        "category": _table(schema, schema_editor, apps, "blog.Category"),
        "tagged_item": _table(schema, schema_editor, apps, "taggit.TaggedItem"),
        "tag": _table(schema, schema_editor, apps, "taggit.Tag"),
        "content_type": _table(schema, schema_editor, apps, "contenttypes.ContentType"),
    }
    # Named with their schema, so that they work whatever the search_path of the writer.
    schema_editor.execute(VECTOR_FUNCTION.format(schema=schema, config=f"{schema}.blog_french"))
    schema_editor.execute(KEYWORDS_FUNCTION.format(schema=schema, **tables))
    schema_editor.execute(TRIGGER_FUNCTION.format(schema=schema))
    article = _table(schema, schema_editor, apps, "blog.Article")
    schema_editor.execute(
        f"UPDATE {article} SET search_vector = "
        "search_article_vector(title, excerpt, body, search_article_keywords(id, category_id))"
    )


def _create_sqlite(apps, schema_editor):
    from search.services import entries, write_entries

    schema_editor.execute(CREATE_FTS)
    Article = apps.get_model("blog", "Article")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="blog", model="article").first()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            found = entries(
                Article.objects.all(), TaggedItem.objects.all(), content_type.pk if content_type else 0, batch
            )
            write_entries(cursor, found, batch)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema = _schema(schema_editor)
        schema_editor.execute(FORMER_TRIGGER_FUNCTION)
        article = _table(schema, schema_editor, apps, "blog.Article")
        schema_editor.execute(
            f"UPDATE {article} SET search_vector = blog_article_search_vector(title, excerpt, body)"
        )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {schema}.search_article_keywords(bigint, bigint)")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {schema}.search_article_vector(text, text, text, text)")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_article_body_html"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
