"""Find a procedure: search and browse (/thu-tuc/), and the procedure page (/thu-tuc/<code>/)."""

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import guide, search

PER_PAGE = 25
LEVELS = {"tinh": "province", "xa": "commune"}


def procedures(request):
    """Search results when there is a query; otherwise every procedure in force, by field and level."""
    query = request.GET.get("q", "")
    field_code = request.GET.get("linh-vuc", "").strip()
    level_key = request.GET.get("cap", "").strip()
    problems = []
    field_name = None
    if field_code:
        field_name = search.field_name(field_code)
        if field_name is None:
            problems.append(_("Không có lĩnh vực mã “%(code)s”. Hãy chọn một lĩnh vực trong danh sách.") % {"code": field_code[:30]})
    if level_key and level_key not in LEVELS:
        problems.append(_("Cấp thực hiện chỉ có thể là “tỉnh” hoặc “xã”. Hãy chọn lại bên dưới."))
    level = LEVELS.get(level_key)

    result = search.search(query) if query.strip() else None
    if result is not None and result.problem == "too_long":
        problems.append(
            _("Từ khóa dài quá (tối đa %(max)s ký tự). Hãy gõ vài từ chính, ví dụ: đăng ký khai sinh.")
            % {"max": search.MAX_QUERY_LENGTH}
        )
    if problems:
        rows = []
    elif result is not None:
        rows = [h for h in result.hits if (not field_code or h.field_code == field_code) and (not level or h.level == level)]
    else:
        rows = search.browse(field_code or None, level)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("trang"))
    # Links keep only what was understood: a shortened query, a known field and level.
    params = QueryDict(mutable=True)
    for key, value in (("q", query.strip()[: search.MAX_QUERY_LENGTH]), ("linh-vuc", field_code if field_name else ""),
                       ("cap", level_key if level else "")):
        if value:
            params[key] = value
    context = {
        "query": query.strip()[: search.MAX_QUERY_LENGTH],
        "searched": result is not None and not problems,
        "problems": problems,
        "page": page,
        "fields": search.fields_in_force(),
        "field_code": field_code,
        "field_name": field_name,
        "level_key": level_key if level else "",
        "level_links": _level_links(params, level_key if level else ""),
        "page_params": params.urlencode(),
        "field_params": _without(params, "linh-vuc", "q"),  # browsing a field starts afresh
    }
    return render(request, "portal/find/procedures.html", context, status=400 if problems else 200)


def _level_links(params, current: str) -> list[tuple[str, str, bool, int | None]]:
    """(label, href, current, count) for "all levels", "province" and "commune", keeping the other filters."""
    counts = search.level_counts()
    base = _without(params, "cap")
    rows = [(_("Tất cả"), "?" + base.rstrip("&"), not current, None)]
    for key, label in (("tinh", _("Cấp tỉnh")), ("xa", _("Cấp xã"))):
        rows.append((label, f"?{base}cap={key}", current == key, counts.get(LEVELS[key], 0)))
    return rows


def _without(params, *keys) -> str:
    copy = params.copy()
    for key in keys:
        copy.pop(key, None)
    text = copy.urlencode()
    return text + "&" if text else ""


def procedure(request, code):
    page = guide.procedure_guide(code)
    if page is None:
        raise Http404(
            _("Không có thủ tục mã “%(code)s” đang áp dụng. Hãy kiểm tra lại mã hoặc tìm theo tên thủ tục.")
            % {"code": code[:30]}
        )
    return render(request, "portal/find/procedure.html", {"guide": page})
