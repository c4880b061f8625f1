"""Citizen pages, at the root of the site. Each part of the portal keeps its own URL module."""

from django.urls import include, path

app_name = "portal"

urlpatterns = [
    # First: the tracking look-up is the busiest request, and Django tries patterns in order.
    path("tra-cuu/", include("motcua.portal.urls_track")),
    path("", include("motcua.portal.urls_find")),
    path("", include("motcua.portal.urls_accounts")),
    path("", include("motcua.portal.urls_apply")),
]
