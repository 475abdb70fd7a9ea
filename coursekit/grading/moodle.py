"""Importing Moodle's "download all submissions" archive into nbgrader's submitted/ folder.

Moodle names each folder `<Full Name>_<participant id>_assignsubmission_file_` and keeps the
student's own file name (`tp2 (1).ipynb`). A student is their participant id: student ids are
ASCII slugs of the names (accents dropped), and participants whose slugs collide ("Hélène
Dupont" and "Helene Dupont", or two "Jean Martin") keep their participant id as a suffix, so two
people never merge. Files are extracted as they are (the grader finds the notebook whatever its
name), streamed with caps on their size, depth and number; a member that cannot be extracted
(an unsafe path, a file where a folder is, a zip bomb) is skipped with a reason, never stopping
the import.
"""
from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FOLDER = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assign(?:submission|feedback)_\w+?_?$")
MAX_MEMBER_BYTES = 100 * 2**20   # one submitted file, uncompressed
MAX_ARCHIVE_BYTES = 8 * 2**30    # everything extracted from one archive
MAX_MEMBERS = 20_000             # members read from one archive
MAX_FILES_PER_STUDENT = 200
MAX_DEPTH = 16                   # folders below the student's own
CHUNK = 2**20

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Imported:
    student: str
    full_name: str
    participant: str  # Moodle's participant id, kept as nbgrader's lms_user_id
    files: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # "<member>: <reason>" for each file left out


class _Refused(Exception):
    """A member beyond the caps: too large, too deep, one file too many."""


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "student"


def _participants(zf: zipfile.ZipFile) -> dict[str, tuple[str, list[tuple[zipfile.ZipInfo, PurePosixPath]]]]:
    """participant id -> (full name, [(member, path below the student's folder)])."""
    found: dict[str, tuple[str, list]] = {}
    for number, info in enumerate(zf.infolist()):
        if number >= MAX_MEMBERS:
            log.warning("Moodle archive: more than %d members, the rest is ignored", MAX_MEMBERS)
            break
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if info.is_dir() or len(parts) < 2 or ".." in parts or parts[0].startswith("/"):
            continue
        match = FOLDER.match(parts[0])
        if not match:
            log.warning("Moodle archive: %r is in no student's folder, ignored", info.filename[:200])
            continue
        name, members = found.setdefault(match["participant"], (match["name"].strip(), []))
        members.append((info, PurePosixPath(*parts[1:])))
    return found


def _student_ids(participants: dict) -> dict[str, str]:
    """participant id -> student id: the slug of the name, plus the participant id where slugs collide."""
    slugs = {participant: slug(name) for participant, (name, _) in participants.items()}
    taken = list(slugs.values())
    return {participant: s if taken.count(s) == 1 else f"{s}_{participant}" for participant, s in slugs.items()}


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: list[int]) -> None:
    """Stream one member to `target`, stopping at the per-file and per-archive caps."""
    limit = min(MAX_MEMBER_BYTES, budget[0])
    if info.file_size > limit:
        raise _Refused(f"{info.file_size} bytes once extracted (limit {limit})")
    written = 0
    try:
        with zf.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > limit:  # the size the archive declared was a lie
                    raise _Refused(f"more than {limit} bytes once extracted")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        budget[0] -= written


def import_archive(archive: Path, submitted: Path, assignment: str) -> list[Imported]:
    """Extract every submission into <submitted>/<student>/<assignment>/; returns who was imported."""
    imported = []
    budget = [MAX_ARCHIVE_BYTES]
    with zipfile.ZipFile(archive) as zf:
        participants = _participants(zf)
        students = _student_ids(participants)
        for participant, (name, members) in sorted(participants.items(), key=lambda item: students[item[0]]):
            folder = submitted / students[participant] / assignment
            folder.mkdir(parents=True, exist_ok=True)
            files, skipped = [], []
            for info, relative in members:
                try:
                    if len(files) >= MAX_FILES_PER_STUDENT:
                        raise _Refused(f"more than {MAX_FILES_PER_STUDENT} files")
                    if len(relative.parts) > MAX_DEPTH + 1:
                        raise _Refused(f"{len(relative.parts) - 1} folders deep (limit {MAX_DEPTH})")
                    target = folder.joinpath(*relative.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _extract(zf, info, target, budget)
                    files.append(str(relative))
                except (OSError, _Refused, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as error:
                    # a file where a folder is, a name the disk refuses, a bomb, a damaged or encrypted member
                    reason = f"{str(relative)[:200]}: {type(error).__name__}: {str(error)[:200]}"
                    skipped.append(reason)
            imported.append(Imported(students[participant], name, participant, tuple(files), tuple(skipped)))
    return imported
