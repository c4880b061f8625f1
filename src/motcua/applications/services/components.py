"""The checklist of components and the draft's size."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.catalog.models import Component

from ..models import ApplicationDraft

# ---------------------------------------------------------------- the checklist


@dataclass
class ChecklistRow:
    component: Component
    uploads: list
    needs_upload: bool  # required, and not available from the national databases

    @property
    def copies(self) -> str:
        c = self.component
        parts = []
        if c.originals:
            parts.append(_("%(n)s bản chính") % {"n": c.originals})
        if c.certified_copies:
            parts.append(_("%(n)s bản sao chứng thực") % {"n": c.certified_copies})
        if c.photocopies:
            parts.append(_("%(n)s bản chụp") % {"n": c.photocopies})
        return ", ".join(parts)

    @property
    def done(self) -> bool:
        return any(u.complete for u in self.uploads)


def checklist(draft: ApplicationDraft) -> list[ChecklistRow]:
    uploads: dict[int, list] = {}
    for u in draft.uploads.all():
        uploads.setdefault(u.component_id, []).append(u)
    return [
        ChecklistRow(c, uploads.get(c.pk, []), c.required and not c.national_data)
        for c in draft.case.components.all()
    ]


def draft_bytes(draft: ApplicationDraft, exclude=None) -> int:
    qs = draft.uploads.all()
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return sum(qs.values_list("length", flat=True))
