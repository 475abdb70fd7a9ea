"""Moodle's grading worksheet both ways and the feedback zip, on worksheets written as Moodle
writes them (tests/fixtures/moodle: French and English interfaces, a BOM, accents, a comma in
a name, two students with the same name, a student with no submission)."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from traitlets.config import Config

from coursekit.course import Course
from coursekit.grading import moodle
from coursekit.grading.final_grades import CellGrade, FinalGrade
from coursekit.grading.moodle_worksheet import (Worksheet, WorksheetError, feedback_zip, fill_worksheet,
                                                import_worksheet)

FIXTURES = Path(__file__).parent / "fixtures" / "moodle"
PARTICIPANTS = {"71": "helene_dupont_71", "72": "helene_dupont_72", "80": "ana_lima"}


def grade(student, *cells):
    return FinalGrade(student, tuple(CellGrade(f"c{i}_tests", s, m, True) for i, (s, m) in enumerate(cells)))


GRADES = {
    "helene_dupont_71": grade("helene_dupont_71", (10.0, 10.0), (8.5, 10.0)),
    "helene_dupont_72": FinalGrade("helene_dupont_72", (CellGrade("a_tests", 12.0, 16.0, True),
                                                        CellGrade("q1", None, 4.0, False))),
    "ana_lima": grade("ana_lima", (2.0, 10.0), (10.0, 10.0)),
}


def test_french_and_english_worksheets_are_read_by_participant_id():
    french = Worksheet.read(FIXTURES / "worksheet_fr.csv")
    assert sorted(french.participants()) == ["71", "72", "80", "95"]
    assert french.get(french.participants()["80"], "full_name") == "Lima, Ana"
    english = Worksheet.read(FIXTURES / "worksheet_en.csv")
    assert english.header[0] == "Identifier", "the byte-order mark is not part of the first title"
    assert sorted(english.participants()) == ["71", "95"]


def test_a_file_that_is_no_worksheet_is_refused_clearly(tmp_path):
    other = tmp_path / "grades.csv"
    other.write_text("student,total\nana,12\n", encoding="utf-8")
    with pytest.raises(WorksheetError, match="Identifier"):
        Worksheet.read(other)


def test_filled_worksheet_keeps_rows_and_columns_and_matches_by_participant(tmp_path):
    sheet = Worksheet.read(FIXTURES / "worksheet_fr.csv")
    problems = fill_worksheet(sheet, GRADES, PARTICIPANTS)
    out = tmp_path / "filled.csv"
    sheet.write(out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    original = list(csv.reader((FIXTURES / "worksheet_fr.csv").open(encoding="utf-8")))
    assert rows[0] == original[0] and [r[0] for r in rows] == [r[0] for r in original], "same columns, same order"
    by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["Participant 71"]["Note"] == "18,50", "the worksheet's own decimal comma"
    assert by_id["Participant 80"]["Note"] == "12,00" and by_id["Participant 80"]["Nom complet"] == "Lima, Ana"
    assert "À revoir : c0 (2 / 10)" in by_id["Participant 80"]["Commentaires de feedback"]
    pending = by_id["Participant 72"]
    assert pending["Note"] == "" and "4 pt en attente de correction" in pending["Commentaires de feedback"]
    assert by_id["Participant 95"] == dict(zip(original[0], original[4])), "no submission: the row stays as it was"
    assert problems == ["helene_dupont_72: 4 point(s) still to grade by hand, no grade written"]

    sheet = Worksheet.read(FIXTURES / "worksheet_fr.csv")
    fill_worksheet(sheet, GRADES, PARTICIPANTS, include_pending=True)
    assert sheet.get(sheet.participants()["72"], "grade") == "12,00"


def test_grades_are_scaled_to_the_moodle_maximum():
    sheet = Worksheet.read(FIXTURES / "worksheet_en.csv")
    fill_worksheet(sheet, GRADES, PARTICIPANTS)
    assert sheet.get(sheet.participants()["71"], "grade") == "9.25", "18.5 / 20 on a grade out of 10"


def test_feedback_zip_has_moodles_folder_layout(tmp_path):
    course = tmp_path / "course"
    for student in PARTICIPANTS.values():
        page = course / "feedback" / student / "tp2" / "tp2.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<p>{student}</p>", encoding="utf-8")
    archive = tmp_path / "feedback.zip"
    sheet = Worksheet.read(FIXTURES / "worksheet_fr.csv")
    assert feedback_zip(archive, Course(course, Config()), "tp2", sheet, PARTICIPANTS) == 3
    with zipfile.ZipFile(archive) as zf:
        names = sorted(zf.namelist())
        assert "Lima, Ana_80_assignsubmission_file_/tp2_retour.html" in names
        assert zf.read("Hélène Dupont_71_assignsubmission_file_/tp2_retour.html") == b"<p>helene_dupont_71</p>"
    folders = {moodle.FOLDER.match(name.split("/")[0])["participant"] for name in names}
    assert folders == {"71", "72", "80"}, "each folder names its participant as Moodle's own archives do"


def test_import_reports_who_is_on_one_side_only(tmp_path, caplog):
    caplog.set_level("INFO")
    import_worksheet(FIXTURES / "worksheet_fr.csv", Course(tmp_path, Config()), "tp2", {"71": "helene_dupont_71", "99": "intrus"})
    assert (tmp_path / "grades" / "tp2_moodle_worksheet.csv").is_file()
    assert "participant 99 (intrus) submitted but is not in the grading worksheet" in caplog.text
    assert "Zoé Absente (95)" in caplog.text
