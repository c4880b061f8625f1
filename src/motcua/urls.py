from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.api.v1 import api
from motcua.integrations import views as integration_views
from motcua.web import views as web_views

admin.site.site_header = _("motcua · Quản trị một cửa điện tử")
admin.site.site_title = _("motcua")
admin.site.index_title = _("Quản trị")

urlpatterns = [
    path("", web_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lien-thong/dan-cu/v1/persons/<str:personal_id>", integration_views.person, name="local-population"),
]
