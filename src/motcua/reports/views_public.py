"""The public transparency page: no sign-in."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from . import transparency


@require_GET
def public_results(request):
    return render(request, "reports/public.html", transparency.unit_figures())


urlpatterns = [path("minh-bach/", public_results, name="public")]
