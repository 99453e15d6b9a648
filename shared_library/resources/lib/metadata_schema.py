"""The versioned metadata schema of library resources (JSON Schema, `schemas/v<N>.json`).

A new version comes as a new file, an entry in UPGRADES that turns a document of the
version before into one of the new version, and CURRENT_VERSION raised; then
`jiyue library upgrade` (services/schema_upgrade.py) migrates the stored resources."""
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
CURRENT_VERSION = 1
# version N -> function(document of version N-1) -> document of version N
UPGRADES: dict[int, Callable[[dict], dict]] = {}
# Where a schema file is found, by version (tests and later versions add to it).
SCHEMA_FILES: dict[int, Path] = {1: SCHEMA_DIR / "v1.json"}


@dataclass(frozen=True)
class SchemaIssue:
    """One way a document fails its schema: where (a field path) and what, in the UI
    language, naming the field by its Chinese title from the schema."""

    path: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


@cache
def schema(version: int) -> dict:
    try:
        path = SCHEMA_FILES[version]
    except KeyError:
        raise LookupError(f"no metadata schema version {version}") from None
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _validator(version: int) -> Draft202012Validator:
    definition = schema(version)
    Draft202012Validator.check_schema(definition)
    return Draft202012Validator(definition, format_checker=FormatChecker())


def validate(document: dict) -> list[SchemaIssue]:
    """The document's issues against the schema version it names (none when valid)."""
    version = document.get("schema_version")
    if version not in SCHEMA_FILES:
        return [SchemaIssue("schema_version", _("Unknown metadata schema version %(version)s")
                            % {"version": version})]
    errors = sorted(_validator(version).iter_errors(document), key=lambda error: list(error.absolute_path))
    return [_issue(error, schema(version)) for error in errors]


def upgrade(document: dict, to_version: int = CURRENT_VERSION) -> dict:
    """The document carried up to `to_version` through UPGRADES, one version at a time."""
    version = document.get("schema_version", 1)
    while version < to_version:
        version += 1
        document = UPGRADES[version](dict(document))
        document["schema_version"] = version
    return document


def field_title(definition: dict, path: list) -> str:
    """The Chinese title the schema gives a field path (or the path itself)."""
    node, title = definition, None
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {})
            continue
        node = node.get("properties", {}).get(part, {})
        if "$ref" in node:
            node = {**_resolve(definition, node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}
        title = node.get("title", title)
    return title or ".".join(str(part) for part in path)


def _resolve(definition: dict, ref: str) -> dict:
    node = definition
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _issue(error, definition: dict) -> SchemaIssue:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        path = path + [missing]
        return SchemaIssue(".".join(map(str, path)), _("%(field)s is missing") % {
            "field": field_title(definition, path)})
    title = field_title(definition, path)
    messages = {
        "pattern": _("%(field)s is not in the required format"),
        "format": _("%(field)s is not a valid date"),
        "maxLength": _("%(field)s is too long"),
        "minLength": _("%(field)s is empty"),
        "enum": _("%(field)s has a value that is not allowed"),
        "const": _("%(field)s has a value that is not allowed"),
        "type": _("%(field)s has the wrong type"),
        "additionalProperties": _("%(field)s has fields the schema does not know"),
    }
    message = messages.get(error.validator, _("%(field)s is not valid")) % {"field": title}
    return SchemaIssue(".".join(map(str, path)) or "$", message)
