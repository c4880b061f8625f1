"""Pydantic's validation errors turned into one Vietnamese sentence that says what to fix."""

FIELD_LABELS = {
    "procedure": "mã thủ tục",
    "channel": "kênh nộp",
    "receiving_agency": "đơn vị tiếp nhận",
    "competent_agency": "cơ quan giải quyết",
    "applicant": "người nộp",
    "name": "họ tên",
    "personal_id": "số định danh cá nhân",
    "birth_date": "ngày sinh",
    "tax_code": "mã số thuế",
    "phone": "số điện thoại",
    "email": "thư điện tử",
    "address": "địa chỉ",
    "summary": "trích yếu",
    "reason": "lý do",
    "items": "danh sách giấy tờ cần bổ sung",
    "new_due_at": "ngày hẹn trả mới",
    "amount": "số tiền",
    "method": "hình thức trả kết quả",
    "tracking_number": "số vận đơn bưu chính",
    "receiver_name": "tên người nhận kết quả",
    "answer_days": "số ngày làm việc được dành để trả lời",
    "agency": "mã định danh cơ quan",
    "question": "nội dung cần xác minh",
    "answer": "kết quả xác minh",
    "note": "ghi chú",
    "description": "nội dung khoản phải nộp",
    "payment_channel": "kênh thanh toán",
    "documents": "danh sách giấy tờ kết quả",
    "components": "danh sách thành phần hồ sơ",
    "component": "mã thành phần hồ sơ",
    "return_method": "hình thức nhận kết quả",
    "kind": "loại người nộp",
    "version": "phiên bản thủ tục",
    "case": "mã trường hợp",
    "support_agency": "nơi hỗ trợ",
    "address_unit": "mã xã, phường",
    "old_id_number": "số CMND cũ",
    "representative_name": "tên người nộp thay",
    "representative_id": "số định danh người nộp thay",
    "identity_verified": "đã xác thực danh tính",
    "population_verified": "đã đối chiếu dữ liệu dân cư",
    "notify": "kênh báo tin cho người nộp",
    # A name inside a list item means something else than the applicant's name.
    "items.name": "tên giấy tờ cần bổ sung",
    "items.reason": "lý do cần bổ sung",
    "limit": "số hồ sơ mỗi trang (limit)",
    "offset": "vị trí bắt đầu (offset)",
    "state": "trạng thái",
    "overdue": "lọc quá hạn (overdue)",
}

BOUNDS = {
    "greater_than_equal": ("ge", "lớn hơn hoặc bằng"),
    "less_than_equal": ("le", "nhỏ hơn hoặc bằng"),
    "greater_than": ("gt", "lớn hơn"),
    "less_than": ("lt", "nhỏ hơn"),
}


def _where(loc) -> tuple[str, str, str]:
    """(dotted path, Vietnamese label, the field's own name) of an error location."""
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "header")]
    named = [p for p in parts if not p.isdigit()]
    field = ".".join(parts) or "dữ liệu"
    if not named:
        return field, "dữ liệu", ""
    label = FIELD_LABELS.get(".".join(named[-2:])) or FIELD_LABELS.get(named[-1], named[-1])
    return field, label, named[-1]


def _cap(text: str) -> str:
    # str.capitalize() would also lower the rest ("số CMND" → "Số cmnd").
    return text[:1].upper() + text[1:]


def _describe(error: dict, label: str, name: str = "") -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"Thiếu {label}."
    if kind == "string_too_long":
        return f"{_cap(label)} dài quá {ctx.get('max_length')} ký tự cho phép."
    if kind == "string_too_short":
        return f"{_cap(label)} không được để trống."
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", " hoặc ")
        return f"{_cap(label)} phải là một trong các giá trị: {expected}."
    if kind == "extra_forbidden":
        return f"Không có trường '{name or label}' trong yêu cầu này; kiểm tra lại tên trường."
    if kind.startswith(("int_", "float_", "decimal_")):
        return f"{_cap(label)} phải là số."
    if kind.startswith("datetime_"):
        return f"{_cap(label)} không đúng dạng ngày giờ ISO 8601, ví dụ 2026-12-01T16:00:00+07:00."
    if kind.startswith("date_"):
        return f"{_cap(label)} không đúng dạng ngày (dd/mm/yyyy hoặc yyyy-mm-dd)."
    if kind.startswith("bool"):
        return f"{_cap(label)} phải là true hoặc false."
    if kind in BOUNDS:
        key, words = BOUNDS[kind]
        bound = ctx.get(key)
        if isinstance(bound, float) and bound.is_integer():  # a bound of a number field: 0, not 0.0
            bound = int(bound)
        return f"{_cap(label)} phải {words} {bound}."
    if kind == "json_invalid":
        return "Nội dung gửi lên không phải JSON hợp lệ."
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return f"{_cap(label)} phải là một đối tượng JSON."
    if kind == "list_type":
        return f"{_cap(label)} phải là một danh sách."
    if kind == "value_error":
        return f"{_cap(label)}: {str(error.get('msg', '')).removeprefix('Value error, ')}."
    return f"{_cap(label)} không hợp lệ."


def validation_message(errors: list[dict]) -> tuple[str, str | None]:
    if not errors:
        return "Dữ liệu gửi lên không hợp lệ.", None
    field, label, name = _where(errors[0].get("loc", ()))
    message = _describe(errors[0], label, name)
    more = len(errors) - 1
    if more:
        message += f" (và {more} lỗi khác, xem 'errors')"
    return message, field
