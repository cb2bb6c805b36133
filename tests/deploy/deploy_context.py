"""The Docker build context as .dockerignore shapes it: which paths an image build can see, and a copy
of it for tests that run a Dockerfile's install step without an engine."""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore leaves ``path`` (relative to the repository) out of the build context."""
    parts = Path(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatch(part, pattern.removeprefix("**/")) for part in parts):
                return True
        elif any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            return True
    return False


def copy_build_context(target: Path) -> Path:
    """Copy what a `docker build .` at the repository root would send, into ``target``."""
    patterns = dockerignore_patterns()

    def skip(directory: str, names: list[str]) -> list[str]:
        relative = Path(directory).relative_to(REPO)
        return [name for name in names if ignored((relative / name).as_posix(), patterns)]

    shutil.copytree(REPO, target, ignore=skip, symlinks=True)
    return target
