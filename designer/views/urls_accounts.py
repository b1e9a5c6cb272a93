"""Account and team pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
