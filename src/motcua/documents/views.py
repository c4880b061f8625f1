from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.views.decorators.http import require_GET

from motcua.dossiers.selectors import dossier_for

from . import links
from .models import Document


@login_required
@require_GET
def download(request, code: str, pk: int):
    """A dossier's file, only for those who may see the dossier, through a fresh link made for them
    (documents/links.py); always as a download, never rendered."""
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi được phép xem.")
    document = Document.objects.filter(dossier=dossier, pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy tệp.")
    refused = links.check(request.GET.get("h", ""), request.user, document)
    if refused:
        return HttpResponseForbidden(refused)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trong kho lưu trữ.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
