"""Ratings and feedback (PAKN) pages, under /danh-gia/. Rating a dossier is on its tracking page."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("phan-anh/", views.submit, name="submit"),
    path("phan-anh/theo-doi/", views.follow_lookup, name="follow-lookup"),
    path("phan-anh/<str:code>/", views.follow, name="follow"),
]
