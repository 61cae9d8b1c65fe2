from django.urls import URLPattern, URLResolver, path

from billing import views

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("pricing/", views.pricing, name="pricing"),
    path("billing/checkout/<slug:kind>/", views.checkout, name="checkout"),
    path("billing/portal/", views.portal, name="portal"),
    path("billing/thanks/", views.thanks, name="thanks"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("creators/", views.creator_home, name="creator_home"),
    path("creators/onboard/", views.creator_onboard, name="creator_onboard"),
    path("creators/<slug:handle>/earnings/", views.earnings, name="earnings"),
    path(
        "billing/characters/<slug:slug>/premium/",
        views.premium_edit,
        name="premium_edit",
    ),
    path(
        "billing/characters/<slug:slug>/support/",
        views.premium_support,
        name="support",
    ),
    path("billing/characters/<slug:slug>/promote/", views.promote, name="promote"),
]
