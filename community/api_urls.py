"""Community routes under /api/v1/."""

from django.urls import path

from community import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path(
        "characters/<slug:slug>/like/",
        api.CharacterLikeView.as_view(),
        name="character-like",
    ),
    path(
        "characters/<slug:slug>/rating/",
        api.CharacterRatingView.as_view(),
        name="character-rating",
    ),
    path(
        "characters/<slug:slug>/follow/",
        api.CharacterFollowView.as_view(),
        name="character-follow",
    ),
    path(
        "characters/<slug:slug>/comments/",
        api.CharacterCommentsView.as_view(),
        name="character-comments",
    ),
    path(
        "users/<slug:handle>/follow/", api.UserFollowView.as_view(), name="user-follow"
    ),
    path("users/<slug:handle>/block/", api.UserBlockView.as_view(), name="user-block"),
    path("boards/", api.BoardListView.as_view(), name="boards"),
    path("boards/<slug:slug>/posts/", api.BoardPostsView.as_view(), name="board-posts"),
    path("posts/<int:post_id>/", api.PostDetailView.as_view(), name="post"),
    path(
        "posts/<int:post_id>/comments/",
        api.PostCommentsView.as_view(),
        name="post-comments",
    ),
    path("posts/<int:post_id>/vote/", api.PostVoteView.as_view(), name="post-vote"),
    path("shares/", api.ShareCreateView.as_view(), name="shares"),
    path("shares/<int:share_id>/", api.ShareDetailView.as_view(), name="share"),
    path(
        "shares/<int:share_id>/continue/",
        api.ShareContinueView.as_view(),
        name="share-continue",
    ),
    path("shares/<int:share_id>/like/", api.ShareLikeView.as_view(), name="share-like"),
    path(
        "shares/<int:share_id>/comments/",
        api.ShareCommentsView.as_view(),
        name="share-comments",
    ),
    path("feed/", api.FeedView.as_view(), name="feed"),
    path("notifications/", api.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read/",
        api.NotificationReadView.as_view(),
        name="notifications-read",
    ),
]
