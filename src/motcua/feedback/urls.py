"""Ratings and feedback (PAKN) pages, under /danh-gia/. Rating a dossier is on its tracking page."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("phan-anh/", views.submit, name="submit"),
    path("phan-anh/theo-doi/", views.follow_lookup, name="follow-lookup"),
    path("phan-anh/<str:code>/", views.follow, name="follow"),
    path("phan-anh/<str:code>/danh-gia/", views.rate, name="follow-rate"),
    path("phan-anh/<str:code>/phan-anh-lai/", views.reopen, name="follow-reopen"),
    path("hoi-dap/", views.questions_and_answers, name="qa"),
]
