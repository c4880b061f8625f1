"""Citizen accounts, under /cong-dan/ (names in the "portal" namespace)."""

from django.urls import path

from . import views_accounts as views

urlpatterns = [
    path("cong-dan/dang-ky/", views.sign_up, name="sign_up"),
    path("cong-dan/xac-nhan/", views.confirm, name="confirm"),
    path("cong-dan/dang-nhap/", views.sign_in, name="sign_in"),
    path("cong-dan/dang-xuat/", views.sign_out, name="sign_out"),
    path("cong-dan/quen-mat-khau/", views.forgot, name="forgot"),
    path("cong-dan/dat-lai-mat-khau/", views.reset, name="reset"),
    path("cong-dan/dinh-danh/", views.oidc_start, name="oidc_start"),
    path("cong-dan/dinh-danh/ve/", views.oidc_callback, name="oidc_callback"),
    path("cong-dan/ho-so/", views.my_dossiers, name="my_dossiers"),
]
