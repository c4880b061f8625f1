"""Tracking a dossier (tra cứu hồ sơ): look-up, the dossier's page, the citizen's moves and papers.
Under /tra-cuu/ (portal/urls.py)."""

from django.urls import path

from . import views_track as views

urlpatterns = [
    path("", views.track, name="track"),
    path("ho-so/<str:code>/", views.dossier_page, name="track-dossier"),
    path("ho-so/<str:code>/bo-sung/", views.supply, name="track-supply"),
    path("ho-so/<str:code>/rut-ho-so/", views.withdraw, name="track-withdraw"),
    path("ho-so/<str:code>/thanh-toan/", views.pay, name="track-pay"),
    path("ho-so/<str:code>/danh-gia/", views.rate, name="track-rate"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", views.form, name="track-form"),
    path("ho-so/<str:code>/ket-qua/<int:pk>/", views.result, name="track-result"),
    path("ho-so/<str:code>/bien-lai/<str:reference>/", views.receipt, name="track-receipt"),
]
