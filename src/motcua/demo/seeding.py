"""seed(): the whole demo, the same data for the same seed and end date."""

import random
from datetime import datetime

from django.utils import timezone

from motcua.catalog import seed_data
from motcua.catalog.services import load_catalog
from motcua.feedback.answers import default_templates
from motcua.org.services import load_administrative_units

from .dossiers import make_dossiers, make_showcase
from .province import build_province, build_staff


def seed(dossiers: int = 300, seed_value: int = 2026, until: datetime | None = None, progress_factory=None) -> dict:
    """Build everything. Idempotent for the organisation, staff and catalog; adds `dossiers` new dossiers."""
    rng = random.Random(seed_value)
    until = until or timezone.now()
    provinces, communes = load_administrative_units()
    load_catalog(seed_data.FIELDS, seed_data.PROCEDURES)
    province = build_province()
    accounts = build_staff(province, rng)
    default_templates()  # plain-language answer templates, one per kind of feedback, if none yet
    progress = progress_factory(dossiers) if progress_factory else None
    made = make_dossiers(province, dossiers, rng, until, progress.update if progress else None)
    if dossiers:
        made += make_showcase(province, rng, until)
    if progress:
        progress.close()
    return {"provinces": provinces, "communes": communes, "dossiers": made, "accounts": accounts}



# ---------------------------------------------------------------- bulk (load tests)

# A year of a province in numbers: most dossiers closed, the rest spread over the open states.
