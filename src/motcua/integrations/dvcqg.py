"""Synchronisation with the national public-service portal (DVCQG), in the payload shape of §5.4.

Every dossier event queues an outbox message on the `dvcqg` channel (notify/services.py); the channel
builds the dossier's current payload when it sends, so a retry always sends the latest state. It calls
"add" and, when the portal answers that the dossier already exists, "update"; then it pushes the progress
rows not yet sent, in chunks of 10. The dossier keeps a sync state (not synced / synced / failed + error).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.connectors import DeliveryError, Kind, PermanentDeliveryError, Plugin, Setting, registry
from motcua.connectors.http import post_json
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.workflow import national_status
from motcua.notify.channels import Channel
from motcua.reports import facts

DATE = "%Y%m%d%H%M%S"
CHUNK = 10


def _d(moment) -> str:
    return timezone.localtime(moment).strftime(DATE) if moment else ""


def dossier_payload(d: Dossier, finish_events=None) -> dict:
    """HoSoDongBoDVC: all strings, dates yyyyMMddHHmmss. `finish_events` saves a query when the caller
    already holds them; components and fees are read once (prefetch them for many dossiers)."""
    procedure = d.procedure_version.procedure
    components = list(d.components.all())
    fees = list(d.fees.all())
    if finish_events is None:
        finish_events = d.events.filter(action="finish")
    return {
        "MaHoSo": d.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "KenhThucHien": str(d.channel),
        "ChuHoSo": d.applicant_name,
        "LoaiDoiTuong": "1" if d.applicant_kind == ApplicantKind.CITIZEN else "2",
        "SoGiayToChuHoSo": d.personal_id or d.old_id_number or d.tax_code,
        "DinhDanhCHS": [{"LoaiDinhDanh": "1" if d.personal_id else "2", "SoDinhDanh": d.personal_id or d.old_id_number}]
        if d.personal_id or d.old_id_number
        else [],
        "Email": d.email,
        "SoDienThoai": d.phone,
        "TrichYeuHoSo": d.summary[:1000],
        "NgayNopHoSo": _d(d.submitted_at),
        "NgayTiepNhan": _d(d.received_at),
        "NgayHenTra": _d(d.due_at),
        "TrangThaiHoSo": str(national_status(d.state) or ""),
        "NgayTra": _d(d.returned_at),
        "NgayKetThucXuLy": _d(d.finished_at),
        "NgayTuChoi": _d(d.closed_at) if d.state == "refused" else "",
        "DonViXuLy": d.competent_agency.name,
        "NoiNopHoSo": d.receiving_agency.identifier_code,
        "HoSoCoThanhPhanSoHoa": "1" if any(c.digitised for c in components) else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if d.identity_verified else "0",
        "DuocThanhToanTrucTuyen": "1" if any("trực tuyến" in f.payment_channel.lower() for f in fees) else "0",
        "TaiLieuNop": [
            {"TenTepDinhKem": c.name, "MaThanhPhanHoSo": str(c.component_id or ""), "DuocSoHoa": "1" if c.digitised else "0",
             "DuocTaiSuDung": "1" if c.reused else "0", "DuocLayTuKhoDMQG": "1" if c.from_national_data else "0"}
            for c in components
        ],
        "DanhSachLePhi": [
            {"TenPhiLePhi": f.name, "MaPhiLePhi": str(f.fee_line_id or ""), "HinhThucThu": f.mode, "Gia": str(f.amount),
             "LoaiPhiLePhi": f.kind}
            for f in fees
        ],
        "DanhSachGiayToKetQua": [
            {"TenGiayTo": name} for e in finish_events for name in e.data.get("documents", [])
        ],
    }


def progress_rows(d: Dossier, after_seq: int = 0, events=None) -> list[dict]:
    """QuaTrinhXuLy rows for the events after `after_seq` (the first is the reception row)."""
    if events is None:
        events = d.events.filter(seq__gt=after_seq).order_by("seq")
    rows = []
    for e in events:
        if e.seq <= after_seq:
            continue
        rows.append({
            "MaHoSo": d.code,
            "NguoiXuLy": e.actor_name[:50],
            "ThoiDiemXuLy": _d(e.at),
            "PhongBanXuLy": d.competent_agency.name if e.action not in ("submit", "receive") else d.receiving_agency.name,
            "NoiDungXuLy": (e.reason or e.action)[:500],
            "TrangThai": str(national_status(e.to_state) or ""),
            "NgayBatDau": _d(e.at),
            "NgayKetThucTheoQuyDinh": _d(d.due_at),
            "SoThuTu": str(e.seq),
        })
    return rows


def _post(path: str, body, key: str) -> dict:
    return post_json(settings.MOTCUA_DVCQG_URL.rstrip("/") + path, body, key=key, token=settings.MOTCUA_DVCQG_TOKEN)


ALREADY_EXISTS = ("3", "-3")
NOT_FOUND = ("-4",)


class DvcqgChannel(Channel):
    """The outbox channel that synchronises one dossier.

    Messages for the same dossier claimed in one batch (a burst of events, or a backlog after an outage)
    are sent as one synchronisation: the current payload once, then every progress row after the
    earliest of them. A dossier the portal already holds is sent as an update straight away; "add" is
    tried first only for a dossier never synchronised (and again if the portal says it has none)."""

    kind, name, channel = Kind.DVCQG, "portal", "dvcqg"
    label = "Cổng Dịch vụ công quốc gia (đồng bộ hồ sơ) / national public-service portal"
    fallback = "nhật ký gửi (MOTCUA_OUTBOX_LOG) / the outbox log"
    declared_settings = (
        Setting("MOTCUA_DVCQG_URL", "Địa chỉ API của Cổng; để trống: ghi vào nhật ký / portal API URL, empty: the outbox log",
                required=True),
        Setting("MOTCUA_DVCQG_TOKEN", "Khóa truy cập (Bearer) / bearer token", secret=True),
        Setting("MOTCUA_DVCQG_SYNC", "Đồng bộ mỗi sự kiện hồ sơ / sync every dossier event"),
        Setting("MOTCUA_HTTP_TIMEOUT", "Thời gian chờ mỗi lần gọi (giây) / timeout per call (seconds)"),
    )

    def group_key(self, message):
        return message.payload.get("dossier_id")

    def send(self, message) -> None:
        self.send_group([message])

    def send_group(self, messages) -> None:
        first = messages[0]
        d = (
            Dossier.objects.filter(pk=first.payload.get("dossier_id"))
            .select_related("procedure_version__procedure__field", "receiving_agency", "competent_agency")
            .prefetch_related("components", "fees")
            .first()
        )
        if d is None:
            raise PermanentDeliveryError("Hồ sơ không còn tồn tại.")
        if not settings.MOTCUA_DVCQG_URL:
            raise DeliveryError("Chưa cấu hình địa chỉ DVCQG (MOTCUA_DVCQG_URL).")
        after_seq = min(m.payload.get("after_seq", 0) for m in messages)
        events = list(d.events.filter(Q(seq__gt=after_seq) | Q(action="finish")).order_by("seq"))
        payload = dossier_payload(d, finish_events=[e for e in events if e.action == "finish"])
        key = first.idempotency_key
        try:
            answer = self._push(d, payload, key)
            if answer.get("error_code") != "0":
                raise DeliveryError(f"DVCQG từ chối: {answer.get('message', answer)}")
            rows = progress_rows(d, after_seq=after_seq, events=events)
            for i in range(0, len(rows), CHUNK):
                answer = _post("/hoso/tien-trinh", rows[i : i + CHUNK], key=f"{key}:progress:{i}")
                if answer.get("error_code") != "0":
                    raise DeliveryError(f"DVCQG từ chối tiến trình: {answer.get('message', answer)}")
        except DeliveryError as exc:
            Dossier.objects.filter(pk=d.pk).update(sync_state="failed", sync_error=str(exc)[:500])
            raise
        with transaction.atomic():
            first = Dossier.objects.filter(pk=d.pk, synced_at__isnull=True).update(synced_at=timezone.now())
            Dossier.objects.filter(pk=d.pk).update(sync_state="synced", sync_error="", synced_at=timezone.now())
            if first:  # the first time the portal holds it: the 766 index counts it as synced
                facts.record_attribute_change(d.pk, synced=False)

    @staticmethod
    def _push(d, payload, key) -> dict:
        if d.synced_at is not None:  # the portal has it: one call instead of add-then-update
            answer = _post("/hoso/cap-nhat", payload, key=f"{key}:update")
            if answer.get("error_code") not in NOT_FOUND:
                return answer
        answer = _post("/hoso/them-moi", payload, key=f"{key}:add")
        if answer.get("error_code") in ALREADY_EXISTS:
            answer = _post("/hoso/cap-nhat", payload, key=f"{key}:update")
        return answer


class LocalReceiver(Plugin):
    """The DVCQG-compatible receiver under /lien-thong/dvcqg/ (integrations/views.py): the local stand-in
    the channel can be pointed at for demos and tests."""

    kind, name, label = Kind.DVCQG, "local-receiver", "Bộ nhận thử tương thích DVCQG / local DVCQG receiver"
    is_local_stand_in = True
    declared_settings = (Setting("MOTCUA_LOCAL_RECEIVERS", "Phục vụ bộ nhận thử / serve the receiver", required=True),)


def register() -> None:
    """IntegrationsConfig.ready(): the national portal's sync channel and its local receiver."""
    registry.register(DvcqgChannel())
    registry.register(LocalReceiver())


def repush(first_day, last_day, *, tag: str) -> int:
    """Queue every dossier submitted between the two dates (local) for a full re-synchronisation, all
    progress rows included (the nightly catch-up; the receiver drops what it already has)."""
    from datetime import datetime, time, timedelta

    from motcua.notify import outbox

    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    count = 0
    for d in Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end).only("pk", "code"):
        outbox.enqueue(
            channel="dvcqg", recipient="DVCQG", key=f"dvcqg-repush:{tag}:{d.pk}", dossier=d,
            payload={"dossier_id": d.pk, "after_seq": 0, "code": d.code},
        )
        count += 1
    return count


def health(dossiers) -> dict:
    """The sync-health figures over the dossiers a supervisor may see."""
    from motcua.notify.models import OutboxMessage

    messages = OutboxMessage.objects.filter(channel="dvcqg", dossier__in=dossiers)
    unsynced = dossiers.exclude(sync_state="synced").order_by("submitted_at")
    return {
        "backlog": messages.filter(status__in=["pending", "sending"]).count(),
        "dead": messages.filter(status="dead").count(),
        "failed_dossiers": dossiers.filter(sync_state="failed").count(),
        "unsynced_dossiers": unsynced.count(),
        "oldest_unsynced": unsynced.first(),
        "recent_failures": list(dossiers.filter(sync_state="failed").order_by("-updated_at")[:20]),
        "configured": registry.get(Kind.DVCQG, "portal").configured(),
    }
