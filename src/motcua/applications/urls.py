from django.urls import path

from . import tus, views

app_name = "applications"

urlpatterns = [
    path("tai-len/", tus.collection, name="tus"),
    path("tai-len/<uuid:upload_id>", tus.resource, name="tus-upload"),
    path("da-nop/<int:draft_id>/", views.done, name="done"),
    path("<int:case_id>/", views.eform, name="start"),
    path("<int:case_id>/giay-to/", views.components, name="components"),
    path("<int:case_id>/nop/", views.review, name="review"),
]
