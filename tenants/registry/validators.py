"""Format checks for the registry's codes. Messages are what a person sees."""
import re

from django.core.exceptions import ValidationError

# First two digits of the administrative division codes (GB/T 2260) of China's
# provinces, autonomous regions, municipalities and SARs.
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)
_SHORT_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def validate_identity_code(value: str) -> None:
    """网站标识码: 10 digits, the first six an administrative division code."""
    if not re.fullmatch(r"\d{10}", value or ""):
        raise ValidationError("网站标识码应为10位数字：%(value)s", params={"value": value}, code="identity_code_format")
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            "网站标识码前两位应为省级行政区划代码：%(value)s", params={"value": value}, code="identity_code_region"
        )


def validate_short_code(value: str) -> None:
    if not _SHORT_CODE.fullmatch(value or ""):
        raise ValidationError(
            "网站代号只能由小写字母开头，包含小写字母、数字和下划线，长度2到40：%(value)s",
            params={"value": value}, code="short_code_format",
        )


def normalize_host(value: str) -> str:
    """Lower-case a host name and drop a trailing dot and port; refuse anything else."""
    host = (value or "").strip().lower().rstrip(".")
    if ":" in host:
        host = host.rsplit(":", 1)[0]
    if not _HOST.fullmatch(host):
        raise ValidationError("域名格式不正确：%(value)s", params={"value": value}, code="host_format")
    return host
