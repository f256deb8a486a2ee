"""The search index holds published reviews only (search.search_index_review): drop the documents of
reviews that are not published, so that a search needs no other table."""

from django.db import migrations


def unpublished_documents_delete(apps, schema_editor):
    SearchDocument = apps.get_model("reviews", "SearchDocument")
    SearchDocument.objects.filter(review__is_published=False).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_recommendation_boards")]

    operations = [migrations.RunPython(unpublished_documents_delete, migrations.RunPython.noop)]
