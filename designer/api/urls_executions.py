"""API routes for executions."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
