"""The authorisation policy the matrix test holds the site to, one rule per URL pattern (by its name).

Who is asking ("principals"):
  - each staff role at the unit that owns the object in the URL ("own": the role's name), the same role
    at another commune ("<role>:other"), a signed-in staff user with no role ("norole"), a signed-in
    citizen ("citizen", who owns one dossier of the own commune) and nobody ("anonymous").

A rule says which principals may read (GET) and which may change (POST) at the own unit, and how the
other unit is treated:
  - OBJECT: the URL names an object of the own unit (a dossier, an agency, a feedback item, a job):
    the other unit is refused, whatever its role, and own-unit principals are also refused an object of
    the other unit;
  - LIST: the page lists or counts (inboxes, reports): the other unit's role may open it, and the
    leak check makes sure the body holds nothing of the own unit (and vice versa);
  - BEARER: a public page reached with a secret in the URL (a feedback code): anyone holding it may
    read; the object named in the URL is not a leak, anything else is;
  - FLOW: a public step of a sign-in, reset or protocol flow that holds no data: any answer but a
    server error, and the leak check.
Every response, allowed or not, is checked for dossier codes, applicant names and feedback codes the
principal may not see ("zero leaks"), and after every refused or rejected POST the tables that record
changes are compared with a snapshot ("zero unauthorised changes").
"""

from dataclasses import dataclass, field

from motcua.org.roles import Role

ROLES = tuple(r.value for r in Role)
ACTING = tuple(r.value for r in Role if r not in (Role.UNIT_ADMIN, Role.SUPERVISOR))
RECEPTION = (Role.ONE_STOP_OFFICER.value, Role.POSTAL_AGENT.value)
HEADS = (Role.HEAD_OF_DIVISION.value, Role.HEAD_OF_AGENCY.value)
EXTRA = ("anonymous", "norole", "citizen")
EVERYONE = frozenset(ROLES + EXTRA)
STAFF = frozenset(ROLES)
NOBODY = frozenset()

OBJECT, LIST, BEARER, FLOW = "object", "list", "bearer", "flow"


@dataclass(frozen=True)
class Rule:
    scope: str
    get: frozenset = NOBODY  # who may read at the own unit (GET answered 2xx, or 3xx not to a sign-in page)
    post: frozenset | None = None  # who may change (None: no POST sent; the page takes none or it is a flow)
    why: str = ""
    settings: dict = field(default_factory=dict)  # settings the rule is checked under (production values)
    also_ok: frozenset = frozenset()  # statuses that mean "reached the view" for this pattern
    remote_addr: str = ""  # the caller's address, when it matters (default: the test client's 127.0.0.1)


def fs(*names) -> frozenset:
    out = set()
    for n in names:
        out |= set(n) if isinstance(n, (tuple, list, set, frozenset)) else {n}
    return frozenset(out)


FEEDBACK_DISPATCHERS = fs(HEADS, Role.UNIT_ADMIN, Role.ONE_STOP_OFFICER)
FEEDBACK_STAFF = fs(HEADS, Role.UNIT_ADMIN, Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.CLERK)
# Roles held at the commune's committee or above it (the centre's reception staff are below it).
UNIT_STAFF = STAFF - fs(RECEPTION)
RECEIVERS_OFF = {"MOTCUA_LOCAL_RECEIVERS": False}

POLICY: dict[str, Rule] = {
    # -------------------------------------------------------------- public pages and flows
    "home": Rule(LIST, EVERYONE),
    "set_language": Rule(FLOW, why="POST only; sets the language cookie"),
    "org:login": Rule(FLOW),
    "org:login_totp": Rule(FLOW, why="only after a right password; otherwise back to sign-in"),
    "org:logout": Rule(FLOW),
    "org:password_reset": Rule(FLOW),
    "org:password_reset_sent": Rule(FLOW),
    "org:password_reset_confirm": Rule(FLOW, why="a made-up token: the page says the link is invalid"),
    "portal:procedures": Rule(LIST, EVERYONE),
    "portal:procedure": Rule(LIST, EVERYONE),
    "portal:sign_up": Rule(FLOW),
    "portal:confirm": Rule(FLOW),
    "portal:sign_in": Rule(FLOW),
    "portal:sign_out": Rule(FLOW),
    "portal:forgot": Rule(FLOW),
    "portal:reset": Rule(FLOW),
    "portal:oidc_start": Rule(FLOW),
    "portal:oidc_callback": Rule(FLOW),
    "portal:track": Rule(LIST, EVERYONE),
    "feedback:submit": Rule(LIST, EVERYONE),
    "feedback:follow-lookup": Rule(LIST, EVERYONE),
    "feedback:qa": Rule(LIST, EVERYONE),
    "feedback:follow": Rule(BEARER, EVERYONE, why="the feedback code is the sender's key"),
    "feedback:follow-rate": Rule(BEARER, post=EVERYONE, why="code holder; refused (409) until answered"),
    "feedback:follow-reopen": Rule(BEARER, post=EVERYONE, why="code holder; refused (409) until answered"),
    "reports:public": Rule(LIST, EVERYONE),
    "payments:return": Rule(FLOW, why="the payment platform sends the browser back here"),
    "payments:sandbox-init": Rule(FLOW, why="the local sandbox gateway, speaking the platform's protocol"),
    "payments:sandbox-check": Rule(FLOW, why="the local sandbox gateway"),
    "payments:sandbox-receipt": Rule(FLOW, why="the local sandbox gateway"),
    "payments:sandbox-pay": Rule(FLOW, why="the local sandbox gateway's pay page"),
    # -------------------------------------------------------------- the citizen's own pages
    "portal:my_dossiers": Rule(LIST, fs("citizen")),
    "portal:track-dossier": Rule(OBJECT, fs("citizen")),
    "portal:track-form": Rule(OBJECT, fs("citizen")),
    "portal:track-result": Rule(OBJECT, fs("citizen")),
    "portal:track-receipt": Rule(OBJECT, fs("citizen"), also_ok=frozenset({409}),
                                 why="ownership checked first (404 to others); the receipt itself comes from "
                                     "the payment platform, unreachable in tests (409)"),
    "portal:track-supply": Rule(OBJECT, post=fs("citizen")),
    "portal:track-withdraw": Rule(OBJECT, post=fs("citizen")),
    "portal:track-pay": Rule(OBJECT, post=fs("citizen"), also_ok=frozenset({502}),
                             why="the citizen goes on to the payment platform, unreachable in tests (502)"),
    "portal:track-rate": Rule(OBJECT, post=fs("citizen")),
    "applications:start": Rule(LIST, fs("citizen"), why="starts (or resumes) the citizen's own draft"),
    "applications:components": Rule(LIST, fs("citizen")),
    "applications:review": Rule(LIST, fs("citizen")),
    "applications:done": Rule(OBJECT, fs("citizen")),
    "applications:tus": Rule(FLOW, why="tus protocol endpoint; answers only a signed-in citizen's draft uploads"),
    "applications:tus-upload": Rule(OBJECT, why="tus resource; HEAD/PATCH by the draft's citizen only"),
    # -------------------------------------------------------------- staff accounts and units
    "org:totp": Rule(LIST, fs(HEADS, Role.UNIT_ADMIN)),
    "org:roles": Rule(OBJECT, fs(Role.UNIT_ADMIN), post=fs(Role.UNIT_ADMIN)),
    "org:revoke": Rule(OBJECT, post=fs(Role.UNIT_ADMIN)),
    "org:coverage": Rule(OBJECT, fs(Role.UNIT_ADMIN, HEADS, Role.SUPERVISOR)),
    # -------------------------------------------------------------- the one-stop desk
    "desk:home": Rule(LIST, fs(STAFF, "norole"), why="sends each user to the right list"),
    "desk:counter": Rule(LIST, fs(RECEPTION)),
    "desk:online": Rule(LIST, fs(STAFF, "norole"), why="an empty list without a role"),
    "desk:inbox": Rule(LIST, fs(STAFF, "norole"), why="an empty list without a role"),
    "desk:unit-inbox": Rule(LIST, fs(STAFF, "norole"), why="an empty list without a role"),
    "desk:verifications": Rule(LIST, fs(STAFF, "norole"), why="an empty list without a role"),
    "desk:apologies": Rule(LIST, fs(STAFF, "norole"), why="an empty list without a role"),
    "desk:counter-done": Rule(OBJECT, STAFF),
    "desk:dossier": Rule(OBJECT, STAFF, why="any role of the unit reads; the supervisor's own unit is the province"),
    "desk:dossier-upload": Rule(OBJECT, post=fs(RECEPTION, Role.SPECIALIST, HEADS, Role.CLERK),
                                why="reception roles where received, processing roles where decided"),
    "desk:dossier-action": Rule(OBJECT, post=fs(RECEPTION), why="'receive' on a submitted dossier"),
    "documents:download": Rule(OBJECT, STAFF, why="with a fresh link made for the same person (?h=)"),
    "printing:dossier-form": Rule(OBJECT, STAFF),
    "printing:ledger": Rule(OBJECT, UNIT_STAFF, why="the committee's ledger: roles at the committee or above"),
    # -------------------------------------------------------------- the feedback desk
    "pakn:inbox": Rule(LIST, STAFF),
    "pakn:intake": Rule(LIST, FEEDBACK_STAFF),
    "pakn:intake-done": Rule(OBJECT, UNIT_STAFF, why="an item of the committee: roles there or above"),
    "pakn:item": Rule(OBJECT, UNIT_STAFF, why="an item of the committee: roles there or above"),
    "pakn:attachment": Rule(OBJECT, UNIT_STAFF),
    "pakn:action": Rule(OBJECT, post=FEEDBACK_DISPATCHERS - fs(RECEPTION),
                        why="'assign' to the unit's specialist; the centre's officer is not at the committee"),
    # -------------------------------------------------------------- reports
    "reports:statistics": Rule(LIST, STAFF),
    "reports:dossiers": Rule(LIST, STAFF),
    "reports:targets": Rule(LIST, fs(Role.UNIT_ADMIN, Role.SUPERVISOR), post=fs(Role.UNIT_ADMIN, Role.SUPERVISOR),
                            why="the target of the own commune's committee"),
    "reports:charts": Rule(LIST, STAFF),
    "reports:chart": Rule(LIST, STAFF),
    "reports:index766": Rule(LIST, STAFF),
    "reports:index766-unit": Rule(OBJECT, UNIT_STAFF, why="the committee's indicators: roles there or above"),
    "reports:index766-input": Rule(LIST, fs(Role.SUPERVISOR), post=fs(Role.SUPERVISOR)),
    "reports:evaluation": Rule(LIST, STAFF),
    "reports:evaluation-input": Rule(LIST, NOBODY, post=fs(Role.SUPERVISOR)),
    "reports:feedback": Rule(LIST, STAFF),
    "reports:exports": Rule(LIST, STAFF, post=STAFF, why="each user exports within his own scope"),
    "reports:export-job": Rule(OBJECT, fs(Role.UNIT_ADMIN), why="the job's owner only (the unit admin here)"),
    "reports:export-download": Rule(OBJECT, fs(Role.UNIT_ADMIN), why="the job's owner only"),
    # -------------------------------------------------------------- operations and local stand-ins
    "sync-health": Rule(LIST, fs(Role.SUPERVISOR), post=fs(Role.SUPERVISOR)),
    "healthz": Rule(LIST, EVERYONE, why="liveness for the load balancer: no data"),
    "readyz": Rule(LIST, EVERYONE, why="readiness for the load balancer: checks, no data"),
    "metrics": Rule(LIST, NOBODY, remote_addr="203.0.113.7",
                    why="Prometheus text for loopback or METRICS_TOKEN only; asked from an outside address "
                        "without the token (as every principal here), refused"),
    "local-population": Rule(OBJECT, settings=RECEIVERS_OFF,
                             why="local stand-in of the population service: off (404) in production"),
    "local-dvcqg-add": Rule(OBJECT, post=NOBODY, settings=RECEIVERS_OFF, why="local DVCQG receiver: off in production"),
    "local-dvcqg-update": Rule(OBJECT, post=NOBODY, settings=RECEIVERS_OFF, why="local DVCQG receiver: off in production"),
    "local-dvcqg-progress": Rule(OBJECT, post=NOBODY, settings=RECEIVERS_OFF, why="local DVCQG receiver: off in production"),
}

# URL namespaces checked as a group rather than pattern by pattern.
GROUPS = {
    "admin": "Django admin: staff accounts with is_staff only; no role grants it. A sample of its URLs is "
             "requested by every principal and must be refused (sent to the admin sign-in).",
    "api-v1": "The HTTP API: checked operation by operation from /api/v1/openapi.json (API_POLICY below).",
}

# Patterns neither in POLICY nor in a group, with the reason they are left out. Empty today: a new URL
# must get a rule above (or a line here saying why not), or the matrix test fails.
EXCLUDED: dict[str, str] = {}

# The API: (method, path) → who may call it. Principals as above, with "anonymous" meaning no token;
# the others call with an API token of that user.
API_POLICY: dict[tuple[str, str], Rule] = {
    ("GET", "/api/v1/procedures"): Rule(LIST, EVERYONE),
    ("GET", "/api/v1/procedures/{code}"): Rule(LIST, EVERYONE),
    ("GET", "/api/v1/workflow"): Rule(LIST, EVERYONE),
    ("GET", "/api/v1/me"): Rule(LIST, fs(STAFF, "norole")),
    ("GET", "/api/v1/dossiers"): Rule(LIST, fs(STAFF, "norole"), why="an empty list without a role"),
    ("POST", "/api/v1/dossiers"): Rule(OBJECT, post=fs(RECEPTION), why="received at the own commune's centre"),
    ("GET", "/api/v1/dossiers/{code}"): Rule(OBJECT, STAFF),
    ("POST", "/api/v1/dossiers/{code}/actions/{action}"): Rule(OBJECT, post=fs(RECEPTION), why="'receive'"),
    ("GET", "/api/v1/population/{personal_id}"): Rule(LIST, fs(RECEPTION),
                                                      why="personal data: for reception at the counter"),
    ("POST", "/api/v1/phan-anh"): Rule(LIST, post=fs(STAFF, "norole"),
                                       why="intake from other systems (the national portal)"),
    ("GET", "/api/v1/phan-anh/{code}"): Rule(BEARER, fs(STAFF, "norole"), why="what the follow page shows"),
}


# Findings of this matrix not fixed yet: (method, path or URL name) → what is wrong. The matrix skips the
# allowed/refused comparison for them (the leak and change checks still run); each has a strict xfail
# reproduction in the test file of the behaviour it concerns, which fails once the fix lands: then remove
# the line here so the matrix holds the fix.
KNOWN_FINDINGS: dict[tuple[str, str], str] = {}
