"""Export pages: /bao-cao/xuat/ to ask for a file, the job page with its progress, and the download.

Thin: jobs.py checks requests and runs the jobs; only a job's owner sees its page or its file (anyone else
gets a 404, as for a job that does not exist).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.models import Field

from . import jobs
from .models import ExportJob


def _no_role(request):
    return render(request, "desk/no_role.html", {"needed": _("Cán bộ có vai trò tại một đơn vị")}, status=403)


def _form_context(request, values, message=None):
    today = timezone.localdate()
    return {
        "kinds": jobs.available_kinds(),
        "groups": list(jobs.GROUP_LABELS.items()),
        "agencies": jobs.agencies_for(request.user),
        "fields": Field.objects.order_by("name"),
        "values": {"tu": f"{today.replace(day=1):%d/%m/%Y}", "den": f"{today:%d/%m/%Y}", "nhom": "agency"} | values,
        "message": message,
        "jobs": [(job, jobs.describe(job)) for job in jobs.jobs_of(request.user)],
    }


@login_required
@require_http_methods(["GET", "POST"])
def exports(request):
    """GET: the form and the user's recent exports. POST: queue an export and show its page."""
    if not jobs.has_scope(request.user):
        return _no_role(request)
    if request.method == "GET":
        return render(request, "reports/exports.html", _form_context(request, {}))
    values = {k: request.POST.get(k, "").strip() for k in ("loai", "tu", "den", "nhom", "don_vi", "linh_vuc")}
    try:
        job = jobs.start_export(request.user, request.POST)
    except jobs.ExportRefused as exc:
        return render(request, "reports/exports.html", _form_context(request, values, exc.message), status=exc.status)
    return redirect("reports:export-job", pk=job.pk)


@login_required
@require_GET
def export_job(request, pk: int):
    """The job's state: a progress bar that refreshes itself while the file is being made, then the link."""
    job = jobs.job_for(request.user, pk)
    if job is None:
        raise Http404(_("Không tìm thấy yêu cầu xuất báo cáo này."))
    running = job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING)
    context = {"job": job, "about": jobs.describe(job), "running": running, "stale": jobs.is_stale(job)}
    response = render(request, "reports/exports_job.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_download(request, pk: int):
    """The finished file, as an attachment with its name and type; only for the job's owner."""
    job = jobs.job_for(request.user, pk)
    if job is None or job.state != ExportJob.State.DONE or not job.file:
        raise Http404(_("Không tìm thấy tệp xuất báo cáo này."))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp xuất báo cáo này không còn trên máy chủ; hãy xuất lại.")) from None
    response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type=jobs.content_type(job))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("bao-cao/xuat/", exports, name="exports"),
    path("bao-cao/xuat/<int:pk>/", export_job, name="export-job"),
    path("bao-cao/xuat/<int:pk>/tai-ve/", export_download, name="export-download"),
]
