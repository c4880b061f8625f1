from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    # form: 01–05, or "dung" for the stop notice (Thông báo dừng giải quyết hồ sơ)
    path("ho-so/<str:code>/mau-<str:form>.pdf", views.dossier_form, name="dossier-form"),
    # fmt: pdf or xlsx; ?tu=dd/mm/yyyy&den=dd/mm/yyyy
    path("so-theo-doi/<int:agency_id>.<str:fmt>", views.ledger, name="ledger"),
]
