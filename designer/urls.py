"""HTML pages: each area keeps its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("designer.views.urls_accounts")),
    path("", include("designer.views.urls_studio")),
]
