"""API routes for workflows."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
