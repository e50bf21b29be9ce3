"""The course catalogue every VA school draws from: elementary homerooms, TK/UTK, and secondary courses
grouped by subject into offerings (a year course, or a semester-1 course paired with a semester-2 course)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

GRADES = np.arange(-2, 13)                 # UTK=-2, TK=-1, K=0, 1..12: the columns of the weight matrix
LEVEL_LETTER = {"elementary": "E", "middle": "M", "high": "H"}
CREDENTIAL = {"elementary": "multiple_subject", "early_childhood": "early_childhood"}
PROGRAM = {"eld": "eld", "special_education": "special_education"}

MS, HS = {6: 1, 7: 1, 8: 1}, {9: 1, 10: 1, 11: 1, 12: 1}
UPPER = {11: 1, 12: 1}

# level -> subject -> offerings; an offering is one year course or a (semester 1, semester 2) pair.
# A course is (code, title, semester, {grade: weight}).
SECONDARY = {
    "middle": {
        "math": [[("MATH6", "Math 6", "year", {6: 1})], [("MATH7", "Math 7", "year", {7: 1})],
                 [("AMATH7", "Accelerated Math 7", "year", {7: 1})], [("MATH8", "Math 8", "year", {8: 1})],
                 [("ALG1", "Algebra 1", "year", {8: 1})]],
        "english": [[("ENG6", "English 6", "year", {6: 1})], [("ENG7", "English 7", "year", {7: 1})],
                    [("ENG8", "English 8", "year", {8: 1})],
                    [("CWRIT", "Creative Writing", "1", {7: 1, 8: 1}), ("JOURN", "Journalism", "2", {7: 1, 8: 1})]],
        "science": [[("SCI6", "Science 6", "year", {6: 1})], [("LIFE7", "Life Science 7", "year", {7: 1})],
                    [("PHYS8", "Physical Science 8", "year", {8: 1})]],
        "social_science": [[("ANC6", "Ancient Civilizations 6", "year", {6: 1})],
                           [("WHIST7", "World History 7", "year", {7: 1})],
                           [("USH8", "US History 8", "year", {8: 1})]],
        "world_language": [[("SPAN1", "Spanish 1", "year", {7: 1, 8: 2})],
                           [("SPSS", "Spanish for Spanish Speakers", "year", MS)]],
        "pe": [[("PE6", "Physical Education 6", "year", {6: 1})], [("PE7", "Physical Education 7", "year", {7: 1})],
               [("PE8", "Physical Education 8", "year", {8: 1})]],
        "art": [[("ART1", "Art 1", "1", MS), ("DART", "Digital Art", "2", MS)], [("CERAM", "Ceramics", "year", MS)]],
        "music": [[("BAND", "Band", "year", MS)], [("CHOIR", "Choir", "year", MS)]],
        "cte": [[("CSD", "Computer Science Discoveries", "1", {7: 1, 8: 1}), ("ROBOT", "Robotics", "2", {7: 1, 8: 1})],
                [("KEYB", "Keyboarding", "1", MS)]],
        "eld": [[("ELD1", "ELD 1", "year", MS)], [("ELD2", "ELD 2", "year", MS)], [("ELD3", "ELD 3", "year", MS)]],
        "special_education": [[("SDCENG", "SDC English", "year", MS)], [("SDCMATH", "SDC Math", "year", MS)],
                              [("SDCSCI", "SDC Science", "year", MS)], [("SDCSOC", "SDC Social Studies", "year", MS)],
                              [("SOCSK", "Social Skills", "1", MS), ("STUDY", "Study Skills", "2", MS)]],
    },
    "high": {
        "math": [[("ALG1", "Algebra 1", "year", {9: 6, 10: 2, 11: 1})], [("HALG1", "Honors Algebra 1", "year", {9: 1})],
                 [("GEOM", "Geometry", "year", {9: 2, 10: 6, 11: 1})],
                 [("HGEOM", "Honors Geometry", "year", {9: 3, 10: 1})],
                 [("ALG2", "Algebra 2", "year", {10: 2, 11: 6, 12: 1})],
                 [("PRECALC", "Precalculus", "year", {11: 3, 12: 2})],
                 [("CALCAB", "AP Calculus AB", "year", {11: 1, 12: 3})],
                 [("STATS", "Statistics", "1", UPPER), ("FINMATH", "Financial Math", "2", UPPER)]],
        "english": [[("ENG9", "English 9", "year", {9: 1})], [("ENG10", "English 10", "year", {10: 1})],
                    [("HENG10", "Honors English 10", "year", {10: 1})], [("ENG11", "English 11", "year", {11: 1})],
                    [("APLANG", "AP English Language", "year", {11: 1})], [("ENG12", "English 12", "year", {12: 1})],
                    [("APLIT", "AP English Literature", "year", {12: 1})]],
        "science": [[("BIO", "Biology", "year", {9: 5, 10: 3, 11: 1})],
                    [("CHEM", "Chemistry", "year", {10: 4, 11: 4, 12: 1})],
                    [("HCHEM", "Honors Chemistry", "year", {10: 1, 11: 1})],
                    [("PHYSICS", "Physics", "year", {11: 1, 12: 1})],
                    [("EARTH", "Earth and Space Science", "year", HS)],
                    [("APBIO", "AP Biology", "year", UPPER)],
                    [("MARINE", "Marine Biology", "1", UPPER), ("FORENS", "Forensic Science", "2", UPPER)]],
        "social_science": [[("ETHN", "Ethnic Studies", "1", {9: 1}), ("GEOG", "Geography", "2", {9: 1})],
                           [("WHIST", "World History", "year", {10: 1})], [("USH", "US History", "year", {11: 1})],
                           [("APUSH", "AP US History", "year", {11: 1})],
                           [("GOVT", "Government", "1", {12: 1}), ("ECON", "Economics", "2", {12: 1})],
                           [("PSYCH", "Psychology", "1", {10: 1, 11: 1, 12: 1}),
                            ("SOCIO", "Sociology", "2", {10: 1, 11: 1, 12: 1})]],
        "world_language": [[("SPAN1", "Spanish 1", "year", {9: 4, 10: 3, 11: 2, 12: 1})],
                           [("SPAN2", "Spanish 2", "year", {9: 1, 10: 4, 11: 3, 12: 2})],
                           [("SPAN3", "Spanish 3", "year", {10: 1, 11: 3, 12: 3})],
                           [("APSPAN", "AP Spanish Language", "year", {11: 1, 12: 2})],
                           [("FREN1", "French 1", "year", HS)], [("MAND1", "Mandarin 1", "year", HS)]],
        "pe": [[("PE9", "Physical Education 9", "year", {9: 1})], [("PE10", "Physical Education 10", "year", {10: 1})],
               [("FITNESS", "Fitness and Conditioning", "year", UPPER)],
               [("YOGA", "Yoga", "1", UPPER), ("TEAMSP", "Team Sports", "2", UPPER)]],
        "art": [[("ART1", "Art 1", "year", HS)],
                [("DRAW", "Drawing and Painting", "1", {10: 1, 11: 1, 12: 1}),
                 ("CERAM", "Ceramics", "2", {10: 1, 11: 1, 12: 1})],
                [("PHOTO", "Digital Photography", "year", HS)], [("APARTH", "AP Art History", "year", UPPER)]],
        "music": [[("MUSAPP", "Music Appreciation", "year", HS)], [("BAND", "Band", "year", HS)],
                  [("CHOIR", "Choir", "year", HS)]],
        "cte": [[("INTROCS", "Intro to Computer Science", "year", {9: 1, 10: 1})],
                [("APCSP", "AP Computer Science Principles", "year", {10: 1, 11: 1, 12: 1})],
                [("WEB", "Web Design", "1", {10: 1, 11: 1, 12: 1}),
                 ("GAME", "Game Design", "2", {10: 1, 11: 1, 12: 1})],
                [("BUSFIN", "Business Finance", "year", HS)]],
        "eld": [[("ELD1", "ELD 1", "year", HS)], [("ELD2", "ELD 2", "year", HS)], [("ELD3", "ELD 3", "year", HS)]],
        "special_education": [[("SDCENG", "SDC English", "year", HS)], [("SDCMATH", "SDC Math", "year", HS)],
                              [("SDCSCI", "SDC Science", "year", HS)], [("SDCUSH", "SDC US History", "year", HS)],
                              [("LIFESK", "Life Skills", "year", HS)],
                              [("TRANS", "Transition Skills", "1", UPPER), ("CAREER", "Career Readiness", "2", UPPER)]],
    },
}

# Elementary: one homeroom course per grade (program general), TK and UTK, and a special day program.
ELEMENTARY = [
    ("UTK", "Universal Transitional Kindergarten", "early_childhood", "utk", {-2: 1}),
    ("TK", "Transitional Kindergarten", "early_childhood", "tk", {-1: 1}),
    ("K", "Kindergarten Homeroom", "elementary", "general", {0: 1}),
    *[(f"G{g}", f"Grade {g} Homeroom", "elementary", "general", {g: 1}) for g in range(1, 6)],
    ("SDC", "Special Day Program", "special_education", "special_education", {g: 1 for g in range(0, 6)}),
]


@lru_cache(maxsize=1)
def catalogue() -> pd.DataFrame:
    """One row per catalogue course: level, code, title, subject, credential, program, semester, offering,
    and `_w` (row of the grade-weight matrix); the same for every school."""
    rows = []
    for code, title, subject, program, _ in ELEMENTARY:
        rows.append(("elementary", code, title, "elementary" if program == "general" else subject,
                     CREDENTIAL.get(subject, subject), program, "year", f"E-{code}"))
    for level, subjects in SECONDARY.items():
        for subject, offerings in subjects.items():
            for courses in offerings:
                offering = f"{LEVEL_LETTER[level]}-" + "/".join(c[0] for c in courses)
                for code, title, semester, _ in courses:
                    rows.append((level, code, title, subject, subject, PROGRAM.get(subject, "general"),
                                 semester, offering))
    frame = pd.DataFrame(rows, columns=["level", "code", "title", "subject", "credential", "program",
                                        "semester", "offering"])
    frame["_w"] = np.arange(len(frame))
    return frame


@lru_cache(maxsize=1)
def grade_weights() -> np.ndarray:
    """Matrix (catalogue course x GRADES) of relative enrollment by grade; zero where a course has no students."""
    weights = [w for *_, w in ELEMENTARY]
    for subjects in SECONDARY.values():
        for offerings in subjects.values():
            weights += [c[3] for courses in offerings for c in courses]
    matrix = np.zeros((len(weights), len(GRADES)))
    for i, w in enumerate(weights):
        for grade, value in w.items():
            matrix[i, grade - GRADES[0]] = value
    return matrix


def offerings() -> pd.DataFrame:
    """One row per secondary offering: level, offering, credential, program, lowest and highest grade taught."""
    cat = catalogue()
    cat = cat[cat.level != "elementary"]
    w = grade_weights()[cat._w.to_numpy()] > 0
    lo = GRADES[w.argmax(axis=1)]
    hi = GRADES[len(GRADES) - 1 - w[:, ::-1].argmax(axis=1)]
    cat = cat.assign(lo=lo, hi=hi)
    return (cat.groupby(["level", "offering", "credential", "program"], sort=True)
            .agg(lo=("lo", "min"), hi=("hi", "max")).reset_index())


def course_id(school_id: pd.Series, level: pd.Series, code: pd.Series) -> pd.Series:
    """District-unique course ID, e.g. VA01-H-ALG1."""
    return school_id + "-" + level.map(LEVEL_LETTER) + "-" + code
