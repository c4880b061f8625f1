"""REST API v1. Thin: it parses, calls dossiers.services / selectors, and shapes the answer.

Modules: app (the API object, authentication, declared refusals), handlers (errors as JSON), and one
per router: catalog, dossiers, population. Every public name is re-exported here.
"""

from .app import (
    ERRORS,
    LocalTimeEncoder,
    MotcuaAPI,
    SessionWithSecondFactor,
    TokenAuth,
    VietnameseJSONRenderer,
    api,
    logger,
    refusals,
)
from .handlers import ESCAPED_NUL, refuse_nul
from .routes_catalog import case_out, catalog, get_procedure, get_workflow, list_procedures, me, procedure_out
from .routes_dossiers import (
    AGENCY_LABELS,
    create_dossier,
    dossier_out,
    dossiers,
    get_dossier,
    list_dossiers,
    perform_action,
    summary_out,
)
from .routes_population import population, population_lookup

api.add_router("/", catalog)
api.add_router("/", dossiers)
api.add_router("/", population)
api.add_router("/", "motcua.api.feedback.router")

__all__ = [
    "AGENCY_LABELS",
    "ERRORS",
    "ESCAPED_NUL",
    "LocalTimeEncoder",
    "MotcuaAPI",
    "SessionWithSecondFactor",
    "TokenAuth",
    "VietnameseJSONRenderer",
    "api",
    "case_out",
    "catalog",
    "create_dossier",
    "dossier_out",
    "dossiers",
    "get_dossier",
    "get_procedure",
    "get_workflow",
    "list_dossiers",
    "list_procedures",
    "logger",
    "me",
    "perform_action",
    "population",
    "population_lookup",
    "procedure_out",
    "refusals",
    "refuse_nul",
    "summary_out",
]
