"""Staff roles (vai trò). Permissions are role assignments scoped to an agency and everything under it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    HEAD_OF_DIVISION = "head_of_division", _("Lãnh đạo phòng")
    HEAD_OF_AGENCY = "head_of_agency", _("Lãnh đạo đơn vị")
    CLERK = "clerk", _("Văn thư")
    POSTAL_AGENT = "postal_agent", _("Nhân viên bưu chính công ích")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    SUPERVISOR = "supervisor", _("Giám sát, theo dõi")


# Roles that can act on a dossier (the others administer or watch).
ACTING_ROLES = frozenset(
    {
        Role.ONE_STOP_OFFICER,
        Role.SPECIALIST,
        Role.HEAD_OF_DIVISION,
        Role.HEAD_OF_AGENCY,
        Role.CLERK,
        Role.POSTAL_AGENT,
    }
)
