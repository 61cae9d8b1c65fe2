"""This app's routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from billing.api import CreatorEarningsView

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "creators/<slug:handle>/earnings/",
        CreatorEarningsView.as_view(),
        name="creator_earnings",
    ),
]
