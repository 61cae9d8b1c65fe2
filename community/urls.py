from django.urls import path

from community import social_views as sv
from community import views

app_name = "community"

urlpatterns = [
    path("@<slug:handle>", sv.profile_page, name="profile"),
    path("@<slug:handle>/follow/", sv.user_follow_toggle, name="user_follow"),
    path("@<slug:handle>/block/", sv.user_block_toggle, name="user_block"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/tokens/", views.token_list, name="tokens"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views.token_revoke_view,
        name="token_revoke",
    ),
    path("community/", sv.community_home, name="home"),
    path("community/b/<slug:slug>/", sv.board_detail, name="board"),
    path("community/b/<slug:slug>/post/", sv.post_create, name="post_create"),
    path("community/p/<int:post_id>/", sv.post_detail, name="post"),
    path("community/p/<int:post_id>/vote/", sv.post_vote, name="post_vote"),
    path("community/p/<int:post_id>/edit/", sv.post_edit, name="post_edit"),
    path("community/p/<int:post_id>/delete/", sv.post_delete, name="post_delete"),
    path("community/p/<int:post_id>/comments/", sv.post_comment, name="post_comment"),
    path(
        "community/comments/<int:comment_id>/edit/",
        sv.comment_edit,
        name="comment_edit",
    ),
    path(
        "community/comments/<int:comment_id>/delete/",
        sv.comment_delete,
        name="comment_delete",
    ),
    path(
        "community/comments/<int:comment_id>/pin/", sv.comment_pin, name="comment_pin"
    ),
    path("community/c/<slug:slug>/", sv.character_community, name="character"),
    path(
        "community/c/<slug:slug>/like/", sv.character_like_toggle, name="character_like"
    ),
    path(
        "community/c/<slug:slug>/follow/",
        sv.character_follow_toggle,
        name="character_follow",
    ),
    path("community/c/<slug:slug>/rate/", sv.character_rate, name="character_rate"),
    path(
        "community/c/<slug:slug>/rate/remove/",
        sv.character_unrate,
        name="character_unrate",
    ),
    path(
        "community/c/<slug:slug>/comments/",
        sv.character_comment,
        name="character_comment",
    ),
    path("community/c/<slug:slug>/moments/", sv.moment_create, name="moment_create"),
    path(
        "community/c/<slug:slug>/dashboard/",
        sv.character_dashboard,
        name="dashboard",
    ),
    path("community/s/new/", sv.share_create, name="share_create"),
    path("community/s/<int:share_id>/", sv.share_detail, name="share"),
    path("community/s/<int:share_id>/like/", sv.share_like_toggle, name="share_like"),
    path(
        "community/s/<int:share_id>/comments/", sv.share_comment, name="share_comment"
    ),
    path(
        "community/s/<int:share_id>/unpublish/",
        sv.share_unpublish,
        name="share_unpublish",
    ),
    path(
        "community/s/<int:share_id>/continue/",
        sv.share_continue,
        name="share_continue",
    ),
    path("community/notifications/", sv.notification_list, name="notifications"),
    path(
        "community/notifications/<int:notification_id>/read/",
        sv.notification_read,
        name="notification_read",
    ),
    path(
        "community/notifications/read-all/",
        sv.notification_read_all,
        name="notification_read_all",
    ),
]
