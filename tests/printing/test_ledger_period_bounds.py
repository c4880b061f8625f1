"""The ledger (Mẫu 06) with dates at the ends of the calendar: refused in words (printing/views.py)."""

import pytest

from motcua.org.roles import Role


@pytest.mark.parametrize("period", [{"tu": "30/12/9999", "den": "31/12/9999"}, {"tu": "01/01/0001", "den": "02/01/0001"}])
def test_a_ledger_period_out_of_range_is_refused_in_words(world, period):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.ONE_STOP_OFFICER))
    response = client.get(f"/in/so-theo-doi/{world.centre.pk}.pdf", period)
    assert response.status_code == 400, response.status_code
    assert "ngày" in response.content.decode()
