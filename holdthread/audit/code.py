"""A fingerprint of the code that decides a lint result: holdthread's files and the plugins'.

The audit cache and the resume checkpoint must not answer from results that older code produced.
The package version does not tell: it stays ``0.1.0`` through a checkout upgrade or a local edit
of a rule or a word list. So the fingerprint hashes what is installed: every ``.py`` and
``.yaml`` file under the ``holdthread`` package (rules, their word lists and case tables, the
text model, presets, whatever folders they move to), and for each third-party plugin its
distribution's name and version plus the same files of its top-level package.

Hashing a few hundred small files takes milliseconds; it is done once per process.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

import holdthread
from holdthread.linter.plugins import default_plugin_manager

#: The files whose content can change a result: code and the data files rules read.
SUFFIXES = frozenset({".py", ".yaml", ".yml"})


def package_files(root: Path) -> list[Path]:
    """Code and data files under ``root``, in a stable order (caches and bytecode left out)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts
    )


def hash_tree(root: Path) -> bytes:
    """A digest of ``root``: a file (its bytes) or a folder (each code and data file's path and bytes)."""
    if root.is_file():
        return hashlib.sha256(root.read_bytes()).digest()
    digest = hashlib.sha256()
    for path in package_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def _plugin_roots() -> Iterable[tuple[str, Path | None]]:
    """``name==version`` of each plugin distribution, with the folder (or file) of its top package."""
    for plugin, dist in default_plugin_manager().list_plugin_distinfo():
        module = sys.modules.get(getattr(plugin, "__name__", "").split(".")[0])
        location = getattr(module, "__file__", None)
        root = None
        if location:
            path = Path(location)
            root = path.parent if path.name == "__init__.py" else path
        yield f"{dist.project_name}=={dist.version}", root


def fingerprint(package_root: Path | None = None) -> str:
    """A hex digest of holdthread's code and data files and the installed plugins."""
    digest = hashlib.sha256(hash_tree(package_root or Path(holdthread.__file__).parent))
    for name, root in sorted(_plugin_roots(), key=lambda item: item[0]):
        digest.update(b"\0plugin\0" + name.encode("utf-8"))
        if root is not None and root.exists():
            digest.update(hash_tree(root))
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """This process's :func:`fingerprint` of the installed code, computed once."""
    return fingerprint()
