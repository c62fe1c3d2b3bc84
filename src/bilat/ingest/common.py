"""What every reader shares: size limits, gzip with a ceiling, binary sniffing, decoding, ids.

Readers raise the ``InputError`` subclasses from :mod:`bilat.errors` for a whole-file problem;
``iter_inputs`` turns them into ``ReadError`` records, so the message of each exception is the
one-line reason a user sees.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from ..config import Settings
from ..errors import BinaryInput, EmptyInput, MalformedInput, TooLarge, one_line

logger = logging.getLogger(__name__)

_MB = 1024 * 1024
_SNIFF_BYTES = 8192
# Among equally plausible single-byte decodings, the ones met in this project's sources come first:
# Windows-1251 for Russian-language sites, Windows-1252/Latin-1 for Western European ones
# (charset-normalizer otherwise may name cp1250 first, which turns "è" into "č").
# Measured: French Latin-1 text scores chaos 0.0 as cp1257 and 0.034 as cp1252, so a small margin
# is needed. Cost: Polish/Czech Windows-1250 text is read as Windows-1252 (rare in this project).
_CHAOS_TOLERANCE = 0.05
_PREFERRED_ENCODINGS = ("utf_8", "cp1251", "koi8_r", "cp1252", "latin_1", "cp1250", "iso8859_2")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.02
_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})["']""")


def megabytes(n: int) -> str:
    return f"{n / _MB:.1f} MB"


def short_hash(value: str) -> str:
    """The 16-hex-digit id used for records that carry no id of their own."""
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Signature:
    offset: int
    magic: bytes
    name: str


@dataclass(frozen=True)
class Sniffer:
    """Names binary formats by their leading bytes (table in ``binary_signatures.csv``)."""

    signatures: tuple[Signature, ...]

    @classmethod
    def packaged(cls) -> Sniffer:
        text = resources.files("bilat.ingest").joinpath("binary_signatures.csv").read_text("utf-8")
        rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
        sigs = tuple(Signature(int(r["offset"]), bytes.fromhex(r["hex"]), r["name"]) for r in rows)
        return cls(sigs)

    def identify(self, head: bytes) -> str | None:
        for sig in self.signatures:
            if head[sig.offset : sig.offset + len(sig.magic)] == sig.magic:
                return sig.name
        return None


@dataclass(frozen=True)
class ReadContext:
    """Everything a reader needs besides the file: the settings and the binary sniffer."""

    settings: Settings = field(default_factory=Settings)
    sniffer: Sniffer = field(default_factory=Sniffer.packaged)


def check_not_binary(head: bytes, sniffer: Sniffer) -> None:
    """Raise BinaryInput when the first bytes look like a binary format (UTF-16/32 BOMs are text)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    name = sniffer.identify(head)
    if name:
        raise BinaryInput(f"binary file ({name}), not text")
    if b"\x00" in head[:_SNIFF_BYTES]:
        raise BinaryInput("binary file (contains NUL bytes), not text")


def declared_charset(data: bytes) -> str | None:
    """The charset named in an XML declaration or an HTML meta tag near the top, if Python knows it."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _DECLARED_CHARSET.search(head)
    if not match:
        return None
    return valid_codec(match.group(1).decode("ascii", "ignore"))


def valid_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip()).name
    except (LookupError, ValueError):  # ValueError: a NUL inside the name (found by bench/fuzz_readers.py)
        return None
    # A page cannot really be UTF-16 if its meta tag was readable as ASCII (the HTML spec says the same).
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def decode_bytes(data: bytes, sniffer: Sniffer, declared: str | None = None) -> str:
    """Decode text of unknown encoding: BOM, then a declared charset, then UTF-8, then detection.

    Raises BinaryInput when the bytes are not text in any encoding.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(codec, errors="replace"))
    check_not_binary(data, sniffer)
    for codec in (valid_codec(declared), "utf-8"):
        if codec:
            try:
                return _checked(data.decode(codec))
            except (UnicodeDecodeError, LookupError):
                continue
    return _checked(_detect(data))


def _detect(data: bytes) -> str:
    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise BinaryInput("binary file (undecodable bytes), not text")
    # Candidates that read the bytes as well as the best one; pick the region's usual encoding.
    plausible = set(best.could_be_from_charset) | {
        m.encoding for m in results if m.chaos <= best.chaos + _CHAOS_TOLERANCE
    }
    for codec in _PREFERRED_ENCODINGS:
        if codec in plausible:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    logger.debug("decoded with detected encoding %s", best.encoding)
    return str(best)


def _checked(text: str) -> str:
    sample = text[:65536]
    if sample and len(_CONTROL_CHARS.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE:
        raise BinaryInput("binary file (control characters), not text")
    return text


def check_file_size(path: Path, settings: Settings) -> int:
    """Raise TooLarge or EmptyInput from the size on disk; return the size."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise TooLarge(
            f"file too large: {megabytes(size)} > limit {megabytes(settings.max_file_bytes)} (max_file_bytes)"
        )
    if size == 0:
        raise EmptyInput("empty file")
    return size


class LimitedReader(io.RawIOBase):
    """A read-only stream that raises TooLarge once more than ``limit`` bytes came out of it.

    Wrapped around a gzip stream it stops decompression bombs without reading them whole.
    """

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        try:
            chunk = self._stream.read(len(buffer))
        except EOFError as exc:
            raise MalformedInput(f"truncated gzip data: {one_line(exc)}") from exc
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise MalformedInput(f"corrupt gzip data: {one_line(exc)}") from exc
        self._count += len(chunk)
        if self._count > self._limit:
            raise TooLarge(
                f"decompressed data too large: more than {megabytes(self._limit)} (max_decompressed_bytes)"
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._stream.close()
        super().close()


def open_binary(path: Path, compressed: bool, settings: Settings) -> IO[bytes]:
    """Open a file for streaming; a .gz file is decompressed under max_decompressed_bytes."""
    if not compressed:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    raw = open(path, "rb")  # noqa: SIM115
    if raw.read(2) != b"\x1f\x8b":
        raw.close()
        raise MalformedInput("not a gzip file, although the name ends in .gz")
    raw.seek(0)
    limited = LimitedReader(gzip.GzipFile(fileobj=raw, mode="rb"), settings.max_decompressed_bytes)
    return io.BufferedReader(limited, buffer_size=64 * 1024)


def read_whole(path: Path, compressed: bool, settings: Settings) -> bytes:
    """Read a whole (small) file, decompressing .gz under the limit; raise EmptyInput if empty."""
    check_file_size(path, settings)
    with open_binary(path, compressed, settings) as stream:
        data = stream.read()
    if not data.strip():
        raise EmptyInput("empty file" if not data else "empty file (only whitespace)")
    return data


def iter_lines(stream: IO[bytes] | IO[str], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line bytes) from a stream, or (n, None) for a line longer than ``limit``,
    which is skipped without holding it in memory."""
    number = 0
    while True:
        line = _as_bytes(stream.readline(limit + 1))
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the overlong line
                rest = _as_bytes(stream.readline(64 * 1024))
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _as_bytes(chunk: bytes | str) -> bytes:
    return chunk.encode("utf-8", "surrogateescape") if isinstance(chunk, str) else chunk


def path_text(path: str | Path) -> str:
    """A file path as text that can be stored: a name that is not valid UTF-8 (a Windows or cp866
    archive unpacked here) keeps its undecodable bytes as ``\\xNN`` instead of failing the whole run."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
