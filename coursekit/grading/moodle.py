"""Importing Moodle's "download all submissions" archive into nbgrader's submitted/ folder.

Moodle names each folder `<Full Name>_<participant id>_assignsubmission_file_` and keeps the
student's own file name (`tp2 (1).ipynb`). Student ids become ASCII slugs of the names
(accents dropped); two students with the same name keep their participant id as a suffix.
Files are extracted as they are (the grader finds the notebook whatever its name); members
with unsafe paths are skipped.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FOLDER = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assign(?:submission|feedback)_\w+?_?$")


@dataclass(frozen=True)
class Imported:
    student: str
    full_name: str
    files: tuple[str, ...]


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "student"


def import_archive(archive: Path, course: Path, assignment: str) -> list[Imported]:
    """Extract every submission into submitted/<student>/<assignment>/; returns who was imported."""
    groups: dict[tuple[str, str], list[zipfile.ZipInfo]] = {}
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if info.is_dir() or len(parts) < 2 or ".." in parts or parts[0].startswith("/"):
                continue
            match = FOLDER.match(parts[0])
            if match:
                groups.setdefault((match["name"].strip(), match["participant"]), []).append(info)
        names = [name for name, _ in groups]
        imported = []
        for (name, participant), members in sorted(groups.items()):
            student = slug(name) if names.count(name) == 1 else f"{slug(name)}_{participant}"
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            files = []
            for info in members:
                relative = PurePosixPath(*PurePosixPath(info.filename.replace("\\", "/")).parts[1:])
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
                files.append(str(relative))
            imported.append(Imported(student, name, tuple(files)))
    return imported
