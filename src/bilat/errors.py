"""bilat's exceptions, one tree; each class carries the HTTP status the server answers it with
(``status``, as datasette's ``Base400`` does), so the server maps them in one place:

    BilatError              500  base of every error bilat raises on purpose
    ├── InputError          400  a file or record cannot be read (reported, skipped)
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── TooLarge
    │   └── MalformedInput
    ├── QueryError          400  a filter value that cannot be used (bad date, unknown type)
    ├── NotFound            404  the document, event or actor asked for is not in the store
    ├── DocumentTimeout     500  one document's analysis took longer than doc_timeout_s
    ├── StoreError          500  the database cannot be opened or is of an unknown schema
    └── ConfigError         500  a setting is invalid
"""


class BilatError(Exception):
    """Base of every error bilat raises on purpose."""

    status = 500


class InputError(BilatError):
    """A file or record that cannot be read."""

    status = 400


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class TooLarge(InputError):
    pass


class MalformedInput(InputError):
    pass


class QueryError(BilatError):
    """A filter value that cannot be used (bad date, unknown dyad form)."""

    status = 400


class NotFound(BilatError):
    """The document, event or actor asked for is not in the store."""

    status = 404


class DocumentTimeout(BilatError):
    pass


class StoreError(BilatError):
    pass


class ConfigError(BilatError):
    pass


def one_line(message: object, limit: int = 200) -> str:
    """A library's error message squeezed onto one short line."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
