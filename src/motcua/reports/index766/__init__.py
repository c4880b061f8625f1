"""The Decision 766 index (Bộ chỉ số 766, Quyết định 766/QĐ-TTg) per unit and period, and the periodic
9 × 2 evaluation (Nghị định 61/2018/NĐ-CP, Thông tư 01/2018/TT-VPCP).

Everything comes from the fact table in a handful of grouped queries (selectors.totals by unit, and one
query of the online payments by unit and procedure), the catalog in force, and the small tables
supervisors fill (IndexInput, EvaluationScore) or citizens fill (Feedback). No dossier is read one by one.

The choices where the official method is not known are written in docs/decisions/0004-index-766.md and
marked "chưa kiểm chứng" on the pages.

Modules: spec (indicators), results, measures (grouped reads), inputs (supervisors' figures), table
(scoring and ranking), period, evaluation (9 × 2); every public name is re-exported here.
"""

from .evaluation import (
    COMPUTED_INDICES,
    EVALUATION_GRADES,
    EVALUATION_INDICES,
    EvaluationIndex,
    EvaluationTable,
    UnitEvaluation,
    evaluation_grade,
    evaluation_history,
    evaluation_table,
    latest_scores,
)
from .feedback import feedback_measures, feedback_measures_by_unit, measured_items
from .inputs import InputEntry, input_history, latest_inputs
from .measures import CatalogFacts, _by_procedure
from .period import parse_period, quarter_bounds
from .results import GroupScore, IndexTable, IndicatorPart, IndicatorScore, UnitIndex
from .spec import CENT, GRADES, GROUPS, INPUT_CODES, RECEIVED, SPEC, SPECS, UNVERIFIED, WEAK, Spec, grade_for
from .table import can_view, check_period, index_table, percent_of, points_for, unit_index

__all__ = [
    "feedback_measures",
    "feedback_measures_by_unit",
    "measured_items",
    "CENT",
    "COMPUTED_INDICES",
    "CatalogFacts",
    "EVALUATION_GRADES",
    "EVALUATION_INDICES",
    "EvaluationIndex",
    "EvaluationTable",
    "GRADES",
    "GROUPS",
    "GroupScore",
    "INPUT_CODES",
    "IndexTable",
    "IndicatorPart",
    "IndicatorScore",
    "InputEntry",
    "RECEIVED",
    "SPEC",
    "SPECS",
    "Spec",
    "UNVERIFIED",
    "UnitEvaluation",
    "UnitIndex",
    "WEAK",
    "_by_procedure",
    "can_view",
    "check_period",
    "evaluation_grade",
    "evaluation_history",
    "evaluation_table",
    "grade_for",
    "index_table",
    "input_history",
    "latest_inputs",
    "latest_scores",
    "parse_period",
    "percent_of",
    "points_for",
    "quarter_bounds",
    "unit_index",
]
