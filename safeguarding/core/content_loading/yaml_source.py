"""Pack files as YAML: parsed to plain data while remembering where each value was written.

The YAML is composed into a node tree (yaml.SafeLoader's composer), never constructed into Python
objects by PyYAML: every scalar stays the text that was typed (apart from an unquoted null), so
YAML 1.1 surprises such as `no` becoming False cannot happen, and pydantic does the typing. Each
value's start mark is kept against its path, such as ("recommendations", 3, "audience"), so that a
validation error can name the line and column of the value it is about.

Anchors and aliases are refused (they allow "billion laughs" expansion and make packs hard to read),
as are duplicate keys, deep nesting and more than one document.
"""

import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ContentLoadError, ContentProblem

Path = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
MAX_DEPTH = 30
_NULL_TAG = "tag:yaml.org,2002:null"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:  # a yaml Mark (pure-Python or C), or None
        super().__init__(message)
        self.message = message
        self.mark = mark


class _PackLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and deep nesting while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                "aliases (*name) are not allowed in a pack: write the value out again", event.start_mark
            )
        if getattr(event, "anchor", None):
            raise _Refused(
                "anchors (&name) are not allowed in a pack: write the value out again", event.start_mark
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"values are nested more than {MAX_DEPTH} levels deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass
class LocatedData:
    """Plain data from a pack file, with where each value and key was written."""

    file: str
    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The line and column of the value at `path`, or of the nearest enclosing value written."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return (1, 1)

    def problem(self, path: Path, message: str, *, key: bool = False) -> ContentProblem:
        line, column = self.position(path, key=key)
        label = path_label(path)
        return ContentProblem(
            self.file, f"{label}: {message}" if label else message, line=line, column=column
        )


def path_label(path: Path) -> str:
    """("recommendations", 3, "audience") as recommendations[3].audience."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label


def _position(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _plain(node: yaml.Node, path: Path, located: LocatedData) -> Any:
    located.marks[path] = _position(node.start_mark)
    if node.tag not in _STANDARD_TAGS:
        raise _Refused(f"the tag {node.tag} is not allowed in a pack", node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL_TAG and not node.style:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*path, index), located) for index, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("a key must be a plain word, such as title", key_node.start_mark)
            key = key_node.value
            if key in mapping:
                first_line = located.key_marks[(*path, key)][0]
                raise _Refused(
                    f"the key {key!r} appears twice in the same place (first on line {first_line})",
                    key_node.start_mark,
                )
            located.key_marks[(*path, key)] = _position(key_node.start_mark)
            mapping[key] = _plain(value_node, (*path, key), located)
        return mapping
    raise _Refused("this kind of YAML value is not allowed in a pack", node.start_mark)


def yaml_parse(*, text: str, file: str) -> LocatedData:
    """Plain data (text, lists, mappings, None) and the position of every value, or a ContentLoadError."""
    located = LocatedData(file=file, data=None)
    loader: _PackLoader | None = None
    try:
        loader = _PackLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise _Refused("the file is empty", None)
        located.data = _plain(node, (), located)
    except _Refused as exc:
        line, column = _position(exc.mark) if exc.mark else (1, 1)
        raise ContentLoadError([ContentProblem(file, exc.message, line=line, column=column)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _position(mark) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise ContentLoadError(
            [ContentProblem(file, f"this is not valid YAML: {message}", line=line, column=column)]
        ) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise ContentLoadError(
            [
                ContentProblem(
                    file,
                    f"the file holds a character YAML does not allow ({exc.character!r})",
                    line=line,
                    column=column,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ContentLoadError([ContentProblem(file, f"this is not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ContentLoadError([ContentProblem(file, "values are nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return located


_FRIENDLY = {
    "missing": "this is required but missing",
    "string_pattern_mismatch": "use only letters, numbers, hyphens (-) and underscores (_)",
}


def _allowed_keys(model: type[BaseModel], path: Path) -> list[str]:
    """The keys a pack may have at `path`, for the message about an unknown key."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part)
        if field_info is None:
            return []
        current = _model_in(field_info.annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    # Unwrap list[...], Annotated[...] and Optional[...] to the pack model inside, if any.
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def pack_validate(*, located: LocatedData, model: type[M]) -> M:
    """The data checked against `model`, or a ContentLoadError with every problem at its position."""
    if not isinstance(located.data, dict):
        raise ContentLoadError(
            [located.problem((), "a pack must be a mapping of keys to values, such as slug: ...")]
        )
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            path: Path = tuple(part for part in error["loc"] if isinstance(part, int | str))
            kind = error["type"]
            if kind == "extra_forbidden":
                allowed = _allowed_keys(model, path[:-1])
                message = f"unknown key {path[-1]!r}" + (
                    f" (allowed keys: {', '.join(allowed)})" if allowed else ""
                )
                problems.append(located.problem(path, message, key=True))
                continue
            if error.get("input", "") is None and kind.endswith("_type"):
                message = "this must not be empty"
            else:
                message = _FRIENDLY.get(kind) or str(error["msg"]).removeprefix("Value error, ")
            problems.append(located.problem(path, message))
        raise ContentLoadError(problems) from None
