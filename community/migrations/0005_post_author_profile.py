# The post's author profile as a relation without a column of its own (a join
# on author_id = profile.user_id): no database change.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_shared_chats"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="author_profile",
            field=models.ForeignObject(
                default=None,
                from_fields=["author"],
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="community.profile",
                to_fields=["user"],
            ),
            preserve_default=False,
        ),
    ]
