from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("@<slug:handle>", views.profile_detail, name="profile"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/tokens/", views.token_list, name="tokens"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views.token_revoke_view,
        name="token_revoke",
    ),
]
