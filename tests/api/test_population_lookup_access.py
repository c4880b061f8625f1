"""The population look-up (GET /api/v1/population/<id>) answers reception staff only: a finding of the
authorisation matrix (tests/security/test_matrix.py), kept as its own test."""

import pytest

from motcua.org.models import ApiToken, User
from motcua.org.roles import Role
from tests.factories import VALID_PID

URL = f"/api/v1/population/{VALID_PID}"


@pytest.mark.parametrize("who", ["no role", Role.SUPERVISOR, Role.UNIT_ADMIN, Role.SPECIALIST])
def test_population_lookup_is_for_reception_staff_only(world, client, who):
    """The counter page offers the population look-up to reception staff only; the API answers anyone
    signed in (a session or a token), even an account with no role, with the person's name, birth date
    and address."""
    user = User.objects.create_user("khong-vai-tro") if who == "no role" else world.user(who)
    _, token = ApiToken.issue(user, "matrix finding")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (403, 404), response.content.decode()[:300]
