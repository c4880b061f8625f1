from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ket-qua/", views.payment_return, name="return"),
    path("sandbox/init", views.sandbox_init, name="sandbox-init"),
    path("sandbox/check", views.sandbox_check, name="sandbox-check"),
    path("sandbox/receipt", views.sandbox_receipt, name="sandbox-receipt"),
    path("sandbox/pay/<str:reference>", views.sandbox_pay, name="sandbox-pay"),
]
