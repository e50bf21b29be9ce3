"""How the people parts write grades, times and counts (vastaff.people.wording)."""

from vastaff.people.wording import counted, grades_phrase, hhmm


def test_grades_phrase():
    assert grades_phrase([9]) == "grade 9"
    assert grades_phrase([10, 9]) == "grades 9–10"
    assert grades_phrase([0, 1, 2, 5]) == "grades K–2, 5"
    assert grades_phrase([-2, -1, 0, 12]) == "grades UTK–K, 12"


def test_hhmm_and_counted():
    assert [hhmm(0), hhmm(9 * 60 + 5), hhmm(23 * 60 + 59)] == ["00:00", "09:05", "23:59"]
    assert [counted(0, "student"), counted(1, "student"), counted(2, "eligible teacher")] == [
        "0 students", "1 student", "2 eligible teachers"]
