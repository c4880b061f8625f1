"""Export jobs: what a user may ask for, the job row that tracks it, and running it in the background.

`start_export(user, data)` checks the request (kind, period dd/mm/yyyy, grouping, unit within the user's
scope), refuses with a Vietnamese message (ExportRefused: status 400, or 403 for an account without a
role), writes a queued ExportJob and hands it to the worker once the row is committed. The worker calls
`run_job(pk)`: it claims the job (queued → running), builds the file with exports.py, reporting progress
in small separate updates, and ends done (the file saved) or failed with a message; an unexpected error
is logged with an id the user can quote. The file is built as the job's user, so it holds exactly what
that user may see on the report pages.
"""

from __future__ import annotations

import importlib.util
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Field
from motcua.org.models import Agency
from motcua.printing import selectors as printing_selectors
from motcua.printing import services as printing

from . import exports, selectors
from .models import ExportJob

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=30)  # a job unfinished after this is shown as probably stuck
MAX_DAYS = 5 * 366  # statistics, 766 index and summary: five years at most per file
GROUP_LABELS = {
    "agency": gettext_lazy("Theo đơn vị"),
    "field": gettext_lazy("Theo lĩnh vực"),
    "procedure": gettext_lazy("Theo thủ tục"),
}


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    extension: str
    needs_agency: bool = False
    needs_index: bool = False


KINDS = {
    k.code: k
    for k in (
        Kind("statistics", gettext_lazy("Bảng thống kê kết quả giải quyết TTHC (Excel)"), "xlsx"),
        Kind("index766", gettext_lazy("Bảng Bộ chỉ số 766 theo đơn vị (Excel)"), "xlsx", needs_index=True),
        Kind("ledger", gettext_lazy("Sổ theo dõi hồ sơ, Mẫu 06 (Excel)"), "xlsx", needs_agency=True),
        Kind("summary", gettext_lazy("Báo cáo tình hình, kết quả giải quyết TTHC (PDF)"), "pdf"),
    )
}
CONTENT_TYPES = {"xlsx": exports.XLSX, "pdf": exports.PDF}


class ExportRefused(Exception):
    """An export that cannot be made as asked; `message` says why and what to change, in Vietnamese."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def index_available() -> bool:
    """Whether the 766 index module is installed in this build (the 766 parts need it)."""
    return importlib.util.find_spec("motcua.reports.index766") is not None


def available_kinds() -> list[Kind]:
    return [k for k in KINDS.values() if not k.needs_index or index_available()]


def has_scope(user) -> bool:
    """Whether `user` may export at all: a superuser, or someone holding a role at some unit."""
    scope = selectors.scope_ids(user)
    return scope is None or bool(scope)


def agencies_for(user):
    """The units `user` may choose for an export (all units for a superuser), by name."""
    scope = selectors.scope_ids(user)
    qs = Agency.objects.all() if scope is None else Agency.objects.filter(pk__in=scope)
    return qs.order_by("path", "name")


# ---------------------------------------------------------------- checking a request


def _period(data: Mapping, limit: int) -> tuple[date, date]:
    """The period typed as dd/mm/yyyy (tu, den); without them, the current month up to today."""
    today = timezone.localdate()
    try:
        start = printing.parse_date(data["tu"], _("Từ ngày")) if data.get("tu") else today.replace(day=1)
        end = printing.parse_date(data["den"], _("Đến ngày")) if data.get("den") else today
    except printing.BadPeriod as exc:
        raise ExportRefused(exc.message) from None
    if end < start:
        raise ExportRefused(
            _("Đến ngày (%(end)s) phải sau hoặc bằng từ ngày (%(start)s).")
            % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
        )
    if (end - start).days + 1 > limit:
        raise ExportRefused(
            _("Mỗi tệp loại này chỉ lấy tối đa %(days)s ngày; hãy chọn khoảng ngày ngắn hơn.")
            % {"days": exports.number(limit)}
        )
    return start, end


def _int(value, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ExportRefused(_("%(label)s '%(value)s' không hợp lệ; hãy chọn trong danh sách.")
                            % {"label": label, "value": value}) from None
    if not 0 < number < 2**31:
        raise ExportRefused(_("%(label)s '%(value)s' không hợp lệ; hãy chọn trong danh sách.")
                            % {"label": label, "value": value})
    return number


def clean_request(user, data: Mapping) -> tuple[str, dict]:
    """(kind, params) for a valid request from `user`; ExportRefused otherwise. `data` is the form:
    loai (kind), tu / den (dd/mm/yyyy; the current month by default), nhom (agency|field|procedure),
    don_vi (unit id; required for the ledger), linh_vuc (field id, statistics only)."""
    if not has_scope(user):
        raise ExportRefused(
            _("Tài khoản của bạn chưa có vai trò tại đơn vị nào nên chưa xuất được báo cáo; "
              "hãy đề nghị quản trị đơn vị cấp quyền."),
            status=403,
        )
    code = (data.get("loai") or "").strip()
    kind = next((k for k in available_kinds() if k.code == code), None)
    if kind is None:
        raise ExportRefused(
            _("Không có loại báo cáo '%(kind)s'; hãy chọn một trong: %(known)s.")
            % {"kind": code, "known": "; ".join(str(k.label) for k in available_kinds())}
        )
    start, end = _period(data, printing.LEDGER_MAX_DAYS if kind.code == "ledger" else MAX_DAYS)
    params: dict = {"start": start.isoformat(), "end": end.isoformat()}
    agency_id = _int(data.get("don_vi"), _("Đơn vị"))
    if kind.needs_agency:
        if agency_id is None:
            raise ExportRefused(_("Hãy chọn đơn vị tiếp nhận có sổ theo dõi hồ sơ cần xuất."))
        if printing_selectors.ledger_agency(user, agency_id) is None:
            raise ExportRefused(_("Không tìm thấy đơn vị đã chọn trong phạm vi bạn được xem; hãy chọn lại đơn vị."))
    elif agency_id is not None:
        if kind.code == "index766":
            raise ExportRefused(_("Bảng chỉ số 766 lấy mọi đơn vị trong phạm vi của bạn; hãy bỏ chọn đơn vị."))
        scope = selectors.scope_ids(user)
        in_scope = Agency.objects.filter(pk=agency_id).exists() if scope is None else agency_id in scope
        if not in_scope:
            raise ExportRefused(_("Không tìm thấy đơn vị đã chọn trong phạm vi bạn được xem; hãy chọn lại đơn vị."))
    if agency_id is not None:
        params["agency_id"] = agency_id
    if kind.code == "statistics":
        group_by = (data.get("nhom") or "agency").strip()
        if group_by not in selectors.GROUPS:
            raise ExportRefused(
                _("Cách nhóm '%(value)s' không có; hãy chọn: %(known)s.")
                % {"value": group_by, "known": ", ".join(str(v).lower() for v in GROUP_LABELS.values())}
            )
        params["group_by"] = group_by
        field_id = _int(data.get("linh_vuc"), _("Lĩnh vực"))
        if field_id is not None:
            if not Field.objects.filter(pk=field_id).exists():
                raise ExportRefused(_("Không tìm thấy lĩnh vực đã chọn; hãy chọn lại trong danh sách."))
            params["field_id"] = field_id
    return kind.code, params


def start_export(user, data: Mapping) -> ExportJob:
    """Check the request and queue the job; the worker starts once the row is committed."""
    from .tasks import run_export

    code, params = clean_request(user, data)
    job = ExportJob.objects.create(user=user, kind=code, params=params)
    transaction.on_commit(lambda: run_export(job.pk))
    return job


def jobs_of(user, limit: int = 20) -> list[ExportJob]:
    return list(ExportJob.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])


def job_for(user, pk: int) -> ExportJob | None:
    """The job if `user` asked for it; None for anyone else (they cannot tell it exists)."""
    if user is None or not user.is_authenticated:
        return None
    return ExportJob.objects.filter(pk=pk, user=user).first()


def is_stale(job: ExportJob, now=None) -> bool:
    """A job still queued or running long after it was asked for: the worker is down or was stopped."""
    now = now or timezone.now()
    return job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING) and now - job.created_at > STALE_AFTER


def content_type(job: ExportJob) -> str:
    return CONTENT_TYPES.get(job.filename.rsplit(".", 1)[-1], "application/octet-stream")


def describe(job: ExportJob) -> dict:
    """What the job pages show about a job's request: kind, period dd/mm/yyyy, grouping, unit."""
    p = job.params or {}
    kind = KINDS.get(job.kind)
    agency = Agency.objects.filter(pk=p["agency_id"]).values_list("name", flat=True).first() if p.get("agency_id") else None
    return {
        "kind": kind.label if kind else job.kind,
        "start": date.fromisoformat(p["start"]) if p.get("start") else None,
        "end": date.fromisoformat(p["end"]) if p.get("end") else None,
        "group": GROUP_LABELS.get(p.get("group_by")) if job.kind == "statistics" else None,
        "agency": agency,
    }


# ---------------------------------------------------------------- running a job


def _set_progress(pk: int, percent: int) -> None:
    """One small update, committed on its own, so the job page sees it at once; never goes backwards."""
    with transaction.atomic():
        ExportJob.objects.filter(pk=pk, state=ExportJob.State.RUNNING, progress__lt=percent).update(progress=percent)


def build(job: ExportJob, progress=None) -> tuple[bytes, str]:
    """The file of a job as (content, filename), built as the job's user."""
    user, p = job.user, job.params
    start, end = date.fromisoformat(p["start"]), date.fromisoformat(p["end"])
    span = f"{start:%Y%m%d}-{end:%Y%m%d}"
    agency_id = p.get("agency_id")
    if job.kind == "statistics":
        group_by = p.get("group_by", "agency")
        content = exports.statistics_xlsx(user, start, end, group_by=group_by, agency_id=agency_id,
                                          field_id=p.get("field_id"), progress=progress)
        return content, f"thong-ke-{group_by}-{span}.xlsx"
    if job.kind == "index766":
        return exports.index766_xlsx(user, start, end, progress=progress), f"chi-so-766-{span}.xlsx"
    if job.kind == "ledger":
        agency = printing_selectors.ledger_agency(user, agency_id)
        if agency is None:  # the role was withdrawn since the request
            raise ExportRefused(_("Bạn không còn quyền xem sổ theo dõi hồ sơ của đơn vị này."), status=403)
        try:
            content = exports.ledger_xlsx(user, agency, start, end, progress=progress)
        except printing.PrintingError as exc:
            raise ExportRefused(exc.message) from None
        return content, f"so-theo-doi-{agency.identifier_code}-{span}.xlsx"
    if job.kind == "summary":
        content = exports.summary_pdf(user, start, end, agency_id=agency_id, with_index=index_available(),
                                      progress=progress)
        return content, f"bao-cao-tong-hop-{span}.pdf"
    raise ExportRefused(_("Không có loại báo cáo '%(kind)s'.") % {"kind": job.kind})


def _fail(pk: int, message: str) -> None:
    with transaction.atomic():
        ExportJob.objects.filter(pk=pk).update(state=ExportJob.State.FAILED, error=message[:500],
                                                finished_at=timezone.now())


def run_job(pk: int) -> ExportJob | None:
    """Run a queued job to its end (done or failed). A job already claimed, finished or deleted is left
    alone, so a duplicate delivery of the task does nothing."""
    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=pk, state=ExportJob.State.QUEUED).update(
            state=ExportJob.State.RUNNING, progress=1)
    if not claimed:
        return ExportJob.objects.filter(pk=pk).first()
    job = ExportJob.objects.select_related("user").get(pk=pk)
    try:
        content, filename = build(job, progress=lambda percent: _set_progress(pk, percent))
        job.file.save(filename, ContentFile(content), save=False)
        with transaction.atomic():
            ExportJob.objects.filter(pk=pk).update(
                state=ExportJob.State.DONE, progress=100, file=job.file.name, filename=filename,
                finished_at=timezone.now(), error="")
    except ExportRefused as exc:
        _fail(pk, exc.message)
    except Exception:
        error_id = uuid.uuid4().hex[:8].upper()
        logger.exception("export job %s (%s) failed; error id %s", pk, job.kind, error_id)
        _fail(pk, _("Không tạo được tệp vì một lỗi của hệ thống (mã lỗi %(id)s). Hãy thử lại; nếu vẫn lỗi, "
                    "hãy báo mã lỗi này cho quản trị hệ thống.") % {"id": error_id})
    return ExportJob.objects.get(pk=pk)
