"""Lists page without counting every row, and the open-dossier index covers exactly the open states."""

from motcua.desk import selectors
from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, State


def test_a_page_knows_its_neighbours_without_counting_everything(world, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for _ in range(5):
        world.new_dossier()
    qs = Dossier.objects.order_by("pk")
    with django_assert_num_queries(1):  # the rows and one more, no COUNT
        first = selectors.page_of(qs, None)
    assert (first.number, len(first), first.has_previous, first.has_next) == (1, 2, False, True)
    assert (first.count, first.capped) == (2, True)  # shown as "2+"
    last = selectors.page_of(qs, "3")
    assert (len(last), last.has_next, last.previous_page_number()) == (1, False, 2)
    assert (last.count, last.capped) == (5, False)  # exact on the last page
    assert selectors.page_of(qs, "không phải số").number == 1 and selectors.page_of(qs, "-4").number == 1


def test_open_due_index_covers_the_open_states():
    index = next(i for i in Dossier._meta.indexes if i.name == "dossier_open_due")
    _, states = index.condition.children[0]
    assert set(states) == set(selectors.OPEN_STATES) == set(State.values) - workflow.TERMINAL_STATES - {State.DRAFT}
