from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("tiep-nhan/", views.counter, name="counter"),
    path("tiep-nhan/xong/<str:code>/", views.counter_done, name="counter-done"),
    path("truc-tuyen/", views.online, name="online"),
    path("cua-toi/", views.inbox, name="inbox"),
    path("don-vi/", views.unit_inbox, name="unit-inbox"),
    path("xac-minh/", views.verifications, name="verifications"),
    path("xin-loi/", views.apologies, name="apologies"),
    path("ho-so/<str:code>/", views.dossier, name="dossier"),
    path("ho-so/<str:code>/tai-len/", views.dossier_upload, name="dossier-upload"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="dossier-action"),
]
