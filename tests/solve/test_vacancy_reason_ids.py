"""sections/vacancies.py: a vacancy reason names at most 8 teachers, then how many more (one readable line)."""

from vastaff.sections.vacancies import id_list


def test_a_few_teachers_are_all_named_in_order():
    assert id_list(["T3", "T1", "T2"]) == "T1, T2, T3"


def test_a_large_school_names_eight_and_counts_the_rest():
    ids = [f"T{i:05d}" for i in range(64, 0, -1)]
    assert id_list(ids) == "T00001, T00002, T00003, T00004, T00005, T00006, T00007, T00008 and 56 more"
