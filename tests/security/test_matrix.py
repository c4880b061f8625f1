"""The authorisation matrix: every URL pattern of the site (read from the URL conf, so a new URL cannot
escape it) and every operation of the HTTP API (read from its OpenAPI document), requested by every role
at the unit that owns the data and at another commune, by a signed-in user with no role, by a citizen and
by nobody. Each answer is held to tests/security/policy.py; every body is searched for data the caller
may not see; every refused change is followed by a check that nothing was written.

One world for the module (two communes, staff with every role in each, dossiers, feedback, files, a
payment, an export job, a citizen with an account), built once and rolled back at the end; each test
runs in its own savepoint, so what one allowed POST changes does not reach the next test.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from motcua.applications.models import ApplicationDraft, ResumableUpload
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.feedback import services as feedback_services
from motcua.feedback.models import Feedback, FeedbackAttachment, FeedbackEvent
from motcua.notify.models import OutboxMessage
from motcua.org.models import ApiToken, RoleAssignment, RoleAudit, User
from motcua.org.roles import Role
from motcua.payments.models import Payment
from motcua.portal.models import CitizenAccount
from motcua.reports.models import ExportJob, OnlineTarget
from tests.factories import VALID_PID, at, build_world

from . import policy
from .policy import BEARER, FLOW, OBJECT

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOGIN_PATHS = ("/dang-nhap/", "/cong-dan/dang-nhap/", "/admin/login/")
REFUSED = {401, 403, 404, 405}
REJECTED = {400, 409, 410, 412, 415, 422, 429}  # the caller reached the view, which wrote nothing


# ---------------------------------------------------------------- the URL conf


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]


def walk(resolver=None, prefix="", namespaces=()) -> list[Pattern]:
    """Every URL pattern of the site with its full name and route, includes and namespaces followed."""
    resolver = resolver or get_resolver()
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            out += walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            out.append(Pattern(":".join(namespaces + (p.name or f"<unnamed {route}>",)), route,
                               tuple(sorted(p.pattern.converters))))
    return out


def group_of(name: str) -> str | None:
    head = name.split(":", 1)[0]
    return head if head in policy.GROUPS and ":" in name else None


def test_every_url_pattern_has_a_rule_and_every_rule_a_pattern():
    names = {p.name for p in walk()}
    uncovered = sorted(n for n in names if n not in policy.POLICY and n not in policy.EXCLUDED and not group_of(n))
    assert not uncovered, (
        "URL patterns with no rule in tests/security/policy.py (add one to POLICY, or to EXCLUDED with the "
        f"reason): {uncovered}"
    )
    stale = sorted(n for n in list(policy.POLICY) + list(policy.EXCLUDED) if n not in names)
    assert not stale, f"rules for URL patterns that no longer exist: {stale}"


# A value for each path converter, unlike any literal part of a route.
_SAMPLES = {"int": "7", "str": "x7", "slug": "x-7", "uuid": str(uuid.UUID(int=7)), "path": "x/7"}
_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def test_no_url_pattern_is_hidden_by_an_earlier_one():
    """Django tries patterns in order (urls.py puts the busiest first): a path made from each route, with
    sample values for its parameters, must reach that route. The admin's own catch-all redirects are
    left out; API operations that share a path (list and create) reach the same route."""
    hidden = []
    for p in walk():
        if p.name.startswith("admin:") or re.search(r"[\^$(\\\[]", p.route):
            continue
        path = "/" + _CONVERTER.sub(lambda m: _SAMPLES[m.group(1) or "str"], p.route)
        match = resolve(path)
        if match.route != p.route:
            hidden.append(f"{p.name} ({path}) reaches {match.view_name}")
    assert not hidden, hidden


# ---------------------------------------------------------------- the world


class M:
    """What the module's world holds; 'a' is the own commune, 'b' the other."""


def _dossier(w, side, name, phone, *, receive=True):
    if side == "a":
        d = w.new_dossier(applicant=w.applicant(name=name, phone=phone))
    else:
        d = w.new_dossier(
            applicant=w.applicant(name=name, phone=phone), receiving_agency=w.other_centre,
            competent_agency=w.other_committee, actor=w.user(Role.ONE_STOP_OFFICER, other=True),
        )
    if receive and d.state == "submitted":
        dossier_services.perform(d, "receive", actor=d_actor(w, side), now=at("2026-11-16 08:05"))
        d.refresh_from_db()
    return d


def d_actor(w, side):
    return w.user(Role.ONE_STOP_OFFICER, other=side == "b")


def _feedback(w, agency, name):
    code = feedback_services.submit_feedback(
        kind="officer", text="Cán bộ yêu cầu nộp bản sao giấy khai sinh dù đã có trên CSDL.",
        contact=feedback_services.Contact(name=name, phone="0912345678", email="pakn@vidu.vn"), agency=agency,
        attachment=SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf"), now=at("2026-11-20 10:00"),
    )
    return Feedback.objects.get(code=code)


def build_matrix_world():
    from motcua.documents.services import store

    w = build_world()
    m = M()
    m.w = w
    # Names and codes that must not travel: one applicant, dossier and feedback item per commune.
    m.a1 = _dossier(w, "a", "Hoàng Thị Lan Hương", "0912345678")  # the citizen's dossier
    m.a2 = _dossier(w, "a", "Lương Thị Cúc Phương", "0911111111")  # a neighbour's, same commune
    m.a_sub = w.new_dossier(applicant=w.applicant(name="Đặng Văn Sơn Hà", phone="0922222222"), channel=2)
    m.b1 = _dossier(w, "b", "Trịnh Văn Đào Nguyên", "0987654321")
    m.b_sub = w.new_dossier(
        applicant=w.applicant(name="Mai Thị Quế Chi", phone="0933333333"), channel=2,
        receiving_agency=w.other_centre, competent_agency=w.other_committee,
        actor=w.user(Role.ONE_STOP_OFFICER, other=True),
    )
    assert m.a_sub.state == "submitted" and m.b_sub.state == "submitted", (m.a_sub.state, m.b_sub.state)
    content = ContentFile(PDF)
    sha = hashlib.sha256(PDF).hexdigest()
    # The citizen's dossier is returned, so its result file is his to download.
    Dossier.objects.filter(pk=m.a1.pk).update(state="returned")
    m.a1.refresh_from_db()
    m.a_doc = store(dossier=m.a1, content=content, name="ket-qua.pdf", content_type="application/pdf",
                    size=len(PDF), sha256=sha, kind="result", uploaded_by=w.user(Role.SPECIALIST))
    m.b_doc = store(dossier=m.b1, content=ContentFile(PDF), name="ket-qua.pdf", content_type="application/pdf",
                    size=len(PDF), sha256=sha, kind="result", uploaded_by=w.user(Role.SPECIALIST, other=True))
    m.fa = _feedback(w, w.committee, "Phùng Thị Nhàn Tâm")
    m.fb = _feedback(w, w.other_committee, "Kiều Văn Bảo Khánh")
    m.fa_file = FeedbackAttachment.objects.filter(feedback=m.fa).first()
    m.fb_file = FeedbackAttachment.objects.filter(feedback=m.fb).first()
    m.pay_a = Payment.objects.create(
        dossier=m.a1, purpose="fees", reference="MATRIX-A-0001", amount=50000, description="Lệ phí",
        provider="national", status=Payment.Status.PAID, transaction_time="20261116080000", paid_at=timezone.now())
    m.pay_b = Payment.objects.create(
        dossier=m.b1, purpose="fees", reference="MATRIX-B-0001", amount=50000, description="Lệ phí",
        provider="national", status=Payment.Status.PAID, transaction_time="20261116080000", paid_at=timezone.now())
    m.norole = User.objects.create_user("khong-vai-tro", last_name="Không", first_name="Vai Trò")
    m.citizen = CitizenAccount.objects.create(
        personal_id=VALID_PID, full_name="Hoàng Thị Lan Hương", phone="0912345678",
        phone_verified_at=timezone.now())
    m.other_citizen = CitizenAccount.objects.create(
        personal_id="001099012345", full_name="Trịnh Văn Đào Nguyên", phone="0987654321",
        phone_verified_at=timezone.now())
    case = w.case()
    m.case = case
    m.draft_a = ApplicationDraft.objects.create(citizen=m.citizen, case=case, status="submitted", dossier=m.a_sub)
    m.draft_b = ApplicationDraft.objects.create(citizen=m.other_citizen, case=case, status="submitted", dossier=m.b_sub)
    m.upload_a = ResumableUpload.objects.create(draft=m.draft_a, component=case.components.first(),
                                                filename="a.pdf", length=10, path="x-a")
    m.upload_b = ResumableUpload.objects.create(draft=m.draft_b, component=case.components.first(),
                                                filename="b.pdf", length=10, path="x-b")
    job = {}
    for side, user in (("a", w.user(Role.UNIT_ADMIN)), ("b", w.user(Role.UNIT_ADMIN, other=True))):
        j = ExportJob.objects.create(user=user, kind="statistics", params={}, state=ExportJob.State.DONE,
                                     filename="thong-ke.xlsx")
        j.file.save("thong-ke.xlsx", ContentFile(b"PK\x03\x04 matrix"), save=True)
        job[side] = j
    m.job_a, m.job_b = job["a"], job["b"]
    m.revocable_a = RoleAssignment.objects.get(user=w.user(Role.SPECIALIST), role=Role.SPECIALIST)
    m.revocable_b = RoleAssignment.objects.get(user=w.user(Role.SPECIALIST, other=True), role=Role.SPECIALIST)
    # The markers: what identifies each commune's data in a page or a JSON answer.
    m.markers = {
        "a1": [m.a1.code, "Hoàng Thị Lan Hương", m.fa.code, "Phùng Thị Nhàn Tâm"],
        "a2": [m.a2.code, "Lương Thị Cúc Phương"],
        "a_sub": [m.a_sub.code, "Đặng Văn Sơn Hà"],
        "b1": [m.b1.code, "Trịnh Văn Đào Nguyên", m.fb.code, "Kiều Văn Bảo Khánh"],
        "b_sub": [m.b_sub.code, "Mai Thị Quế Chi"],
    }
    return m


@pytest.fixture(scope="module")
def mw(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------- principals


PRINCIPALS = ("anonymous", "norole", "citizen") + tuple(f"{r}:other" for r in policy.ROLES) + policy.ROLES


def user_of(m, principal):
    if principal in ("anonymous", "citizen"):
        return None
    if principal == "norole":
        return m.norole
    role, _, other = principal.partition(":")
    return m.w.user(role, other=bool(other))


def base(principal) -> str:
    return principal.split(":")[0]


def may_see(principal) -> set[str]:
    """The marker groups a principal may see."""
    if principal in ("anonymous", "norole"):
        return set()
    if principal == "citizen":
        return {"a1", "a_sub"}  # the dossier his account owns and the one he submitted online
    if principal == Role.SUPERVISOR:  # the province: both communes
        return {"a1", "a2", "a_sub", "b1", "b_sub"}
    if principal.endswith(":other"):
        return {"b1", "b_sub"}
    return {"a1", "a2", "a_sub"}


def client_for(m, principal, csrf=False, remote_addr="") -> Client:
    c = Client(enforce_csrf_checks=csrf, **({"REMOTE_ADDR": remote_addr} if remote_addr else {}))
    if principal == "citizen":
        session = c.session
        session["portal_citizen_id"] = m.citizen.pk
        session.save()
    elif principal != "anonymous":
        c.force_login(user_of(m, principal))
    return c


def expected(rule, principal, verb) -> bool:
    allowed = rule.get if verb == "GET" else (rule.post or frozenset())
    if principal.endswith(":other"):
        return rule.scope != OBJECT and base(principal) in allowed
    return principal in allowed


# ---------------------------------------------------------------- snapshots


def snapshot():
    return (
        Dossier.objects.count(), DossierEvent.objects.count(),
        tuple(Dossier.objects.order_by("pk").values_list("pk", "state", "current_step", "audit_head")),
        Feedback.objects.count(), FeedbackEvent.objects.count(),
        tuple(Feedback.objects.order_by("pk").values_list("pk", "state", "assignee_id", "agency_id")),
        tuple(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "role", "agency_id")),
        RoleAudit.objects.count(), OutboxMessage.objects.count(),
        Payment.objects.count(), ExportJob.objects.count(),
        tuple(OnlineTarget.objects.order_by("pk").values_list("pk")),
        _count("reports", "IndexInput"), _count("reports", "EvaluationScore"),
        _count("documents", "Document"),
    )


def _count(app, model):
    from django.apps import apps

    try:
        return apps.get_model(app, model).objects.count()
    except LookupError:
        return None


# ---------------------------------------------------------------- classification


def classify(response, also_ok=frozenset()) -> str:
    status = response.status_code
    if status in also_ok:  # this view's "reached, but the outside service is not there in tests"
        return "ok"
    if status in (301, 302, 303, 307, 308):
        where = response.get("Location", "")
        return "refused" if any(p in where for p in LOGIN_PATHS) else "ok"
    if 200 <= status < 300:
        return "ok"
    if status in REFUSED:
        return "refused"
    if status in REJECTED:
        return "rejected"
    return f"error {status}"


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def leaks(m, principal, response, url, exempt=()) -> list[str]:
    text = body_of(response)
    out = []
    for group, markers in m.markers.items():
        if group in may_see(principal) or group in exempt:
            continue
        out += [mk for mk in markers if mk in text and mk not in url]
    return out


# ---------------------------------------------------------------- concrete URLs


def fill(m, name, side="a") -> str:
    """The URL of pattern `name` with the objects of one commune ('a' own, 'b' other)."""
    w = m.w
    own = side == "a"
    d1, doc, fb, fbf = (m.a1, m.a_doc, m.fa, m.fa_file) if own else (m.b1, m.b_doc, m.fb, m.fb_file)
    agency = w.committee if own else w.other_committee
    kw = {
        "portal:procedure": {"code": "1.004222"},
        "org:password_reset_confirm": {"uidb64": "MQ", "token": "khong-hop-le"},
        "org:roles": {"agency_id": agency.pk},
        "org:revoke": {"agency_id": agency.pk, "assignment_id": (m.revocable_a if own else m.revocable_b).pk},
        "org:coverage": {"agency_id": agency.pk},
        "portal:track-dossier": {"code": d1.code},
        "portal:track-supply": {"code": d1.code},
        "portal:track-withdraw": {"code": d1.code},
        "portal:track-pay": {"code": d1.code},
        "portal:track-rate": {"code": d1.code},
        "portal:track-form": {"code": d1.code, "number": "01"},
        "portal:track-result": {"code": d1.code, "pk": doc.pk},
        "portal:track-receipt": {"code": d1.code, "reference": (m.pay_a if own else m.pay_b).reference},
        "applications:tus-upload": {"upload_id": (m.upload_a if own else m.upload_b).pk},
        "applications:done": {"draft_id": (m.draft_a if own else m.draft_b).pk},
        "applications:start": {"case_id": m.case.pk},
        "applications:components": {"case_id": m.case.pk},
        "applications:review": {"case_id": m.case.pk},
        "feedback:follow": {"code": fb.code},
        "feedback:follow-rate": {"code": fb.code},
        "feedback:follow-reopen": {"code": fb.code},
        "pakn:intake-done": {"code": fb.code},
        "pakn:item": {"code": fb.code},
        "pakn:action": {"code": fb.code, "action": "assign"},
        "pakn:attachment": {"code": fb.code, "pk": fbf.pk},
        "desk:counter-done": {"code": d1.code},
        "desk:dossier": {"code": d1.code},
        "desk:dossier-upload": {"code": d1.code},
        "desk:dossier-action": {"code": (m.a_sub if own else m.b_sub).code, "action": "receive"},
        "documents:download": {"code": d1.code, "pk": doc.pk},
        "printing:dossier-form": {"code": d1.code, "form": "01"},
        "printing:ledger": {"agency_id": agency.pk, "fmt": "xlsx"},
        "reports:export-job": {"pk": (m.job_a if own else m.job_b).pk},
        "reports:export-download": {"pk": (m.job_a if own else m.job_b).pk},
        "reports:chart": {"name": "hoat-dong"},
        "reports:index766-unit": {"agency_id": agency.pk},
        "payments:sandbox-pay": {"reference": (m.pay_a if own else m.pay_b).reference},
        "local-population": {"personal_id": VALID_PID},
    }.get(name, {})
    query = {"reports:dossiers": "?figure=received&from=01/11/2026&to=30/11/2026"}.get(name, "")
    return reverse(name, kwargs=kw) + query


def with_link(m, name, url, principal, side) -> str:
    """A dossier file is downloaded through a link made for the person (documents/links.py)."""
    from motcua.documents import links

    user = user_of(m, principal)
    if name != "documents:download" or user is None:
        return url
    return f"{url}?h={links.token_for(user, m.a_doc if side == 'a' else m.b_doc)}"


def post_data(m, name, side="a") -> dict:
    """Harmless but valid-looking data for the change a POST to `name` makes."""
    w = m.w
    agency = w.committee if side == "a" else w.other_committee
    return {
        "org:roles": {"username": m.norole.username, "role": Role.SPECIALIST, "agency": agency.pk},
        "desk:dossier-upload": {"kind": "result", "file": SimpleUploadedFile("kq.pdf", PDF, "application/pdf")},
        "desk:dossier-action": {"idempotency_key": uuid.uuid4().hex},
        "pakn:action": {"assign-assignee": w.user(Role.SPECIALIST, other=side == "b").pk},
        "portal:track-withdraw": {"reason": "Tôi không cần nữa."},
        "portal:track-rate": {"level": "satisfied", "comment": "Tốt"},
        "portal:track-supply": {"note": "Bổ sung"},
        "feedback:follow-rate": {"level": "satisfied"},
        "feedback:follow-reopen": {"reason": "Chưa thỏa đáng, đề nghị xem lại."},
        "reports:targets": {"agency": agency.pk, "target": "45"},
        "reports:exports": {"loai": "statistics", "tu": "01/11/2026", "den": "30/11/2026", "nhom": "agency"},
        "sync-health": {},
    }.get(name, {})


def csrf_post(client, url, data):
    """POST as a browser does: read the form page (or any page) for the CSRF cookie, send the token back."""
    client.get("/")
    token = client.cookies.get("csrftoken")
    if token is None:
        client.get(reverse("org:login"))
        token = client.cookies.get("csrftoken")
    data = dict(data)
    data["csrfmiddlewaretoken"] = token.value if token else ""
    return client.post(url, data)


# ---------------------------------------------------------------- the page matrix


PAGE_NAMES = sorted(n for n in {p.name for p in walk()} if n in policy.POLICY)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_matrix(mw, db, name):
    rule = policy.POLICY[name]
    problems, count = [], 0
    with override_settings(**rule.settings):
        count += _gets(mw, name, rule, problems)
        if rule.post is not None:
            count += _posts(mw, name, rule, problems)
    COUNTS[name] = count
    assert count, f"{name}: the matrix made no request to it"
    assert not problems, f"{name}: {len(problems)} problem(s):\n" + "\n".join(problems)


COUNTS: dict[str, int] = {}


def _gets(m, name, rule, problems) -> int:
    n = 0
    own_url = fill(m, name, "a")
    exempt = {"a1"} if rule.scope == BEARER else set()
    for principal in PRINCIPALS:
        cache.clear()
        c = client_for(m, principal, remote_addr=rule.remote_addr)
        r = c.get(with_link(m, name, own_url, principal, "a"))
        n += 1
        got = classify(r, rule.also_ok)
        leaked = leaks(m, principal, r, own_url, exempt)
        if leaked:
            problems.append(f"LEAK GET {own_url} as {principal}: {leaked}")
        if got.startswith("error"):
            problems.append(f"GET {own_url} as {principal}: {got}")
        elif rule.scope != FLOW and rule.get is not None:
            want = expected(rule, principal, "GET")
            if want and got != "ok":
                problems.append(f"GET {own_url} as {principal}: expected allowed, got {got} ({r.status_code})")
            if not want and got == "ok":
                problems.append(f"GET {own_url} as {principal}: expected refused, got {r.status_code}")
        # The other commune's object, asked for by a principal who may read the own one.
        if rule.scope == OBJECT and expected(rule, principal, "GET") and not principal.endswith(":other") \
                and principal != Role.SUPERVISOR:
            other_url = fill(m, name, "b")
            r = c.get(with_link(m, name, other_url, principal, "b"))
            n += 1
            if classify(r) == "ok":
                problems.append(f"GET {other_url} (other commune) as {principal}: expected refused, got {r.status_code}")
            leaked = leaks(m, principal, r, other_url)
            if leaked:
                problems.append(f"LEAK GET {other_url} as {principal}: {leaked}")
    return n


def _posts(m, name, rule, problems) -> int:
    n = 0
    # Refused principals first, so the allowed ones change the world only at the end.
    order = sorted(PRINCIPALS, key=lambda p: expected(rule, p, "POST"))
    for principal in order:
        sides = ["a"]
        if rule.scope == OBJECT and expected(rule, principal, "POST") and principal != Role.SUPERVISOR:
            sides.insert(0, "b")  # an own-unit principal tries the other commune's object first
        for side in sides:
            cache.clear()
            url = fill(m, name, side)
            c = client_for(m, principal, csrf=True)
            before = snapshot()
            r = csrf_post(c, url, post_data(m, name, side))
            n += 1
            got = classify(r, rule.also_ok)
            leaked = leaks(m, principal, r, url, {"a1"} if rule.scope == BEARER else set())
            if leaked:
                problems.append(f"LEAK POST {url} as {principal}: {leaked}")
            if got.startswith("error"):
                problems.append(f"POST {url} as {principal}: {got}")
                continue
            want = expected(rule, principal, "POST") and side == "a"
            if rule.scope == BEARER:
                want = expected(rule, principal, "POST")
            if want and got == "refused" and rule.scope != FLOW:
                problems.append(f"POST {url} as {principal}: expected allowed, got refused ({r.status_code})")
            if not want and got == "ok":
                problems.append(f"POST {url} as {principal}: expected refused, got {r.status_code} (a change went through)")
            if got in ("refused", "rejected") and snapshot() != before:
                problems.append(f"CHANGE POST {url} as {principal}: answered {r.status_code} but rows changed")
    return n


# ---------------------------------------------------------------- the admin as one group

ADMIN_SAMPLE = ("admin:index", "admin:dossiers_dossier_changelist", "admin:org_roleassignment_changelist",
                "admin:org_user_add", "admin:feedback_feedback_changelist")


def test_admin_is_refused_to_every_role(mw, db):
    names = {p.name for p in walk()}
    sample = [n for n in ADMIN_SAMPLE if n in names]
    sample.append(next(n for n in sorted(names) if n.startswith("admin:") and n.endswith("_change")))
    assert len(sample) >= 4
    problems = []
    for name in sample:
        try:
            url = reverse(name)
        except Exception:
            url = reverse(name, kwargs={"object_id": mw.a1.pk})
        for principal in PRINCIPALS:
            c = client_for(mw, principal)
            r = c.get(url)
            if classify(r) != "refused":
                problems.append(f"GET {url} as {principal}: {r.status_code}")
            if leaks(mw, principal, r, url):
                problems.append(f"LEAK GET {url} as {principal}")
        before = snapshot()
        c = client_for(mw, Role.UNIT_ADMIN, csrf=True)
        r = csrf_post(c, reverse("admin:org_roleassignment_add"),
                      {"user": mw.norole.pk, "role": Role.UNIT_ADMIN, "agency": mw.w.committee.pk})
        if classify(r) != "refused" or snapshot() != before:
            problems.append(f"POST admin role grant as unit admin: {r.status_code}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the API matrix


def api_operations(client) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").json()
    return sorted((method.upper(), "/api/v1" + path if not path.startswith("/api/v1") else path)
                  for path, ops in spec["paths"].items() for method in ops)


def test_every_api_operation_has_a_rule(client, db):
    ops = set(api_operations(client))
    missing = sorted(ops - set(policy.API_POLICY))
    assert not missing, f"API operations with no rule in tests/security/policy.py API_POLICY: {missing}"
    stale = sorted(set(policy.API_POLICY) - ops)
    assert not stale, f"API rules for operations that no longer exist: {stale}"
    api_names = {p.name for p in walk() if p.name.startswith("api-v1:")}
    assert {"api-v1:openapi-json", "api-v1:list_dossiers", "api-v1:get_dossier"} <= api_names


def api_url(m, path, side="a") -> str:
    d = m.a_sub if side == "a" else m.b_sub
    fb = m.fa if side == "a" else m.fb
    values = {"code": d.code, "action": "receive", "personal_id": VALID_PID}
    if path.startswith("/api/v1/procedures/"):
        values["code"] = "1.004222"
    if path.startswith("/api/v1/phan-anh/"):
        values["code"] = fb.code
    if path == "/api/v1/dossiers/{code}":
        values["code"] = (m.a1 if side == "a" else m.b1).code
    return re.sub(r"\{(\w+)\}", lambda g: values[g.group(1)], path)


def api_body(m, method, path, side="a") -> dict | None:
    w = m.w
    if (method, path) == ("POST", "/api/v1/dossiers"):
        centre = w.centre if side == "a" else w.other_centre
        committee = w.committee if side == "a" else w.other_committee
        return {"procedure": "1.004222", "case": "TH1", "channel": 1, "receiving_agency": centre.identifier_code,
                "competent_agency": committee.identifier_code,
                "applicant": {"kind": "citizen", "name": "Ngô Văn Thử", "personal_id": VALID_PID, "phone": "0944444444"}}
    if (method, path) == ("POST", "/api/v1/phan-anh"):
        return {"kind": "officer", "text": "Cán bộ tiếp nhận chậm, đề nghị xem xét.", "contact": None}
    if method == "POST":
        return {}
    return None


@pytest.fixture(scope="module")
def tokens(mw, django_db_blocker):
    with django_db_blocker.unblock():
        out = {}
        for principal in PRINCIPALS:
            user = user_of(mw, principal)
            if user is not None:
                _, out[principal] = ApiToken.issue(user, "matrix")
        return out


def test_api_matrix(mw, tokens, db):
    import json

    anon = Client()
    problems, count = [], 0
    for method, path in api_operations(anon):
        rule = policy.API_POLICY[(method, path)]
        verb = "GET" if method == "GET" else "POST"
        order = sorted((p for p in PRINCIPALS if p != "citizen"), key=lambda p: expected(rule, p, verb))
        for principal in order:
            sides = ["b", "a"] if rule.scope == OBJECT and expected(rule, principal, verb) \
                and not principal.endswith(":other") and principal != Role.SUPERVISOR else ["a"]
            for side in sides:
                url = api_url(mw, path, side)
                headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[principal]}"} if principal in tokens else {}
                before = snapshot()
                body = api_body(mw, method, path, side)
                if method == "GET":
                    r = anon.get(url, **headers)
                else:
                    r = anon.generic(method, url, json.dumps(body), content_type="application/json",
                                     HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **headers)
                count += 1
                got = classify(r)
                if got.startswith("error"):
                    problems.append(f"{method} {url} as {principal}: {got}")
                    continue
                want = expected(rule, principal, verb) and (side == "a" or rule.scope != OBJECT)
                if (method, path) in policy.KNOWN_FINDINGS:
                    want = None
                if want is None:
                    pass
                elif want and got == "refused":
                    problems.append(f"{method} {url} as {principal}: expected allowed, got {r.status_code}")
                elif not want and got == "ok":
                    problems.append(f"{method} {url} as {principal}: expected refused, got {r.status_code}")
                if method != "GET" and got != "ok" and snapshot() != before:
                    problems.append(f"CHANGE {method} {url} as {principal}: answered {r.status_code} but rows changed")
                leaked = leaks(mw, principal, r, url, {"a1"} if rule.scope == BEARER else set())
                if leaked:
                    problems.append(f"LEAK {method} {url} as {principal}: {leaked}")
    COUNTS["api"] = count
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_role_in_its_own_unit_and_another_is_a_principal(mw):
    """Every role, in its own unit and another, is a principal of the matrix. (Every pattern with a rule
    has its own test above, which fails when it made no request.) Under pytest-xdist the tests are
    spread over processes: the summary line is printed by a process that ran them all."""
    assert set(PRINCIPALS) >= set(policy.ROLES) | {f"{r}:other" for r in policy.ROLES} | set(policy.EXTRA)
    if set(PAGE_NAMES) <= set(COUNTS):
        print(f"authorisation matrix: {len(COUNTS) - ('api' in COUNTS)} URL patterns, {len(PRINCIPALS)} principals, "
              f"{sum(COUNTS.values())} requests")
