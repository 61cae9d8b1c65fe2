"""Headings in text rendered before config/markdown.py moved them two levels
down (a post body's "# Heading" was a second <h1> on the post's page): the
stored HTML gets the levels it would be rendered with now. nh3 wrote the
tags without attributes, and a "<h1>" typed as text is stored escaped, so
the exact tags are the headings."""

import re

from django.db import migrations

_HEADING = re.compile(r"<(/?)h([1-6])>")
_FIELDS = [("Post", "body_html"), ("Comment", "body_html"),
           ("Moment", "body_html"), ("SharedChat", "note_html")]


def _shift(match):
    return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}>"


def shift_headings(apps, schema_editor):
    for model_name, field in _FIELDS:
        model = apps.get_model("community", model_name)
        rows = model.objects.filter(**{f"{field}__regex": r"<h[1-6]>"}).only(field)
        changed = []
        for row in rows.iterator(chunk_size=500):
            setattr(row, field, _HEADING.sub(_shift, getattr(row, field)))
            changed.append(row)
            if len(changed) == 500:
                model.objects.bulk_update(changed, [field])
                changed = []
        model.objects.bulk_update(changed, [field])


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0006_comment_deleted_at"),
    ]

    operations = [
        migrations.RunPython(shift_headings, migrations.RunPython.noop),
    ]
