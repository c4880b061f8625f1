"""The e-form schema (biểu mẫu điện tử) of a case: the JSON Schema subset the portal renders.

Pure Python, so the seed data can be checked without Django. Returns every problem at once, in Vietnamese.
"""

import re

KEYWORDS = frozenset(
    {"type", "title", "description", "enum", "format", "maxLength", "minimum", "maximum", "required", "properties"}
)
TYPES = frozenset({"string", "integer", "number", "boolean", "object"})
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def schema_problems(node, path: str = "biểu mẫu") -> list[str]:
    """What is wrong with a schema node and its children; an empty list when it can be rendered."""
    if not isinstance(node, dict):
        return [f"{path}: phải là một đối tượng JSON."]
    problems = []
    unknown = sorted(set(node) - KEYWORDS)
    if unknown:
        problems.append(f"{path}: không dùng được các từ khóa {', '.join(unknown)}.")
    kind = node.get("type")
    if kind not in TYPES:
        problems.append(f"{path}: 'type' phải là một trong {', '.join(sorted(TYPES))}.")
    if not isinstance(node.get("title"), str) or not node["title"].strip():
        problems.append(f"{path}: cần 'title' (nhãn hiển thị cho người dân).")
    if "format" in node and (node["format"] != "date" or kind != "string"):
        problems.append(f"{path}: 'format' chỉ dùng 'date' cho trường kiểu string.")
    if "enum" in node and (not isinstance(node["enum"], list) or not node["enum"] or len(set(map(str, node["enum"]))) != len(node["enum"])):
        problems.append(f"{path}: 'enum' phải là danh sách các lựa chọn khác nhau.")
    if "maxLength" in node and (kind != "string" or not isinstance(node["maxLength"], int) or node["maxLength"] <= 0):
        problems.append(f"{path}: 'maxLength' phải là số nguyên dương, cho trường kiểu string.")
    for key in ("minimum", "maximum"):
        if key in node and (kind not in ("integer", "number") or not _is_number(node[key])):
            problems.append(f"{path}: '{key}' phải là số, cho trường kiểu số.")
    if _is_number(node.get("minimum")) and _is_number(node.get("maximum")) and node["minimum"] > node["maximum"]:
        problems.append(f"{path}: 'minimum' lớn hơn 'maximum'.")
    if "description" in node and not isinstance(node["description"], str):
        problems.append(f"{path}: 'description' phải là chữ.")
    if kind == "object":
        props = node.get("properties")
        if not isinstance(props, dict) or not props:
            return problems + [f"{path}: cần 'properties' với ít nhất một trường."]
        for name, child in props.items():
            if not NAME_RE.match(name):
                problems.append(f"{path}: tên trường '{name}' chỉ gồm chữ thường không dấu, số và dấu gạch dưới.")
            problems += schema_problems(child, f"{path}.{name}")
        required = node.get("required", [])
        if not isinstance(required, list) or len(set(required)) != len(required):
            problems.append(f"{path}: 'required' phải là danh sách tên trường không trùng.")
        else:
            missing = [r for r in required if r not in props]
            if missing:
                problems.append(f"{path}: 'required' có tên không nằm trong 'properties': {', '.join(missing)}.")
    elif "properties" in node or "required" in node:
        problems.append(f"{path}: chỉ trường kiểu object mới có 'properties' và 'required'.")
    return problems
