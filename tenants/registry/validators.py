"""Format checks for the registry's codes. Messages are what a person sees."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
        raise ValidationError(_("A site identification code must be 10 digits: %(value)s"), params={"value": value},
                              code="identity_code_format")
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("The first two digits of a site identification code must be the administrative division code "
              "of a province: %(value)s"),
            params={"value": value}, code="identity_code_region"
        )


def validate_short_code(value: str) -> None:
    if not _SHORT_CODE.fullmatch(value or ""):
        raise ValidationError(
            _("A site code must start with a lowercase letter and contain only lowercase letters, digits and "
              "underscores, 2 to 40 characters: %(value)s"),
            params={"value": value}, code="short_code_format",
        )


def normalize_host(value: str) -> str:
    """Lower-case a host name and drop a trailing dot and port; refuse anything else."""
    host = (value or "").strip().lower().rstrip(".")
    if ":" in host:
        host = host.rsplit(":", 1)[0]
    if not _HOST.fullmatch(host):
        raise ValidationError(_("Not a valid domain name: %(value)s"), params={"value": value}, code="host_format")
    return host
