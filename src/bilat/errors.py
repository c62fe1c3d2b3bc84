"""bilat's exceptions, one tree:

    BilatError
    ├── InputError          a file or record cannot be read (reported, skipped)
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── TooLarge
    │   └── MalformedInput
    ├── DocumentTimeout     one document's analysis took longer than doc_timeout_s
    ├── StoreError          the database cannot be opened or is of an unknown schema
    └── ConfigError         a setting is invalid
"""


class BilatError(Exception):
    """Base of every error bilat raises on purpose."""


class InputError(BilatError):
    """A file or record that cannot be read."""


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class TooLarge(InputError):
    pass


class MalformedInput(InputError):
    pass


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
