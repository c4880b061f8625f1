"""Every map keyed by a dossier action covers every kind of event in `workflow.DossierAction`, or names
what it leaves out and why (issue 19, item 2): a new action cannot be added and silently missed by the
messages, the reports, the citizen's timeline or the desk."""

import pytest

from motcua.desk.forms.actions import ACTION_FORMS
from motcua.desk.templatetags.desk_tags import ACTION_NAMES
from motcua.dossiers import workflow
from motcua.dossiers.workflow import DossierAction as A
from motcua.notify.services import ACTION_EVENTS
from motcua.portal.tracking.words import SENTENCES
from motcua.reports.facts.counting import FLOW_OF_ACTION

TABLE_ACTIONS = {t.action for t in workflow.TRANSITIONS}

# map → (its keys, the actions it leaves out on purpose, why)
MAPS = {
    "the applicant's messages (notify.ACTION_EVENTS)": (
        ACTION_EVENTS,
        {A.COMPLETE, A.FORWARD, A.SUPPLY_SUPPLEMENT, A.REQUEST_VERIFICATION, A.ANSWER_VERIFICATION, A.STOP, A.WITHDRAW,
         A.RETURN_RESULT, A.RECOMPUTE_DUE},
        "internal moves, or moves the applicant made or was handed a paper for at the counter",
    ),
    "the report flows (reports.facts FLOW_OF_ACTION)": (
        FLOW_OF_ACTION,
        {A.SUBMIT, A.RECEIVE, A.REQUEST_COMPLETION, A.COMPLETE, A.FORWARD, A.SUPPLY_SUPPLEMENT, A.REQUEST_VERIFICATION,
         A.ANSWER_VERIFICATION, A.REQUEST_PAYMENT, A.CONFIRM_PAYMENT, A.FINISH, A.PAY_FEES, A.RECOMPUTE_DUE},
        "the other actions change stocks (states), which the facts count from the state, not the action",
    ),
    "the citizen's timeline (portal tracking SENTENCES)": (SENTENCES, set(), ""),
    "the desk's action forms (desk ACTION_FORMS)": (
        ACTION_FORMS, {A.SUBMIT, A.PAY_FEES, A.RECOMPUTE_DUE},
        "submitted by the applicant, paid on the platform, recomputed by the system: no officer's form",
    ),
    "the desk's history labels (desk_tags ACTION_NAMES, besides the table's own labels)": (
        {**{a: None for a in TABLE_ACTIONS}, **ACTION_NAMES}, set(), ""),
}


@pytest.mark.parametrize("name", list(MAPS))
def test_each_map_covers_every_action_or_names_its_exclusions(name):
    keys, left_out, why = MAPS[name]
    every = {a.value for a in A}
    assert set(keys) <= every, f"{name}: unknown actions {set(keys) - every}"
    missing = every - set(keys) - {a.value for a in left_out}
    assert not missing, f"{name} misses {sorted(missing)}"
    assert not set(keys) & {a.value for a in left_out}, f"{name} lists as left out an action it has"
    assert not left_out or why


def test_the_enum_is_the_table_and_the_two_events_outside_it():
    assert {a.value for a in A} == TABLE_ACTIONS | {a.value for a in workflow.OUTSIDE_THE_TABLE}
