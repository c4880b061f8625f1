from django.urls import path

from . import views_find

urlpatterns = [
    path("thu-tuc/", views_find.procedures, name="procedures"),
    path("thu-tuc/<str:code>/", views_find.procedure, name="procedure"),
]
