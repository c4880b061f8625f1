"""Report pages: /bao-cao/… for staff (statistics, the 766 index, exports), /minh-bach/ for everyone.

Each page module keeps its own routes in a list below, so the report pages can grow independently.
"""

from . import views_exports, views_feedback, views_index, views_public, views_stats

app_name = "reports"
urlpatterns = []
urlpatterns += views_public.urlpatterns
urlpatterns += views_exports.urlpatterns
urlpatterns += views_stats.urlpatterns
urlpatterns += views_index.urlpatterns
urlpatterns += views_feedback.urlpatterns
