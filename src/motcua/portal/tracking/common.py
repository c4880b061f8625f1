"""What the tracking modules share: the applicant's identity, the errors, dates and money in words."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier

# Withdraw reasons written before the applicant was named in the history carried this prefix.
WITHDRAW_PREFIX = "[Cổng dịch vụ công] "


def applicant(dossier: Dossier) -> dossier_services.Applicant:
    """The applicant as the actor of a portal move: the history names him, and the services allow him
    only the applicant's moves."""
    return dossier_services.Applicant(name=dossier.applicant_name, personal_id=dossier.personal_id)


class TrackingError(Exception):
    """A refusal the citizen can act on; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


class TooManyAttempts(TrackingError):
    def __init__(self):
        super().__init__(
            _("Ông/bà đã tra cứu không thành công quá nhiều lần. Hãy thử lại sau 10 phút, hoặc gọi bộ phận một "
              "cửa nơi nộp hồ sơ để được hỗ trợ."),
            status=429,
        )


# ---------------------------------------------------------------- formatting


def when(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnamese time, '' for None."""
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else ""


def money(amount: int | None) -> str:
    return f"{amount or 0:,}".replace(",", ".") + " đồng"


def _parse_iso(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
