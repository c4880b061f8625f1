from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from motcua.dossiers import services
from motcua.org.models import AdministrativeUnit, Agency, User
from motcua.org.roles import Role
from motcua.org.selectors import agencies_with_role, holders_of, roles_at
from motcua.org.services import grant_role, load_administrative_units
from tests.factories import at


@pytest.mark.django_db
def test_all_provinces_and_communes_load_idempotently():
    assert load_administrative_units() == (34, 3321)
    first = dict(AdministrativeUnit.objects.values_list("code", "name"))
    AdministrativeUnit.objects.filter(code="01").update(name="Tên sai")
    assert load_administrative_units() == (34, 3321)
    assert AdministrativeUnit.objects.count() == 34 + 3321
    assert dict(AdministrativeUnit.objects.values_list("code", "name")) == first  # the edit was repaired
    hanoi = AdministrativeUnit.objects.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội" and hanoi.level == "province"
    assert AdministrativeUnit.objects.get(code="00070").parent == hanoi  # Phường Hoàn Kiếm
    assert AdministrativeUnit.objects.filter(level="commune", parent__isnull=True).count() == 0


@pytest.mark.django_db
def test_load_units_command_prints_counts(capsys):
    call_command("load_units")
    assert "34 tỉnh, thành phố; 3321 xã" in capsys.readouterr().out


def test_agency_tree_paths_follow_moves(world):
    assert world.centre.path == f"/{world.province_committee.pk}/{world.committee.pk}/{world.centre.pk}/"
    assert set(world.committee.descendants_and_self()) == {world.committee, world.centre}
    # Move the committee elsewhere: its whole subtree follows.
    world.committee.parent = None
    world.committee.save()
    world.centre.refresh_from_db()
    assert world.centre.path == f"/{world.committee.pk}/{world.centre.pk}/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("identifier_code", "abc", "Mã định danh"),
        ("office_hours", "07:00-11:30,11:00-17:00", ""),
        ("valid_to", "2020-01-01", "sau ngày bắt đầu"),
    ],
)
def test_agency_validation_messages(world, field, value, message):
    agency = Agency(name="X", kind=Agency.Kind.DIVISION, area=world.commune, identifier_code="009.00.00.H56")
    setattr(agency, field, value)
    with pytest.raises(ValidationError) as err:
        agency.full_clean()
    assert field in err.value.message_dict
    assert message in " ".join(err.value.message_dict[field])


def test_agency_cannot_be_its_own_ancestor(world):
    world.province_committee.parent = world.centre
    with pytest.raises(ValidationError):
        world.province_committee.full_clean()


def test_validity_and_succession(world):

    old = Agency.objects.create(
        name="UBND huyện cũ", kind=Agency.Kind.PROVINCE_COMMITTEE, area=world.province, identifier_code="000.50.00.H56",
        valid_from=date(2010, 1, 1), valid_to=date(2025, 6, 30), succeeded_by=world.committee,
    )
    assert old.is_valid_on(date(2025, 6, 30)) and not old.is_valid_on(date(2025, 7, 1))
    assert list(world.committee.predecessors.all()) == [old]


def test_roles_apply_to_the_unit_and_everything_below(world):
    supervisor = world.user(Role.SUPERVISOR)  # at the province committee
    assert Role.SUPERVISOR in roles_at(supervisor, world.centre)
    specialist = world.user(Role.SPECIALIST)  # at the commune committee
    assert roles_at(specialist, world.centre) == {Role.SPECIALIST}
    assert roles_at(specialist, world.other_centre) == set()
    assert roles_at(specialist, world.province_committee) == set()
    assert set(agencies_with_role(specialist)) == {world.committee, world.centre}
    assert specialist in holders_of(Role.SPECIALIST, world.centre)
    assert specialist not in holders_of(Role.SPECIALIST, world.other_centre)


def test_granting_twice_is_one_assignment(world):
    user = User.objects.create_user("moi")
    a = grant_role(user=user, role=Role.CLERK, agency=world.committee, granted_by=world.user(Role.UNIT_ADMIN))
    b = grant_role(user=user, role=Role.CLERK, agency=world.committee)
    assert a.pk == b.pk and a.granted_by == world.user(Role.UNIT_ADMIN)


def test_full_name_is_in_vietnamese_order(world):
    user = User(last_name="Nguyễn", first_name="Văn An")
    assert str(user) == "Nguyễn Văn An"


def test_api_token_added_in_the_admin_works_and_is_shown_once(admin_client, world):
    from motcua.org.models import ApiToken

    response = admin_client.post(
        "/admin/org/apitoken/add/", {"name": "Kết nối hộ tịch", "user": world.users["system"].pk}, follow=True
    )
    text = response.content.decode()
    assert "chỉ hiện một lần" in text
    token = ApiToken.objects.get(name="Kết nối hộ tịch")
    raw = text.split("hãy lưu lại ngay): ")[1].split("<")[0].strip()
    assert ApiToken.hash(raw) == token.key_hash and raw.startswith(token.prefix)
    assert admin_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "message"),
    [(date(2027, 1, 1), None, "chưa có hiệu lực; bắt đầu hoạt động từ ngày 01/01/2027"),
     (date(2020, 1, 1), date(2026, 11, 15), "đã hết hiệu lực sau ngày 15/11/2026")],
)
def test_agency_outside_its_validity_is_refused_with_the_right_date(world, valid_from, valid_to, message):
    Agency.objects.filter(pk=world.committee.pk).update(valid_from=valid_from, valid_to=valid_to)
    world.committee.refresh_from_db()
    with pytest.raises(services.DossierError) as err:
        world.new_dossier(now=at("2026-11-16 09:00"))
    assert message in err.value.message
