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
    path("", include("motcua.portal.urls")),  # before the others: its look-up is the busiest request
    path("", include("motcua.org.urls")),
    path("nop-truc-tuyen/", include("motcua.applications.urls")),
    path("danh-gia/", include("motcua.feedback.urls")),
    path("mot-cua/phan-anh/", include("motcua.feedback.urls_desk")),
    path("mot-cua/", include("motcua.desk.urls")),
    path("in/", include("motcua.printing.urls")),
    path("", include("motcua.reports.urls")),
    path("tai-lieu/", include("motcua.documents.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.ops.urls")),
    path("lien-thong/dan-cu/v1/persons/<str:personal_id>", integration_views.person, name="local-population"),
    path("giam-sat/dong-bo-dvcqg/", integration_views.sync_health, name="sync-health"),
    path("lien-thong/dvcqg/hoso/them-moi", integration_views.dvcqg_add, name="local-dvcqg-add"),
    path("lien-thong/dvcqg/hoso/cap-nhat", integration_views.dvcqg_update, name="local-dvcqg-update"),
    path("lien-thong/dvcqg/hoso/tien-trinh", integration_views.dvcqg_progress, name="local-dvcqg-progress"),
]

handler400 = "motcua.web.views.bad_request"  # a body over the size limit: 413, in Vietnamese
handler500 = "motcua.web.views.server_error"
