"""The feedback (PAKN) desk, under /mot-cua/phan-anh/ (mounted before the one-stop desk's URLs)."""

from django.urls import path

from . import views_desk as views

app_name = "pakn"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/xong/<str:code>/", views.intake_done, name="intake-done"),
    path("<str:code>/", views.item, name="item"),
    path("<str:code>/thao-tac/<str:action>/", views.action, name="action"),
    path("<str:code>/tep/<int:pk>/", views.attachment, name="attachment"),
]
