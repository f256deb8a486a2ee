"""Reading an uploaded or local file safely: a size limit checked before reading, strict UTF-8.

A file over the limit is refused from its size on disk, and at most limit + 1 bytes are ever read,
so a 20 MB file (or an endless device) costs nothing.
"""

from pathlib import Path

from .errors import ContentLoadError, ContentProblem

MAX_FILE_BYTES = 5 * 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def file_read_bytes(*, path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or a ContentLoadError if it cannot be read or is larger than `limit`."""
    name = str(path)
    too_big = f"the file is too large: the limit is {_megabytes(limit)}"
    try:
        if not path.is_file():
            raise ContentLoadError([ContentProblem(name, "there is no file here")])
        size = path.stat().st_size
        if size > limit:
            raise ContentLoadError([ContentProblem(name, f"{too_big} and this one is {_megabytes(size)}")])
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ContentLoadError([ContentProblem(name, f"the file cannot be read ({exc.strerror})")]) from None
    if len(data) > limit:
        raise ContentLoadError([ContentProblem(name, too_big)])
    return data


def utf8_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of byte `offset`, counting characters before it on its line."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def utf8_decode(*, data: bytes, file: str) -> str:
    """The text of a UTF-8 file (a leading byte order mark is dropped). Other encodings are refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_position(data, exc.start)
        raise ContentLoadError(
            [
                ContentProblem(
                    file,
                    f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read. "
                    "Save it as UTF-8 and try again",
                    line=line,
                    column=column,
                )
            ]
        ) from None
