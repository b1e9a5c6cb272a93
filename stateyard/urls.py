"""Top-level URLs: admin, API, pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api.urls")),
    path("", include("designer.aws.urls")),  # the AWS Step Functions API at /aws
    path("", include("designer.urls")),
]
