"""The full-text index over reviews_searchdocument, one per database (see docs/decisions/0003).

PostgreSQL: a generated tsvector column (title weighted A, body B, 'english' configuration) with a GIN
index. SQLite: an FTS5 external-content table over the same rows, kept in step by triggers, with the
Porter stemmer. The ORM does not know about either; search.py queries them with SQL.

On SQLite, Django rebuilds a table to alter it, which drops its triggers: a later migration that
alters SearchDocument must drop and re-create the index as this one does.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE reviews_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX reviews_searchdocument_search_vector_gin ON reviews_searchdocument USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS reviews_searchdocument_search_vector_gin",
    "ALTER TABLE reviews_searchdocument DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE reviews_searchdocument_fts USING fts5(
        title, body, content='reviews_searchdocument', content_rowid='id', tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER reviews_searchdocument_fts_insert AFTER INSERT ON reviews_searchdocument BEGIN
        INSERT INTO reviews_searchdocument_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER reviews_searchdocument_fts_delete AFTER DELETE ON reviews_searchdocument BEGIN
        INSERT INTO reviews_searchdocument_fts(reviews_searchdocument_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER reviews_searchdocument_fts_update AFTER UPDATE ON reviews_searchdocument BEGIN
        INSERT INTO reviews_searchdocument_fts(reviews_searchdocument_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO reviews_searchdocument_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    # Index whatever rows already exist.
    "INSERT INTO reviews_searchdocument_fts(reviews_searchdocument_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS reviews_searchdocument_fts_insert",
    "DROP TRIGGER IF EXISTS reviews_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS reviews_searchdocument_fts_update",
    "DROP TABLE IF EXISTS reviews_searchdocument_fts",
]


def _run(schema_editor, statements_by_vendor):
    statements = statements_by_vendor.get(schema_editor.connection.vendor)
    if statements is None:
        # Another database: search.py falls back to a plain match, so there is nothing to build.
        return
    for statement in statements:
        schema_editor.execute(statement)


def index_create(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD})


def index_drop(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    # The CREATE VIRTUAL TABLE and triggers must run in one go with the rest on SQLite too.
    atomic = True

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(index_create, index_drop, elidable=False),
    ]
