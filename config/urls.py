from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import views

# Each app owns its routes: <app>/urls.py (pages) and <app>/api_urls.py (/api/v1/).
API_APPS = ["community", "characters", "chat", "billing", "moderation"]
PAGE_APPS = ["characters", "chat", "billing", "moderation", "community"]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path(
        "api/v1/",
        include(([path("", include(f"{app}.api_urls")) for app in API_APPS], "api")),
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so the page passes our CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    *[path("", include(f"{app}.urls")) for app in PAGE_APPS],
]

if settings.SERVE_MEDIA:
    # Small deployments and the quick start serve uploads from Django; larger
    # ones serve MEDIA_ROOT from the proxy or object storage and turn this off.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Django's own 403 view renders templates/403.html with the request (the site's
# layout) and the PermissionDenied message; without that template it answered
# a bare "403 Forbidden". A failed CSRF check renders templates/403_csrf.html.
handler400 = "config.views.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
