"""File names as bytes come: one shown form for messages, the database and review pages.

A POSIX file name is any bytes but NUL and ``/``; Python hands names that are not UTF-8 over as
strings with lone surrogates (``os.fsdecode``), which SQLite, JSON and terminals refuse. `shown`
turns each such byte into ``\\xNN`` (the form a shell's ``$'...'`` quoting reads back) and leaves
every valid name exactly as it is; `unshown` goes back, so a shown name can be pasted as an argument.
"""

from __future__ import annotations

import os
import re

_ESCAPE_RE = re.compile(r"\\x([0-9a-fA-F]{2})")


def shown(path: str | bytes | os.PathLike[str]) -> str:
    r"""The name as stored and printed: valid UTF-8 unchanged, any other byte as ``\xNN``.

    >>> shown("Östersund.txt")
    'Östersund.txt'
    >>> shown(b"bad\xe9name.txt")
    'bad\\xe9name.txt'
    >>> shown(os.fsdecode(b"bad\xe9name.txt"))
    'bad\\xe9name.txt'
    """
    name = os.fsdecode(path)
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that was never a byte: keep it visible
        return name.encode("utf-8", "backslashreplace").decode("ascii")
    return raw.decode("utf-8", "backslashreplace")


def unshown(name: str) -> str:
    r"""The file name a shown form stands for (``\xNN`` back to its byte), for names typed or pasted.

    >>> os.fsencode(unshown(r"bad\xe9name-é.txt"))
    b'bad\xe9name-\xc3\xa9.txt'
    """
    if "\\x" not in name:
        return name
    raw, last = bytearray(), 0
    for m in _ESCAPE_RE.finditer(name):
        raw += name[last : m.start()].encode("utf-8", "surrogateescape") + bytes(
            [int(m.group(1), 16)]
        )
        last = m.end()
    raw += name[last:].encode("utf-8", "surrogateescape")
    return os.fsdecode(bytes(raw))


def existing(name: str) -> str:
    """`name` itself when it exists, else the name its escapes stand for when that one exists."""
    if "\\x" in name and not os.path.lexists(name):
        original = unshown(name)
        if os.path.lexists(original):
            return original
    return name


__all__ = ["existing", "shown", "unshown"]
