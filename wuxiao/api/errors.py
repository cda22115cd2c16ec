"""Every error the API answers, in one JSON shape:

    {"errors": [{"field": "end_date", "message": "项目结束时间 … 早于开始时间 …", "code": "invalid"}]}

`field` is null for a rule about the whole object. The messages are the services' own
(the same the web pages show); input that does not even parse is described here, in Chinese.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Schema

from wuxiao.lib.dates import impossible_date_message
from wuxiao.projects.transitions import StaleVersion


class ErrorItem(Schema):
    field: str | None = None
    message: str
    code: str


class ErrorOut(Schema):
    errors: list[ErrorItem]


def body(*items: tuple[str | None, str, str]) -> dict:
    return {"errors": [{"field": field, "message": message, "code": code} for field, message, code in items]}


def from_validation_error(exc: ValidationError) -> dict:
    items = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    items.append((None if field == "__all__" else field, message, error.code or "invalid"))
    else:
        for error in exc.error_list:
            for message in error.messages:
                items.append((None, message, error.code or "invalid"))
    return body(*items)


def status_and_body(exc: Exception) -> tuple[int, dict]:
    """The HTTP status and JSON body for an exception a service or a lookup raised."""
    if isinstance(exc, StaleVersion):
        return 409, body((None, exc.messages[0], "stale"))
    if isinstance(exc, ValidationError):
        return 422, from_validation_error(exc)
    if isinstance(exc, PermissionDenied):
        return 403, body((None, str(exc) or "您无权执行该操作", "permission_denied"))
    if isinstance(exc, Http404):
        return 404, body((None, "未找到该对象，或您无权查看", "not_found"))
    raise exc


# --- input that does not parse (pydantic), described in Chinese ---------------------------


def _limit(ctx: dict, key: str) -> str:
    return str(ctx.get(key, ""))


def _unit(ctx: dict) -> str:
    return "项" if ctx.get("field_type") in {"List", "Tuple", "Set", "Dictionary"} else "个字"


MESSAGES = {
    "missing": lambda ctx: "必须填写",
    "int_parsing": lambda ctx: "应为整数",
    "int_type": lambda ctx: "应为整数",
    "int_from_float": lambda ctx: "应为整数",
    "float_parsing": lambda ctx: "应为数字",
    "decimal_parsing": lambda ctx: "应为数字，例如：12.50",
    "decimal_type": lambda ctx: "应为数字，例如：12.50",
    "decimal_max_digits": lambda ctx: f"最多 {_limit(ctx, 'max_digits')} 位数字",
    "decimal_max_places": lambda ctx: f"最多保留 {_limit(ctx, 'decimal_places')} 位小数",
    "decimal_whole_digits": lambda ctx: f"整数部分最多 {_limit(ctx, 'whole_digits')} 位",
    "finite_number": lambda ctx: "应为有限的数字",
    "bool_parsing": lambda ctx: "应为 true 或 false",
    "bool_type": lambda ctx: "应为 true 或 false",
    "string_type": lambda ctx: "应为文字",
    "string_too_long": lambda ctx: f"最多 {_limit(ctx, 'max_length')} 个字",
    "string_too_short": lambda ctx: f"至少 {_limit(ctx, 'min_length')} 个字",
    "too_long": lambda ctx: f"最多 {_limit(ctx, 'max_length')} {_unit(ctx)}",
    "too_short": lambda ctx: f"至少 {_limit(ctx, 'min_length')} {_unit(ctx)}",
    "list_type": lambda ctx: "应为列表",
    "date_parsing": lambda ctx: "日期格式应为 2024-06-01",
    "date_from_datetime_parsing": lambda ctx: "日期格式应为 2024-06-01",
    "date_from_datetime_inexact": lambda ctx: "日期格式应为 2024-06-01",
    "date_type": lambda ctx: "日期格式应为 2024-06-01",
    "literal_error": lambda ctx: f"应为以下之一：{_limit(ctx, 'expected')}",
    "enum": lambda ctx: f"应为以下之一：{_limit(ctx, 'expected')}",
    "greater_than_equal": lambda ctx: f"应不小于 {_limit(ctx, 'ge')}",
    "greater_than": lambda ctx: f"应大于 {_limit(ctx, 'gt')}",
    "less_than_equal": lambda ctx: f"应不大于 {_limit(ctx, 'le')}",
    "less_than": lambda ctx: f"应小于 {_limit(ctx, 'lt')}",
    "json_invalid": lambda ctx: "请求内容不是有效的 JSON",
    "model_attributes_type": lambda ctx: "请求内容应为 JSON 对象",
    "dict_type": lambda ctx: "请求内容应为 JSON 对象",
    "model_type": lambda ctx: "请求内容应为 JSON 对象",
    "extra_forbidden": lambda ctx: "不是可以填写的字段",
    "no_nul": lambda ctx: "不能包含空字符（\\x00）",
}
LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie", "payload", "filters", "data"}


def _field(loc) -> str | None:
    parts = [str(p) for p in loc if str(p) not in LOCATIONS]
    return ".".join(parts) or None


def from_pydantic_errors(errors: list[dict]) -> dict:
    items = []
    for error in errors:
        kind = error.get("type", "invalid")
        describe = MESSAGES.get(kind)
        field = _field(error.get("loc", ()))
        text = describe(error.get("ctx") or {}) if describe else f"格式不正确（{kind}）"
        if error.get("date_text"):  # kept by api.Api: 2023-02-30 is a day that does not exist
            text = impossible_date_message(error["date_text"]) or text
        items.append((field, f"{field}：{text}" if field else text, kind))
    return body(*items)
