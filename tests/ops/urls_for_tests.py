"""A view that logs during a request, for the log tests; everything else is the project's URLconf."""

import logging

from django.http import HttpResponse
from django.urls import path

from motcua.urls import urlpatterns as project_patterns


def talk(request):
    assert request.user.is_authenticated  # as the project's views do before they work
    logging.getLogger("motcua.test").warning(
        "looked up citizen %s, phone %s, mail %s", "038090001234", "0912345678", "an@vidu.vn"
    )
    return HttpResponse("ok")


urlpatterns = [path("ops-test/talk/", talk, name="ops-test-talk"), *project_patterns]
