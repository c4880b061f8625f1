from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    path("dang-nhap/ma-xac-thuc/", views.login_totp, name="login_totp"),
    path("dang-xuat/", views.logout, name="logout"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/da-gui/", views.password_reset_sent, name="password_reset_sent"),
    path("dat-lai-mat-khau/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.totp, name="totp"),
    path("don-vi/<int:agency_id>/phan-quyen/", views.roles, name="roles"),
    path("don-vi/<int:agency_id>/phan-quyen/<int:assignment_id>/thu-hoi/", views.revoke, name="revoke"),
    path("don-vi/<int:agency_id>/bao-phu/", views.coverage, name="coverage"),
]
