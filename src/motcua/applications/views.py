"""The pages of applying online: 1 the e-form, 2 the papers (uploads), 3 review and submit. Thin: the
rules are in services.py. Every step saves the draft on the server when posted."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import Case
from motcua.documents.services import max_bytes
from motcua.portal.identity import current_citizen

from . import services
from .forms import ReviewForm
from .models import ApplicationDraft, ResumableUpload

SIGN_IN_URL = "/cong-dan/dang-nhap/"
STEPS = [("start", gettext_lazy("Tờ khai")), ("components", gettext_lazy("Giấy tờ")), ("review", gettext_lazy("Xem lại và nộp"))]


def _sign_in(request) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{SIGN_IN_URL}?{urlencode({'next': request.get_full_path()})}")


def _steps(current: str, case_id: int) -> list[dict]:
    return [
        {"n": i, "name": label, "url": reverse(f"applications:{name}", args=[case_id]), "current": name == current}
        for i, (name, label) in enumerate(STEPS, start=1)
    ]


def _draft(request, case_id: int, *, after_submit: bool = False):
    """(draft, response): the citizen's open draft for the case, or the page to show instead. With
    `after_submit` (the review step), a citizen coming back to the review of a case he has just submitted
    (the browser's Back button) sees his dossier instead of a fresh, empty draft."""
    citizen = current_citizen(request)
    if citizen is None:
        return None, _sign_in(request)
    if after_submit and services.open_draft_for(citizen, case_id) is None:
        latest = ApplicationDraft.objects.filter(citizen=citizen, case_id=case_id).order_by("-pk").first()
        if latest is not None and not latest.is_open:
            return None, redirect("applications:done", draft_id=latest.pk)
    case = get_object_or_404(Case.objects.select_related("version__procedure"), pk=case_id)
    try:
        draft = services.start_draft(citizen, case)
    except services.ApplicationError as exc:
        return None, render(request, "applications/unavailable.html", {"case": case, "message": exc.message}, status=exc.status)
    draft.case = case
    draft.citizen = citizen
    return draft, None


def _context(draft: ApplicationDraft, step: str, **extra) -> dict:
    return {"draft": draft, "case": draft.case, "steps": _steps(step, draft.case_id), **extra}


@require_http_methods(["GET", "POST"])
def eform(request, case_id: int):
    draft, response = _draft(request, case_id)
    if response:
        return response
    if request.method == "POST":
        form = services.save_form(draft, request.POST)
        if form.is_valid() and "next" in request.POST:
            return redirect("applications:components", case_id=case_id)
        saved = "next" not in request.POST
    else:
        form = services.eform_for(draft)
        saved = False
    prefilled = services.known_about(draft.citizen) if not draft.data else {}
    return render(request, "applications/eform.html", _context(draft, "start", form=form, saved=saved, prefilled=prefilled),
                  status=400 if request.method == "POST" and not saved and not form.is_valid() else 200)


@require_http_methods(["GET", "POST"])
def components(request, case_id: int):
    draft, response = _draft(request, case_id)
    if response:
        return response
    error = None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                upload = ResumableUpload.objects.filter(draft=draft, pk=request.POST["delete"]).first()
                if upload is None:
                    raise Http404(_("Không tìm thấy tệp."))
                services.delete_upload(upload)
            else:
                services.store_plain(draft, request.POST.get("component"), request.FILES.get("file"))
            return redirect("applications:components", case_id=case_id)
        except services.ApplicationError as exc:
            error, status = exc.message, exc.status
        except (ValueError, ValidationError):  # a malformed upload id
            raise Http404(_("Không tìm thấy tệp.")) from None
    return render(
        request,
        "applications/components.html",
        _context(draft, "components", rows=services.checklist(draft), error=error,
                 file_limit=services._megabytes(max_bytes()),
                 draft_limit=services._megabytes(services.DRAFT_MAX_BYTES)),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def review(request, case_id: int):
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in(request)
    draft = None
    if request.method == "POST":
        # The draft this form was made for (its submission key); a resend after the dossier was made goes
        # to the dossier's page, whatever else the form says.
        key = request.POST.get("submission_key", "")
        draft = ApplicationDraft.objects.filter(citizen=citizen, case_id=case_id, submission_key=key).select_related(
            "case__version__procedure", "citizen"
        ).first() if key else None
        if draft is not None and not draft.is_open:
            return redirect("applications:done", draft_id=draft.pk)
    if draft is None:
        draft, response = _draft(request, case_id, after_submit=request.method == "GET")
        if response:
            return response
    agencies = services.receiving_agencies(draft.case)
    problems = []
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, agencies=agencies)
        if form.is_valid():
            try:
                services.save_review(draft, form.cleaned_data)
                if "submit" in request.POST:
                    outcome = services.submit(draft.pk, citizen)
                    return redirect("applications:done", draft_id=outcome.draft.pk)
            except services.ApplicationError as exc:
                draft.refresh_from_db()
                if not draft.is_open:  # submitted meanwhile by the other click
                    return redirect("applications:done", draft_id=draft.pk)
                problems = exc.problems or [exc.message]
                status = exc.status
        else:
            status = 400
    else:
        notify = [name for name, on in (("sms", draft.notify_sms), ("email", draft.notify_email), ("zalo", draft.notify_zalo)) if on]
        form = ReviewForm(
            initial={
                "receiving_agency": draft.receiving_agency_id or (agencies[0].pk if len(agencies) == 1 else None),
                "phone": draft.phone, "email": draft.email, "notify": notify, "return_method": draft.return_method,
                "submission_key": draft.submission_key,
            },
            agencies=agencies,
        )
    eform = services.eform_for(draft)
    return render(
        request,
        "applications/review.html",
        _context(draft, "review", form=form, eform=eform, rows=services.checklist(draft),
                 fees=services.fee_rows(draft.case), problems=problems),
        status=status,
    )


def done(request, draft_id: int):
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in(request)
    draft = get_object_or_404(
        ApplicationDraft.objects.select_related("dossier", "case__version__procedure"),
        pk=draft_id, citizen=citizen, status=ApplicationDraft.Status.SUBMITTED,
    )
    return render(request, "applications/done.html", {"draft": draft, "dossier": draft.dossier, "case": draft.case})
