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
}


def _where(loc) -> tuple[str, str]:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "header")]
    named = [p for p in parts if not p.isdigit()]
    field = ".".join(parts) or "dữ liệu"
    label = FIELD_LABELS.get(named[-1], named[-1]) if named else "dữ liệu"
    return field, label


def _describe(error: dict, label: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"Thiếu {label}."
    if kind == "string_too_long":
        return f"{label.capitalize()} dài quá {ctx.get('max_length')} ký tự cho phép."
    if kind == "string_too_short":
        return f"{label.capitalize()} không được để trống."
    if kind in ("literal_error", "enum"):
        return f"{label.capitalize()} phải là một trong các giá trị: {ctx.get('expected', '')}."
    if kind == "extra_forbidden":
        return f"Không có trường '{label}' trong yêu cầu này; kiểm tra lại tên trường."
    if kind.startswith(("int_", "float_", "decimal_")):
        return f"{label.capitalize()} phải là số."
    if kind.startswith(("date_", "datetime_")):
        return f"{label.capitalize()} không đúng dạng ngày (dd/mm/yyyy hoặc yyyy-mm-dd)."
    if kind.startswith("bool"):
        return f"{label.capitalize()} phải là true hoặc false."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{label.capitalize()} nằm ngoài giới hạn cho phép."
    if kind == "json_invalid":
        return "Nội dung gửi lên không phải JSON hợp lệ."
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return f"{label.capitalize()} phải là một đối tượng JSON."
    if kind == "list_type":
        return f"{label.capitalize()} phải là một danh sách."
    if kind == "value_error":
        return f"{label.capitalize()}: {str(error.get('msg', '')).removeprefix('Value error, ')}."
    return f"{label.capitalize()} không hợp lệ."


def validation_message(errors: list[dict]) -> tuple[str, str | None]:
    if not errors:
        return "Dữ liệu gửi lên không hợp lệ.", None
    field, label = _where(errors[0].get("loc", ()))
    message = _describe(errors[0], label)
    more = len(errors) - 1
    if more:
        message += f" (và {more} lỗi khác, xem 'errors')"
    return message, field
