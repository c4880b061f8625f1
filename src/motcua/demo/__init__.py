"""A realistic demo province: agencies, staff for every role, the catalog, and dossiers over a year.

Every dossier is made and moved through dossiers/services.py, with the time of each action in the past,
so the demo's history is exactly what real use would have written. Same seed and same end date, same data.

A package: province (units, agencies, staff), dossiers (a year of dossiers and the showcase), seeding
(seed()), bulk (rows for load tests).
"""

from .bulk import BULK_MIX, bulk_dossiers  # noqa: F401
from .dossiers import SHOWCASE, _agencies_for, _holder, _personal_id, make_dossiers, make_showcase  # noqa: F401
from .province import (  # noqa: F401
    COMMUNES,
    DEMO_API_TOKEN,
    DEMO_PASSWORD,
    Province,
    _agency,
    _name,
    build_province,
    build_staff,
)
from .seeding import seed  # noqa: F401
