"""Where original upload files are kept: a content-addressed store keyed by sha256.

The service keeps every file as it was sent, so an assessment can be run again (rerun,
reassess) from the very bytes that were uploaded. The interface is two calls, so that a
bucket-backed store can replace the filesystem one without touching the callers.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app

from supplychain.errors import NotFound

_KEY = re.compile(r"[0-9a-f]{64}")


class Storage(Protocol):
    """Keep bytes under the key of their content; give them back by key."""

    def put(self, data: bytes) -> str:
        """Store the bytes (once per content) and return their key, the sha256 in hex."""
        ...

    def get(self, key: str) -> bytes:
        """Return the bytes stored under a key; NotFound if there are none."""
        ...

    def exists(self, key: str) -> bool:
        """Tell whether bytes are stored under a key."""
        ...


def content_key(data: bytes) -> str:
    """Return the key of some bytes: their sha256 in lower-case hex."""
    return hashlib.sha256(data).hexdigest()


class FileStorage:
    """Files under a folder, in sub-folders named by the first two hex digits of the key."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        # Keys are only ever our own hex digests; anything else could climb out of the folder.
        if not _KEY.fullmatch(key):
            raise NotFound(f"No stored file {key[:80]!r}.")
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        key = content_key(data)
        path = self._path(key)
        if path.is_file() and path.stat().st_size == len(data):
            return key  # the same content is stored already
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise NotFound(
                f"The original file {key[:12]}... is no longer in storage ({self.root})."
            ) from None

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except NotFound:
            return False


def storage_for(upload_dir: str | None, instance_path: str) -> Storage:
    """Return the store of a configuration: UPLOAD_DIR, else <instance>/uploads."""
    return FileStorage(upload_dir or Path(instance_path) / "uploads")


def get_storage() -> Storage:
    """Return the current app's store."""
    return storage_for(current_app.config.get("UPLOAD_DIR"), current_app.instance_path)
