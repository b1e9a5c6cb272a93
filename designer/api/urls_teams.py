"""API routes for teams."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
