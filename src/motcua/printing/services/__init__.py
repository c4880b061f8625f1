"""The official forms of the one-stop mechanism as PDF documents (and the ledger as a spreadsheet).

Numbering follows the forms annexed to Thông tư 01/2018/TT-VPCP, the set provinces still print:

- Mẫu 01 `receipt_pdf`: Giấy tiếp nhận hồ sơ và hẹn trả kết quả
- Mẫu 02 `supplement_request_pdf`: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
- Mẫu 03 `refusal_pdf`: Phiếu từ chối tiếp nhận, giải quyết hồ sơ
- Mẫu 04 `apology_pdf`: Phiếu xin lỗi và hẹn lại ngày trả kết quả
- Mẫu 05 `control_slip_pdf`: Phiếu kiểm soát quá trình giải quyết hồ sơ
- `stop_notice_pdf`: Thông báo dừng giải quyết hồ sơ (a form of TT 03/2025/TT-VPCP, §1.3 E)
- Mẫu 06 `ledger_pdf` / `ledger_xlsx`: Sổ theo dõi hồ sơ

Every function reads what happened from the dossier's history (events, steps, pauses) and never writes.
A form that the history does not support (a refusal slip for a dossier never refused) raises
FormNotApplicable with a Vietnamese message. The caller decides who may see the dossier
(dossiers.selectors); the ledger functions take the user and read through visible_dossiers().

PDFs are rendered from Django templates with WeasyPrint (imported lazily, so the app loads on a machine
without Pango) in Vietnamese, whatever language the caller's page is in: the forms are legal papers.

One module per form (receipt 01, supplement_request 02, refusal 03, apology 04, control_slip 05,
stop_notice, ledger 06 and ledger_workbook 06 .xlsx) and their shared helpers (common); every public
name is re-exported here.
"""

from .apology import apology_pdf
from .common import (
    FORM_LANGUAGE,
    TIMING_LABELS,
    BadPeriod,
    FormNotApplicable,
    PrintingError,
    _header,
    date_line,
    format_clock,
    format_date,
    format_short,
    in_form_language,
    local,
    money,
    place_name,
    qr_svg_data_uri,
    render_pdf,
    tracking_url,
)
from .control_slip import ControlRow, control_rows, control_slip_pdf
from .dispatch import DOSSIER_FORMS, dossier_form_pdf
from .ledger import (
    LEDGER_COLUMNS,
    LEDGER_DATE_COLUMNS,
    LEDGER_MAX_DAYS,
    LEDGER_PDF_MAX_ROWS,
    LedgerRow,
    ledger_pdf,
    ledger_period,
    ledger_rows,
    parse_date,
)
from .ledger_workbook import ledger_xlsx
from .receipt import RECEIPT_RETURN_PLACE, promised_at_reception, receipt_pdf
from .refusal import refusal_pdf
from .stop_notice import stop_notice_pdf
from .supplement_request import supplement_request_pdf

__all__ = [
    "BadPeriod",
    "ControlRow",
    "DOSSIER_FORMS",
    "FORM_LANGUAGE",
    "FormNotApplicable",
    "LEDGER_COLUMNS",
    "LEDGER_DATE_COLUMNS",
    "LEDGER_MAX_DAYS",
    "LEDGER_PDF_MAX_ROWS",
    "LedgerRow",
    "PrintingError",
    "RECEIPT_RETURN_PLACE",
    "TIMING_LABELS",
    "_header",
    "apology_pdf",
    "control_rows",
    "control_slip_pdf",
    "date_line",
    "dossier_form_pdf",
    "format_clock",
    "format_date",
    "format_short",
    "in_form_language",
    "ledger_pdf",
    "ledger_period",
    "ledger_rows",
    "ledger_xlsx",
    "local",
    "money",
    "parse_date",
    "place_name",
    "promised_at_reception",
    "qr_svg_data_uri",
    "receipt_pdf",
    "refusal_pdf",
    "render_pdf",
    "stop_notice_pdf",
    "supplement_request_pdf",
    "tracking_url",
]
