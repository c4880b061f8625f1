"""Report pages: /bao-cao/… for staff (statistics, the 766 index, exports), /minh-bach/ for everyone.

Each page module keeps its own routes in a list below, so the report pages can grow independently.
"""

app_name = "reports"
urlpatterns = []
