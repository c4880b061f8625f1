"""Whole dossiers live through the API only: each step is an HTTP call by the user whose role owns it.

The clock is set by hand (see conftest.clock), so every time below is written out literally and checked
by hand against the calendar: office hours 07:00–11:30 and 13:30–17:00 (8 working hours a day), weekends
off, Tuesday 24/11/2026 a public holiday (Ngày Văn hóa Việt Nam). Procedure 1.004222 (permanent
residence) has a limit of 7 working days and five steps: one-stop 2 h, specialist 48 h, head of agency
4 h, clerk 1 h, one-stop (returning the result) 1 h.
"""

from datetime import datetime

from motcua.org.roles import Role

from .conftest import CENTRE, COMMITTEE, POLICE, dossier_body


def _actions(body) -> list[str]:
    return [a["action"] for a in body["allowed_actions"]]


def _trail(body) -> list[tuple]:
    return [(e["seq"], e["action"], e["from_state"], e["to_state"], e["actor"], e["at"]) for e in body["events"]]


def _ok(response) -> dict:
    assert response.status_code == 200, response.content.decode()
    return response.json()


def test_counter_dossier_from_submission_to_returned_result(world, api, api_as, clock):
    specialist, head, clerk = api_as(Role.SPECIALIST), api_as(Role.HEAD_OF_AGENCY), api_as(Role.CLERK)
    seen_national = []

    # Monday 16/11/2026 08:00, at the counter of the commune centre.
    created = api.post("/dossiers", dossier_body())
    assert created.status_code == 201, created.content.decode()
    d = created.json()
    code = d["code"]
    assert code == "001.00.06.H56-261116-0001"
    assert (d["state"], d["national_status"], d["channel"]) == ("submitted", 1, 1)
    assert d["submitted_at"] == "2026-11-16T08:00:00+07:00"
    assert d["received_at"] is None and d["due_at"] is None and d["current_step"] is None
    assert (d["receiving_agency"]["code"], d["competent_agency"]["code"]) == (CENTRE, COMMITTEE)
    assert (d["procedure"], d["version"], d["case"]) == ("1.004222", 1, "TH1")
    assert d["fees"] == [
        {"kind": "le_phi", "name": "Lệ phí đăng ký thường trú", "amount": 20000, "mode": "prepaid", "paid_at": None}
    ]
    assert _actions(d) == ["receive", "request_completion", "refuse", "withdraw"]
    seen_national.append(d["national_status"])

    d = _ok(api.act(code, "receive"))
    assert (d["state"], d["national_status"]) == ("received", 2)
    assert d["received_at"] == "2026-11-16T08:00:00+07:00"
    # Seven working days from Monday 08:00: 17, 18, 19, 20, 23, (24 is a holiday) 25, 26 → Thursday 26/11 08:00.
    assert d["due_at"] == "2026-11-26T08:00:00+07:00"
    assert d["due_at_text"] == "08:00 26/11/2026"
    assert d["overdue"] is False
    assert d["current_step"]["order"] == 1
    assert d["current_step"]["role"] == "one_stop_officer"
    assert d["current_step"]["due_at"] == "2026-11-16T10:00:00+07:00"
    assert _actions(d) == ["forward", "withdraw", "apologise"]
    seen_national.append(d["national_status"])

    clock.set("2026-11-16 09:30")
    d = _ok(api.act(code, "forward"))
    assert (d["state"], d["national_status"]) == ("processing", 4)
    assert d["current_step"]["order"] == 2 and d["current_step"]["agency"] == COMMITTEE
    assert d["current_step"]["due_at"] == "2026-11-25T09:30:00+07:00"  # 48 h = 6 working days, over the holiday
    assert d["events"][-1]["data"]["timing"] == "on_time"
    seen_national.append(d["national_status"])

    # The specialist sees the same dossier with the actions of the specialist's role.
    d = _ok(specialist.get(f"/dossiers/{code}"))
    assert _actions(d) == ["forward", "request_supplement", "request_verification", "request_payment"]

    clock.set("2026-11-18 14:00")
    head_user = world.user(Role.HEAD_OF_AGENCY)
    d = _ok(specialist.act(code, "forward", {"note": "Đủ điều kiện đăng ký thường trú", "assignee": head_user.pk}))
    assert d["current_step"]["order"] == 3 and d["current_step"]["role"] == "head_of_agency"
    assert d["events"][-1]["data"]["assignee"] == str(head_user)
    assert d["current_step"]["due_at"] == "2026-11-19T08:00:00+07:00"  # 3 h on Wednesday, 1 h on Thursday

    clock.set("2026-11-19 09:00")
    d = _ok(head.act(code, "forward"))
    assert d["events"][-1]["data"]["timing"] == "late"  # the head's step was due at 08:00
    assert d["current_step"]["order"] == 4 and d["current_step"]["due_at"] == "2026-11-19T10:00:00+07:00"
    assert _ok(clerk.get(f"/dossiers/{code}"))["allowed_actions"][-1]["action"] == "finish"

    clock.set("2026-11-19 09:30")
    d = _ok(clerk.act(code, "finish", {"documents": ["Thông báo kết quả giải quyết đăng ký thường trú"]}))
    assert (d["state"], d["national_status"]) == ("result_ready", 9)
    assert d["finished_at"] == "2026-11-19T09:30:00+07:00"
    assert d["timing"] == "early"  # a week before the promised Thursday
    assert d["current_step"]["order"] == 5 and d["current_step"]["due_at"] == "2026-11-19T10:30:00+07:00"
    assert d["events"][-1]["data"]["documents"] == ["Thông báo kết quả giải quyết đăng ký thường trú"]
    seen_national.append(d["national_status"])

    clock.set("2026-11-19 10:00")
    d = _ok(api.act(code, "return_result", {"method": "counter", "receiver_name": "Nguyễn Văn An",
                                            "receiver_kind": "owner", "originals_returned": "Giấy khai sinh (bản chính)"}))
    assert d["events"][-1]["data"]["receiver_kind"] == "owner"
    assert d["events"][-1]["data"]["originals_returned"] == "Giấy khai sinh (bản chính)"
    assert (d["state"], d["national_status"]) == ("returned", 10)
    assert d["returned_at"] == d["closed_at"] == "2026-11-19T10:00:00+07:00"
    assert d["due_at"] == "2026-11-26T08:00:00+07:00"
    assert d["timing"] == "early"
    assert d["current_step"] is None
    assert d["allowed_actions"] == []
    seen_national.append(d["national_status"])

    assert seen_national == [1, 2, 4, 9, 10]
    assert [(s["order"], s["agency"], s["timing"]) for s in d["steps"]] == [
        (1, CENTRE, "on_time"),
        (2, COMMITTEE, "early"),
        (3, COMMITTEE, "late"),
        (4, COMMITTEE, "on_time"),
        (5, CENTRE, "on_time"),
    ]
    assert _trail(d) == [
        (1, "submit", "draft", "submitted", "system", "2026-11-16T08:00:00+07:00"),
        (2, "receive", "submitted", "received", "system", "2026-11-16T08:00:00+07:00"),
        (3, "forward", "received", "processing", "system", "2026-11-16T09:30:00+07:00"),
        (4, "forward", "processing", "processing", "Cán bộ specialist", "2026-11-18T14:00:00+07:00"),
        (5, "forward", "processing", "processing", "Cán bộ head_of_agency", "2026-11-19T09:00:00+07:00"),
        (6, "finish", "processing", "result_ready", "Cán bộ clerk", "2026-11-19T09:30:00+07:00"),
        (7, "return_result", "result_ready", "returned", "system", "2026-11-19T10:00:00+07:00"),
    ]
    assert d["events"][-1]["data"] == {"method": "counter", "tracking_number": "", "receiver_name": "Nguyễn Văn An",
                                       "receiver_kind": "owner", "originals_returned": "Giấy khai sinh (bản chính)"}

    # The list shows it as closed, and reading it again gives the same record.
    listed = _ok(api.get("/dossiers"))
    assert [(x["code"], x["state"], x["national_status"]) for x in listed] == [(code, "returned", 10)]
    assert _ok(api.get(f"/dossiers/{code}")) == d


def _received(api) -> str:
    code = api.post("/dossiers", dossier_body()).json()["code"]
    _ok(api.act(code, "receive"))  # 16/11 08:00: due 26/11 08:00
    return code


def test_supplement_during_processing_stops_the_clock_and_an_apology_reschedules_once(world, api, api_as, clock):
    specialist = api_as(Role.SPECIALIST)
    code = _received(api)
    clock.set("2026-11-16 08:30")
    assert _ok(api.act(code, "forward"))["current_step"]["due_at"] == "2026-11-25T08:30:00+07:00"

    clock.set("2026-11-17 10:00")
    items = [{"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản sao hợp đồng thuê nhà chưa được chứng thực"}]
    d = _ok(specialist.act(code, "request_supplement", {"items": items, "answer_days": 5}))
    assert (d["state"], d["national_status"]) == ("awaiting_supplement", 5)
    assert d["due_at"] == "2026-11-26T08:00:00+07:00"  # unchanged while the pause is open
    [pause] = d["pauses"]
    assert pause["kind"] == "supplement"
    assert pause["started_at"] == "2026-11-17T10:00:00+07:00" and pause["ended_at"] is None
    assert pause["request"] == {"items": items, "answer_days": "5"}
    assert pause["answer_due_at"] == "2026-11-25T10:00:00+07:00"  # 5 working days, skipping 24/11
    assert d["events"][-1]["data"]["items"] == items
    # No apology while paused: the due time is not known until the pause ends.
    assert _actions(_ok(api.get(f"/dossiers/{code}"))) == ["supply_supplement", "withdraw"]

    # Two working days later the applicant brings the paper to the counter.
    clock.set("2026-11-19 10:00")
    d = _ok(api.act(code, "supply_supplement", {"note": "Đã nộp bản sao chứng thực"}))
    assert (d["state"], d["national_status"]) == ("processing", 4)
    assert d["pauses"][0]["ended_at"] == "2026-11-19T10:00:00+07:00"
    assert d["pauses"][0]["answer"] == {"note": "Đã nộp bản sao chứng thực"}
    # 16 paused working hours move the promise from Thu 26/11 08:00 over the weekend to Mon 30/11 08:00,
    # and the specialist's step from Wed 25/11 08:30 to Fri 27/11 08:30.
    assert d["due_at"] == "2026-11-30T08:00:00+07:00"
    assert d["current_step"]["due_at"] == "2026-11-27T08:30:00+07:00"

    clock.set("2026-11-23 09:00")
    d = _ok(api.act(code, "apologise", {"reason": "Cần xác minh thêm chỗ ở", "new_due_at": "2026-12-02T16:00:00+07:00"}))
    assert d["state"] == "processing"
    assert d["rescheduled_due_at"] == "2026-12-02T16:00:00+07:00"
    assert d["due_at"] == "2026-12-02T16:00:00+07:00"
    event = d["events"][-1]
    assert (event["action"], event["from_state"], event["to_state"], event["reason"]) == (
        "apologise",
        "processing",
        "processing",
        "Cần xác minh thêm chỗ ở",
    )
    assert datetime.fromisoformat(event["data"]["old_due_at"]) == datetime.fromisoformat("2026-11-30T08:00:00+07:00")
    assert datetime.fromisoformat(event["data"]["new_due_at"]) == datetime.fromisoformat("2026-12-02T16:00:00+07:00")

    # A pause that begins after the apology still moves the rescheduled date: one working day here.
    clock.set("2026-11-25 08:00")
    _ok(specialist.act(code, "request_supplement", {"items": items}))
    clock.set("2026-11-26 08:00")
    d = _ok(api.act(code, "supply_supplement"))
    assert d["due_at"] == "2026-12-03T16:00:00+07:00"
    assert d["rescheduled_due_at"] == "2026-12-02T16:00:00+07:00"
    assert [e["action"] for e in d["events"]] == [
        "submit",
        "receive",
        "forward",
        "request_supplement",
        "supply_supplement",
        "apologise",
        "request_supplement",
        "supply_supplement",
    ]


def test_withdrawal_at_the_applicants_request_closes_the_dossier(world, api, clock):
    code = _received(api)
    clock.set("2026-11-16 08:30")
    _ok(api.act(code, "forward"))

    clock.set("2026-11-17 09:00")
    d = _ok(api.act(code, "withdraw", {"reason": "Người nộp đề nghị rút hồ sơ để bổ sung giấy tờ"}))
    assert (d["state"], d["national_status"]) == ("withdrawn", 7)
    assert d["closed_at"] == "2026-11-17T09:00:00+07:00"
    assert d["finished_at"] is None and d["timing"] is None
    assert d["current_step"] is None
    assert d["steps"][-1]["ended_at"] == "2026-11-17T09:00:00+07:00"
    assert d["allowed_actions"] == []
    assert d["overdue"] is False
    assert [(e["action"], e["reason"]) for e in d["events"]][-1] == (
        "withdraw",
        "Người nộp đề nghị rút hồ sơ để bổ sung giấy tờ",
    )

    # A closed dossier does not move any more.
    again = api.act(code, "forward")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"


def test_stop_while_waiting_for_verification(world, api, api_as, clock):
    specialist, head_of_division = api_as(Role.SPECIALIST), api_as(Role.HEAD_OF_DIVISION)
    code = _received(api)
    clock.set("2026-11-16 08:30")
    _ok(api.act(code, "forward"))

    clock.set("2026-11-17 08:00")
    question = "Xác minh người đăng ký có đang thường trú ở nơi khác không"
    d = _ok(specialist.act(code, "request_verification", {"agency": POLICE, "question": question, "answer_days": 3}))
    # The national portal has no code for waiting on another agency: it keeps 4 (processing).
    assert (d["state"], d["national_status"]) == ("awaiting_verification", 4)
    assert d["pauses"][0]["kind"] == "verification"
    assert d["pauses"][0]["answer_due_at"] == "2026-11-20T08:00:00+07:00"
    assert d["events"][-1]["data"]["agency"] == POLICE
    assert "stop" in _actions(_ok(head_of_division.get(f"/dossiers/{code}")))

    clock.set("2026-11-18 08:00")
    d = _ok(head_of_division.act(code, "stop", {"reason": "Người đăng ký không đủ điều kiện thường trú"}))
    assert (d["state"], d["national_status"]) == ("stopped", 8)
    assert d["closed_at"] == "2026-11-18T08:00:00+07:00"
    assert d["pauses"][0]["ended_at"] == "2026-11-18T08:00:00+07:00"
    assert d["pauses"][0]["answer"] == {"closed": True}
    assert d["current_step"] is None and d["allowed_actions"] == []
    assert _trail(d)[-1] == (
        5,
        "stop",
        "awaiting_verification",
        "stopped",
        "Cán bộ head_of_division",
        "2026-11-18T08:00:00+07:00",
    )
    assert d["events"][-1]["reason"] == "Người đăng ký không đủ điều kiện thường trú"


def test_postal_dossier_received_by_the_postal_agent_and_returned_by_post(world, api, api_as, clock):
    postal = api_as(Role.POSTAL_AGENT)
    specialist, head, clerk = api_as(Role.SPECIALIST), api_as(Role.HEAD_OF_AGENCY), api_as(Role.CLERK)

    created = postal.post("/dossiers", dossier_body(channel=3, return_method="post"))
    assert created.status_code == 201, created.content.decode()
    d = created.json()
    code = d["code"]
    assert (d["channel"], d["state"], d["return_method"]) == (3, "submitted", "post")
    assert d["events"][0]["actor"] == "Cán bộ postal_agent"
    assert _actions(d) == ["receive", "request_completion", "refuse", "withdraw"]

    d = _ok(postal.act(code, "receive"))
    assert d["due_at"] == "2026-11-26T08:00:00+07:00"  # the same seven working days as at the counter
    # The first step belongs to the one-stop officer: the postal agent may not forward it.
    assert postal.act(code, "forward").status_code == 403

    clock.set("2026-11-16 10:00")
    _ok(api.act(code, "forward"))
    clock.set("2026-11-20 10:00")
    _ok(specialist.act(code, "forward"))
    clock.set("2026-11-20 14:00")
    _ok(head.act(code, "forward"))
    clock.set("2026-11-20 15:00")
    d = _ok(clerk.act(code, "finish"))
    assert (d["state"], d["timing"]) == ("result_ready", "early")
    assert _actions(_ok(postal.get(f"/dossiers/{code}"))) == ["return_result"]

    clock.set("2026-11-23 08:00")
    d = _ok(postal.act(code, "return_result", {"method": "post", "tracking_number": "EL123456789VN"}))
    assert (d["state"], d["national_status"], d["return_method"]) == ("returned", 10, "post")
    assert d["returned_at"] == "2026-11-23T08:00:00+07:00"
    assert d["events"][-1]["data"]["tracking_number"] == "EL123456789VN"
    assert d["events"][-1]["actor"] == "Cán bộ postal_agent"
    assert [e["action"] for e in d["events"]] == [
        "submit",
        "receive",
        "forward",
        "forward",
        "forward",
        "finish",
        "return_result",
    ]


def test_the_answer_to_a_submission_is_the_dossier_as_read_back(world, api, clock):
    """A new dossier's answer is built from the rows just written, without reading them or the caller's
    scope back (services.Outcome.written): it must equal what GET /dossiers/{code} gives the same caller,
    and so must the answer to an action."""
    created = api.post("/dossiers", dossier_body())
    assert created.status_code == 201, created.content.decode()
    code = created.json()["code"]
    assert created.json() == _ok(api.get(f"/dossiers/{code}"))
    acted = _ok(api.act(code, "receive"))
    assert acted == _ok(api.get(f"/dossiers/{code}"))
    assert acted["steps"] and acted["current_step"]["agency"] == CENTRE
