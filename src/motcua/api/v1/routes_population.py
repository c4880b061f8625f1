"""The population look-up for reception staff (pre-fill at the counter)."""

from ninja import Router

from motcua.dossiers import services
from motcua.fields import FieldError
from motcua.org.models import RoleAssignment

from .. import schemas
from .app import refusals

population = Router(tags=["Hồ sơ"])


@population.get(
    "/population/{personal_id}", response={200: schemas.PopulationLookupOut, **refusals(400, 403)},
    summary="Tra cứu người nộp trong dữ liệu dân cư",
)
def population_lookup(request, personal_id: str):
    """Pre-fill for the counter, for reception staff only (one-stop officers, postal agents): a person's
    record is not for everyone with an account. When the population service is down the answer is still
    200, with status `unavailable` and a message: the officer types the data and creates the dossier with
    population_verified=false."""
    from motcua.dossiers.workflow import RECEPTION_ROLES
    from motcua.integrations.services import lookup_applicant

    user = request.auth
    if not user.is_superuser and not RoleAssignment.objects.filter(user=user, role__in=RECEPTION_ROLES).exists():
        raise services.Forbidden("Chỉ cán bộ tiếp nhận (một cửa, bưu chính công ích) mới tra cứu dữ liệu dân cư.")
    try:
        result = lookup_applicant(personal_id)
    except FieldError as exc:
        raise services.DossierError(str(exc), code="invalid_identifier", field="personal_id") from exc
    return {"status": result.status, "message": result.message, "person": result.person}
