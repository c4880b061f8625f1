"""Citizen pages, at the root of the site. Each part of the portal keeps its own URL module."""

from django.urls import include, path

app_name = "portal"

urlpatterns = [
    path("", include("motcua.portal.urls_find")),
    path("", include("motcua.portal.urls_accounts")),
    path("", include("motcua.portal.urls_apply")),
    path("", include("motcua.portal.urls_track")),
]
