"""Top-level URLs: admin, API, pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api.urls")),
    path("", include("designer.urls")),
]
