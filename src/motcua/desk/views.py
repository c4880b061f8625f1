"""The one-stop desk pages. Thin: read through selectors, write through services, show refusals in words."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.applications.services import answers_for as application_answers
from motcua.documents import services as documents
from motcua.documents.services import DocumentError
from motcua.dossiers import workflow
from motcua.dossiers.models import ApologyDraft, DossierComponent
from motcua.dossiers.services import DossierError, allowed_actions, perform, step_agency
from motcua.integrations.services import lookup_applicant
from motcua.notify.models import OutboxMessage
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.org.selectors import holders_of
from motcua.printing.selectors import applicable_forms

from . import selectors
from . import services as desk
from .forms import ACTION_FORMS, CounterDecisionForm, CounterForm, LookupForm, UploadForm

LOOKUP_SESSION_KEY = "desk_population_lookups"


# ---------------------------------------------------------------- counter reception


def _counter_context(request, agencies, values, case, form=None, status_message=None):
    agency = _chosen_agency(agencies, values)
    cases = selectors.receivable_cases(agency) if agency else []
    competent = selectors.competent_agencies(agency, case.version.procedure) if agency and case else []
    if form is None:
        # Values come back from a posted form: hidden check boxes say "False", ticked ones "on" or "True".
        initial = {
            k: (v in ("on", "True", "true", "1")) if k.endswith(("_provided", "_national", "_paid")) else v
            for k, v in values.items()
        }
        if competent and not initial.get("competent_agency"):
            initial["competent_agency"] = competent[0].pk
        form = CounterForm(initial=initial, agencies=agencies, cases=cases, case=case, competent=competent)
    return {
        "form": form, "case": case, "agency": agency, "channel": desk.counter_channel(request.user, agency) if agency else None,
        "lookup_message": status_message,
    }


def _chosen_agency(agencies, values):
    try:
        pk = int(values.get("receiving_agency") or 0)
    except (TypeError, ValueError):
        pk = 0
    return next((a for a in agencies if a.pk == pk), agencies[0] if agencies else None)


def _verified(request, cleaned) -> bool:
    """Verified against population data: the officer looked the number up and kept the data it returned."""
    found = request.session.get(LOOKUP_SESSION_KEY, {}).get(cleaned["personal_id"])
    return bool(
        found
        and found["name"].casefold() == cleaned["applicant_name"].strip().casefold()
        and found["birth_date"] == cleaned["birth_date"].isoformat()
    )


@login_required
def counter(request):
    agencies = selectors.reception_agencies(request.user)
    if not agencies:
        return render(request, "desk/no_role.html", {"needed": _("Cán bộ một cửa hoặc nhân viên bưu chính công ích")}, status=403)
    if request.method == "GET":
        values = {"case": request.GET.get("case", ""), "receiving_agency": request.GET.get("receiving_agency", "")}
        agency = _chosen_agency(agencies, values)
        case = selectors.case_for_reception(agency, values["case"])
        return render(request, "desk/counter.html", _counter_context(request, agencies, values, case))

    values = request.POST.dict()
    agency = _chosen_agency(agencies, values)
    case = selectors.case_for_reception(agency, values.get("case"))
    op = request.POST.get("op", "")

    if op == "lookup":
        lookup = LookupForm(request.POST)
        if not lookup.is_valid():
            ctx = _counter_context(request, agencies, values, case)
            ctx["lookup_error"] = lookup.errors["personal_id"][0]
            return render(request, "desk/counter.html", ctx, status=400)
        result = lookup_applicant(lookup.cleaned_data["personal_id"])
        values["personal_id"] = lookup.cleaned_data["personal_id"]
        if result.status == "found":
            p = result.person
            values.update(applicant_name=p.full_name, birth_date=p.birth_date, address=p.address)
            found = request.session.get(LOOKUP_SESSION_KEY, {})
            found.pop(p.personal_id, None)
            found[p.personal_id] = {"name": p.full_name, "birth_date": p.birth_date.isoformat()}
            request.session[LOOKUP_SESSION_KEY] = dict(list(found.items())[-20:])  # the last few people served
        ctx = _counter_context(request, agencies, values, case, status_message=(result.status, result.message))
        return render(request, "desk/counter.html", ctx)

    if op == "case" or case is None:
        ctx = _counter_context(request, agencies, values, case)
        if op != "case":
            ctx["case_error"] = _("Hãy chọn thủ tục và trường hợp rồi bấm “Chọn” để hiện danh mục giấy tờ.")
            return render(request, "desk/counter.html", ctx, status=400)
        return render(request, "desk/counter.html", ctx)

    competent = selectors.competent_agencies(agency, case.version.procedure)
    form = CounterForm(request.POST, agencies=agencies, cases=selectors.receivable_cases(agency), case=case, competent=competent)
    if not form.is_valid():
        ctx = _counter_context(request, agencies, values, case, form=form)
        return render(request, "desk/counter.html", ctx, status=400)
    templates = selectors.reason_templates(case.version.procedure.code)
    components = list(case.components.all())
    now = desk.current_time()
    channel = desk.counter_channel(request.user, agency)
    review = {
        "form": form, "case": case, "agency": agency, "channel": channel,
        "promised": desk.promised_time(case, agency, channel, now), "now": now,
        "competent": next((a for a in competent if a.pk == form.cleaned_data.get("competent_agency")), competent[0] if competent else agency),
        "verified": _verified(request, form.cleaned_data),
    }
    if op == "preview":
        decision = CounterDecisionForm(
            initial={"idempotency_key": uuid.uuid4().hex, "decision": "receive"},
            components=components, templates=templates, missing=form.missing_required(),
        )
        return render(request, "desk/counter_confirm.html", review | {"decision": decision})

    decision = CounterDecisionForm(request.POST, components=components, templates=templates)
    if not decision.is_valid():
        return render(request, "desk/counter_confirm.html", review | {"decision": decision}, status=400)
    scans = []
    for comp in components:
        upload = request.FILES.get(f"scan_{comp.pk}")
        if upload is not None:
            scans.append((upload, comp.pk))
    scanned = {pk for _upload, pk in scans}
    try:
        outcome = desk.receive_at_counter(
            actor=request.user, decision=decision.cleaned_data["decision"], case=case, receiving_agency=agency,
            competent_agency=review["competent"], applicant=form.applicant(), components=form.components(scanned),
            fees=form.fees(), return_method=form.cleaned_data["return_method"], summary=form.cleaned_data.get("summary", ""),
            population_verified=review["verified"], scans=scans, items=decision.cleaned_data.get("items"),
            reason=decision.cleaned_data.get("refuse_reason", ""), idempotency_key=decision.cleaned_data["idempotency_key"],
            now=now,
        )
    except (DossierError, DocumentError) as exc:
        return render(
            request, "desk/counter_confirm.html", review | {"decision": decision, "error": exc.message}, status=exc.status
        )
    return redirect("desk:counter-done", code=outcome.dossier.code)


@login_required
@require_GET
def counter_done(request, code):
    d = selectors.dossier_page(request.user, code)
    if d is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi được phép xem."))
    return render(request, "desk/counter_done.html", {"d": d})


# ---------------------------------------------------------------- lists


def _page(request, qs):
    return selectors.page_of(qs, request.GET.get("page"))


def _inbox(request, title, rows_for, template="desk/inbox.html"):
    c = selectors.clock(desk.current_time())
    f = selectors.InboxFilter.from_query(request.GET)
    page = _page(request, rows_for(request.user, f, c))
    for d in page.object_list:
        d.urgency = selectors.urgency(d, c)
        d.open_step = d.open_steps[0] if d.open_steps else None
    return render(request, template, {"title": title, "page": page, "filter": f, "choices": selectors.filter_choices(),
                                      "clock": c, "labels": selectors.list_labels()})


@login_required
@require_GET
def inbox(request):
    return _inbox(request, _("Hồ sơ của tôi"), selectors.personal_inbox)


@login_required
@require_GET
def unit_inbox(request):
    return _inbox(request, _("Hồ sơ của đơn vị"), selectors.unit_inbox)


@login_required
@require_GET
def online(request):
    now = desk.current_time()
    page = _page(request, selectors.online_queue(request.user))
    for d in page.object_list:
        d.waited = desk.format_working_time(selectors.waited_minutes(d, now))
    return render(request, "desk/online.html", {"page": page})


@login_required
@require_GET
def verifications(request):
    c = selectors.clock(desk.current_time())
    page = _page(request, selectors.verification_requests(request.user))
    for pause in page.object_list:
        pause.late = pause.answer_due_at is not None and pause.answer_due_at < c.now
    return render(request, "desk/verifications.html", {"page": page})


@login_required
@require_GET
def apologies(request):
    c = selectors.clock(desk.current_time())
    page = _page(request, selectors.apologies_owed(request.user))
    for draft in page.object_list:
        draft.dossier.urgency = selectors.urgency(draft.dossier, c)
    return render(request, "desk/apologies.html", {"page": page})


# ---------------------------------------------------------------- the dossier page


def _action_context(d, user, actions=None):
    ctx = {"templates": selectors.reason_templates(d.procedure_version.procedure.code)}
    ctx["apology_draft"] = ApologyDraft.objects.filter(dossier=d).first()
    nxt = d.case.steps.filter(order=d.current_step + 1).first()
    ctx["next_step"] = nxt
    ctx["next_people"] = list(holders_of(nxt.role, step_agency(d, nxt.role)).order_by("last_name", "first_name")) if nxt else []
    # Agencies that can be asked to verify: those of the dossier's province (a few hundred, not the
    # country's thousands), read only when the form is shown.
    ctx["agencies"] = []
    if actions is None or "request_verification" in actions:
        area = d.competent_agency.area
        province = area if area.parent_id is None else area.parent
        ctx["agencies"] = [
            a for a in Agency.objects.filter(Q(area=province) | Q(area__parent=province))
            .exclude(pk=d.competent_agency_id).exclude(kind=Agency.Kind.POSTAL).order_by("path")
            if a.is_valid_on(timezone.localdate())
        ]
    return ctx


def _forms(d, user, bound=None):
    transitions = allowed_actions(d, user)
    ctx = _action_context(d, user, {t.action for t in transitions})
    out = []
    for t in transitions:
        cls = ACTION_FORMS[t.action]
        form = bound if bound is not None and bound.action == t.action else cls(dossier=d, context=ctx, prefix=t.action)
        form.action = t.action
        form.idempotency_key = uuid.uuid4().hex
        out.append((t, form))
    return out, ctx


# The desk's label of each printed form; which ones apply is printing's decision (applicable_forms).
PRINT_LABELS = {
    "01": lambda: _("Mẫu 01 · Giấy tiếp nhận, hẹn trả"),
    "02": lambda: _("Mẫu 02 · Phiếu yêu cầu bổ sung"),
    "03": lambda: _("Mẫu 03 · Phiếu từ chối tiếp nhận"),
    "04": lambda: _("Mẫu 04 · Phiếu xin lỗi, hẹn lại"),
    "05": lambda: _("Mẫu 05 · Phiếu kiểm soát quá trình"),
    "dung": lambda: _("Thông báo dừng giải quyết"),
}


def _print_forms(d) -> list[tuple[str, str]]:
    """The printable papers that apply to this dossier now."""
    return [(form, PRINT_LABELS[form]()) for form in applicable_forms(d)]


def _dossier_response(request, d, *, bound=None, error=None, status=200, upload_error=None):
    c = selectors.clock(desk.current_time())
    forms, ctx = _forms(d, request.user, bound)
    outbox = OutboxMessage.objects.filter(dossier=d).exclude(channel="dvcqg").order_by("created_at", "pk")
    return render(
        request,
        "desk/dossier.html",
        {
            "d": d, "urgency": selectors.urgency(d, c), "actions": forms, "error": error, "upload_error": upload_error,
            "outbox": outbox, "print_forms": _print_forms(d), "next_step": ctx["next_step"],
            "may_upload_result": d.state in documents.RESULT_STATES,
            "may_upload_scan": d.state in documents.SCAN_STATES,
            "pauses": list(d.pauses.all()),
            "answers": application_answers(d),
        },
        status=status,
    )


def _dossier_or_404(request, code):
    d = selectors.dossier_page(request.user, code)
    if d is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi được phép xem."))
    return d


@login_required
@require_GET
def dossier(request, code):
    return _dossier_response(request, _dossier_or_404(request, code))


@login_required
@require_POST
def dossier_action(request, code, action):
    d = _dossier_or_404(request, code)
    transition = workflow.get(action)
    if transition is None or action not in ACTION_FORMS:
        return _dossier_response(request, d, error=_("Không có thao tác “%(a)s”.") % {"a": action}, status=404)
    form = ACTION_FORMS[action](request.POST, dossier=d, context=_action_context(d, request.user, {action}), prefix=action)
    form.action = action
    if not form.is_valid():
        return _dossier_response(
            request, d, bound=form, error=_("Chưa thực hiện “%(a)s”: hãy sửa các mục được đánh dấu.") % {"a": transition.label},
            status=400,
        )
    key = request.POST.get("idempotency_key") or None
    try:
        perform(d, action, actor=request.user, data=form.data_for_service(), idempotency_key=key, now=desk.current_time())
    except DossierError as exc:
        return _dossier_response(request, _dossier_or_404(request, code), bound=form, error=exc.message, status=exc.status)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": transition.label})
    refreshed = selectors.dossier_page(request.user, code)
    if refreshed is None:  # e.g. a verifying agency that just answered no longer sees the dossier
        return redirect("desk:verifications")
    return redirect("desk:dossier", code=code)


@login_required
@require_POST
def dossier_upload(request, code):
    d = _dossier_or_404(request, code)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _dossier_response(request, d, upload_error=message, status=400)
    component = None
    if form.cleaned_data["kind"] == "component":
        component = DossierComponent.objects.filter(dossier=d, pk=form.cleaned_data.get("component") or 0).first()
    try:
        checked = documents.check_upload(form.cleaned_data["file"])
        documents.attach(
            dossier=d, checked=checked, actor=request.user, kind=form.cleaned_data["kind"], component=component,
            now=desk.current_time(),
        )
    except DocumentError as exc:
        return _dossier_response(request, d, upload_error=exc.message, status=exc.status)
    messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": checked.name})
    return redirect(reverse("desk:dossier", kwargs={"code": code}) + "#tep")


@login_required
@require_GET
def home(request):
    roles = set(request.user.role_assignments.values_list("role", flat=True))
    if roles & set(workflow.RECEPTION_ROLES):
        return redirect("desk:counter")
    if roles - {Role.SUPERVISOR, Role.UNIT_ADMIN}:
        return redirect("desk:inbox")
    return redirect("desk:unit-inbox")
