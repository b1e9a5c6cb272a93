"""Import and export of workflows: ASL (JSON, YAML), CloudFormation and SAM templates, pictures.

Import (``workflow_import``) reads JSON or YAML text that is either an ASL
definition or a CloudFormation/SAM template. From a template it takes the
``AWS::StepFunctions::StateMachine`` or ``AWS::Serverless::StateMachine``
resource (chosen by logical id when there are several) and its
``DefinitionString`` (a string, or the literal string of ``Fn::Sub`` /
``Fn::Join``) or ``Definition`` (an object). Nothing is substituted: the
``${...}`` placeholders that remain are listed so the user can fill them in.
YAML short tags (``!Sub``, ``!Ref``, ``!GetAtt``, ...) load as their long forms.

Export (``workflow_export``) writes the stored definition (the draft or a
published version) exactly as ASL: JSON with an indent of 2 in the stored key
order, or YAML; or a picture (DOT, SVG, PNG) through ``designer.graphviz``.
Layout hints live apart in the model and never appear in an export.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final, Literal, cast

import yaml
from django.utils.http import content_disposition_header

from designer import graphviz
from designer.errors import ValidationFailed
from designer.limits import limit
from designer.selectors.workflows import workflow_get, workflow_version_get
from designer.services.access import EDIT, team_get_for, workflow_get_for
from designer.services.workflows import (
    SavedWorkflow,
    definition_diagnostics,
    text_diagnostics,
    workflow_create,
)
from engine.diagnostics import Diagnostic
from engine.jsonvalue import too_deep_pointer
from engine.yaml_bounded import BoundedLoader, load_bounded

ExportFormat = Literal["json", "yaml", "dot", "svg", "png"]
EXPORT_FORMATS: Final[tuple[str, ...]] = ("json", "yaml", "dot", "svg", "png")
STATE_MACHINE_TYPES: Final = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")
_PLACEHOLDER: Final = re.compile(r"\$\{(?!!)([^}]+)\}")
_CONTENT_TYPES: Final[dict[str, str]] = {
    "json": "application/json",
    "yaml": "application/yaml",
    "dot": "text/vnd.graphviz; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}
_EXTENSIONS: Final[dict[str, str]] = {
    "json": "asl.json",
    "yaml": "asl.yaml",
    "dot": "dot",
    "svg": "svg",
    "png": "png",
}


# --- reading text -------------------------------------------------------------------------------


class _TemplateLoader(BoundedLoader):
    """Safe YAML (aliases bounded) with CloudFormation's short tags; timestamps stay strings."""


_TemplateLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _short_tag(loader: BoundedLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    """``!Sub x`` -> ``{"Fn::Sub": x}``; ``!Ref x`` -> ``{"Ref": x}``; ``!GetAtt a.b`` -> list."""
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_TemplateLoader.add_multi_constructor("!", _short_tag)


def _syntax_failure(what: str, message: str, line: int, column: int) -> ValidationFailed:
    diagnostic = Diagnostic("SYNTAX_ERROR", message, "", "error", line, column)
    return ValidationFailed(
        f"The {what} is not valid JSON or YAML: {message} (line {line}, column {column}).",
        {"line": line, "column": column, "diagnostics": [diagnostic.to_dict()]},
    )


def load_text(text: str, what: str = "text") -> Any:
    """JSON (when it starts with ``{`` or ``[``) or YAML; a syntax error names line and column."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed(f"The {what} is empty.", {"text": ["Send JSON or YAML text."]})
    if text.lstrip()[0] in "{[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _syntax_failure(what, f"{exc.msg}.", exc.lineno, exc.colno) from None
        except RecursionError:
            raise _syntax_failure(what, "it nests too deeply.", 1, 1) from None
        deep = too_deep_pointer(value, limit("JSON_MAX_DEPTH"))
        if deep is not None:
            raise _syntax_failure(what, f"it nests too deeply (at {deep}).", 1, 1)
        return value
    try:
        return load_bounded(
            text,
            _TemplateLoader,
            max_bytes=limit("YAML_MAX_EXPANDED_BYTES"),
            max_depth=limit("JSON_MAX_DEPTH"),
        )[0]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        raise _syntax_failure(what, f"{problem}.", line, column) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise _syntax_failure(what, f"{exc}.", 1, 1) from None


# --- CloudFormation and SAM ---------------------------------------------------------------------


@dataclass(slots=True)
class ImportedDefinition:
    """What an import found: the ASL definition and where it came from."""

    definition: dict[str, Any]
    source: Literal["asl", "cloudformation"]
    logical_id: str | None = None
    name: str | None = None  # StateMachineName (CloudFormation) or Name (SAM)
    type: str | None = None  # StateMachineType (CloudFormation) or Type (SAM)
    placeholders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "logical_id": self.logical_id,
            "placeholders": self.placeholders,
            "notes": self.notes,
        }


def is_template(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("Resources"), dict)
        and "States" not in value
        and "StartAt" not in value
    )


def definition_from_text(text: str, logical_id: str | None = None) -> ImportedDefinition:
    """The ASL definition in ``text`` (ASL itself, or a CloudFormation/SAM template)."""
    value = load_text(text)
    if is_template(value):
        found = _from_template(value, logical_id)
    elif isinstance(value, dict) and ("States" in value or "StartAt" in value):
        found = ImportedDefinition(value, "asl")
    elif isinstance(value, dict):
        keys = ", ".join(map(str, list(value)[:5])) or "none"
        raise ValidationFailed(
            "This is not an ASL definition (no StartAt or States) nor a CloudFormation/SAM "
            "template (no Resources).",
            {"text": [f"Top-level keys found: {keys}."]},
        )
    else:
        raise ValidationFailed(
            "The text must hold a JSON object: an ASL definition or a CloudFormation template.",
            {"text": [f"Found {type(value).__name__}, not an object."]},
        )
    found.placeholders = sorted(set(found.placeholders) | set(_placeholders_in(found.definition)))
    if found.placeholders:
        found.notes.append(
            "These placeholders were left as they are; replace them with real values: "
            + ", ".join("${" + p + "}" for p in found.placeholders)
            + "."
        )
    return found


def _from_template(template: dict[str, Any], logical_id: str | None) -> ImportedDefinition:
    machines = {
        key: resource
        for key, resource in template["Resources"].items()
        if isinstance(resource, dict) and resource.get("Type") in STATE_MACHINE_TYPES
    }
    if not machines:
        raise ValidationFailed(
            "The template has no AWS::StepFunctions::StateMachine or "
            "AWS::Serverless::StateMachine resource.",
            {"state_machines": []},
        )
    if logical_id is None and len(machines) > 1:
        raise ValidationFailed(
            "The template has several state machines; choose one with logical_id.",
            {"state_machines": list(machines)},
        )
    chosen = logical_id if logical_id is not None else next(iter(machines))
    if chosen not in machines:
        raise ValidationFailed(
            f"The template has no state machine with the logical id {chosen!r}.",
            {"state_machines": list(machines)},
        )
    resource = machines[chosen]
    properties = resource.get("Properties")
    properties = properties if isinstance(properties, dict) else {}
    serverless = resource["Type"] == "AWS::Serverless::StateMachine"
    found = ImportedDefinition({}, "cloudformation", chosen)
    name = properties.get("Name" if serverless else "StateMachineName")
    found.name = name if isinstance(name, str) else chosen
    kind = properties.get("Type" if serverless else "StateMachineType")
    found.type = kind.upper() if isinstance(kind, str) else None
    if "DefinitionString" in properties:
        literal = _literal(properties["DefinitionString"], found.placeholders)
        definition = load_text(literal, f"DefinitionString of {chosen}")
    elif "Definition" in properties:
        definition = _without_intrinsics(properties["Definition"], found.placeholders)
    else:
        where = [k for k in ("DefinitionUri", "DefinitionS3Location") if k in properties]
        raise ValidationFailed(
            f"The state machine {chosen!r} keeps its definition "
            + (f"in a separate file ({where[0]}); import that file." if where else "nowhere."),
            {"logical_id": chosen},
        )
    if not isinstance(definition, dict):
        raise ValidationFailed(
            f"The definition of {chosen!r} is not a JSON object.", {"logical_id": chosen}
        )
    substitutions = properties.get("DefinitionSubstitutions")
    if isinstance(substitutions, dict) and substitutions:
        found.notes.append(
            "DefinitionSubstitutions were not applied: " + ", ".join(map(str, substitutions)) + "."
        )
    found.definition = definition
    return found


def _literal(value: Any, placeholders: list[str]) -> str:
    """The literal text of a string, ``Fn::Sub`` or ``Fn::Join``; other intrinsics as ``${...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Fn::Sub":
            template = arg[0] if isinstance(arg, list) and arg else arg
            if isinstance(template, str):
                return template
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            delimiter, parts = arg
            if isinstance(delimiter, str) and isinstance(parts, list):
                return delimiter.join(_literal(part, placeholders) for part in parts)
        marker = _intrinsic_name(key, arg)
        placeholders.append(marker)
        return "${" + marker + "}"
    raise ValidationFailed(
        "DefinitionString must be a string, Fn::Sub or Fn::Join.",
        {"DefinitionString": [f"Found {type(value).__name__}."]},
    )


def _intrinsic_name(key: str, arg: Any) -> str:
    if key == "Ref" and isinstance(arg, str):
        return arg
    if key == "Fn::GetAtt" and isinstance(arg, list):
        return ".".join(str(a) for a in arg)
    return key


def _without_intrinsics(value: Any, placeholders: list[str]) -> Any:
    """A ``Definition`` object with each intrinsic replaced by its literal text or a placeholder."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, _arg),) = value.items()
            if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
                return _literal(value, placeholders)
        return {k: _without_intrinsics(v, placeholders) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_intrinsics(v, placeholders) for v in value]
    return value


def _placeholders_in(value: Any) -> list[str]:
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.extend(_PLACEHOLDER.findall(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@dataclass(frozen=True, slots=True)
class ImportedWorkflow:
    saved: SavedWorkflow
    imported: ImportedDefinition


def workflow_import(
    *,
    actor: Any,
    team_slug: str,
    text: Any,
    name: Any = None,
    type: Any = None,
    logical_id: str | None = None,
    description: Any = "",
) -> ImportedWorkflow:
    """A new workflow from ASL or template text; the name defaults to the template's."""
    team_get_for(actor, team_slug, EDIT)  # who may import, before reading anything
    if not isinstance(text, str):
        raise ValidationFailed("Send the text to import.", {"text": ["Must be a string."]})
    imported = definition_from_text(text, logical_id)
    chosen_name = name if name is not None else imported.name
    if chosen_name is None:
        raise ValidationFailed(
            "Give the imported workflow a name.", {"name": ["Required for an ASL import."]}
        )
    saved = workflow_create(
        actor=actor,
        team_slug=team_slug,
        name=chosen_name,
        type=type or imported.type or "STANDARD",
        description=description,
        definition=imported.definition,
        audit_action="workflow.import",
        audit_details={"source": imported.source, "logical_id": imported.logical_id},
    )
    if imported.source == "asl":  # the user's own text: diagnostics can point at lines
        saved = SavedWorkflow(saved.workflow, text_diagnostics(text))
    else:
        saved = SavedWorkflow(saved.workflow, definition_diagnostics(imported.definition))
    return ImportedWorkflow(saved, imported)


def state_machines_in(text: str) -> list[str]:
    """The logical ids of the state machines of a CloudFormation/SAM template (else [])."""
    value = load_text(text)
    if not is_template(value):
        return []
    return [
        key
        for key, resource in value["Resources"].items()
        if isinstance(resource, dict) and resource.get("Type") in STATE_MACHINE_TYPES
    ]


def workflow_import_preview(
    *, actor: Any, workflow_id: Any, text: Any, logical_id: str | None = None
) -> dict[str, Any]:
    """What importing ``text`` into the workflow would bring, without changing anything.

    ASL or a CloudFormation/SAM template (the first state machine unless
    ``logical_id`` names another; all are listed), with the definition and its
    diagnostics, so the page can show it and ask before it replaces the draft.
    """
    workflow_get_for(actor, workflow_id, EDIT)
    if not isinstance(text, str):
        raise ValidationFailed("Send the text to import.", {"text": ["Must be a string."]})
    machines = state_machines_in(text)
    if machines and logical_id is None:
        logical_id = machines[0]
    imported = definition_from_text(text, logical_id)
    diagnostics = (
        text_diagnostics(text)
        if imported.source == "asl"
        else definition_diagnostics(imported.definition)
    )
    return {
        **imported.summary(),
        "state_machines": machines,
        "name": imported.name,
        "type": imported.type,
        "definition": imported.definition,
        "diagnostics": diagnostics,
    }


# --- export -------------------------------------------------------------------------------------


class _AslDumper(yaml.SafeDumper):
    """Block-style YAML that keeps the definition's key order."""


@dataclass(frozen=True, slots=True)
class ExportedFile:
    content: bytes
    content_type: str
    filename: str

    @property
    def content_disposition(self) -> str:
        return str(content_disposition_header(True, self.filename))


def definition_json(definition: Any) -> str:
    """The ASL JSON text: indent 2, keys in stored order, non-ASCII kept as is."""
    return json.dumps(definition, indent=2, ensure_ascii=False) + "\n"


def definition_yaml(definition: Any) -> str:
    return yaml.dump(
        definition,
        Dumper=_AslDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )


def workflow_export(
    *, user: Any, workflow_id: Any, fmt: str = "json", version: int | None = None
) -> ExportedFile:
    """The draft (or published ``version``) as an ASL file or a picture."""
    workflow = workflow_get(user=user, workflow_id=workflow_id)
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(
            f"Unknown export format {fmt!r}.", {"format": [f"One of {', '.join(EXPORT_FORMATS)}."]}
        )
    definition: Any = workflow.definition
    stem = workflow.name
    if version is not None:
        published = workflow_version_get(user=user, workflow_id=workflow.id, number=version)
        definition, stem = published.definition, f"{workflow.name}-v{published.number}"
    content: bytes
    if fmt == "json":
        content = definition_json(definition).encode("utf-8")
    elif fmt == "yaml":
        content = definition_yaml(definition).encode("utf-8")
    else:
        picture = graphviz.digraph_of(definition, stem)
        if fmt == "dot":
            content = picture.source.encode("utf-8")
        else:
            content = graphviz.render(picture, cast(graphviz.ImageFormat, fmt))
    return ExportedFile(content, _CONTENT_TYPES[fmt], f"{stem}.{_EXTENSIONS[fmt]}")
