"""Teachers: who works where (school, level, department, role), what they may teach, and their seniority."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.common import Context, pick_member

UTK, TK, K = -2, -1, 0
ELEMENTARY_PRIORITY = [K, 1, 2, 3, 4, 5, TK, UTK]       # every grade staffed before any grade gets a second
ELEMENTARY_GRADES = np.array([UTK, TK, K, 1, 2, 3, 4, 5])
ELEMENTARY_WEIGHTS = np.array([0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
SUBJECTS = {  # level -> (subjects staffed first, in order; weights of the rest)
    "middle": (["math", "english", "science", "social_science", "pe", "art", "world_language", "music", "cte"],
               {"math": .18, "english": .18, "science": .14, "social_science": .14, "pe": .12,
                "world_language": .07, "art": .07, "music": .05, "cte": .05}),
    "high": (["math", "english", "science", "social_science", "world_language", "pe", "art", "cte", "music"],
             {"math": .16, "english": .16, "science": .14, "social_science": .14, "world_language": .10,
              "pe": .10, "art": .07, "music": .05, "cte": .08}),
}
CONTENT = ["math", "english", "science", "social_science"]
SECOND_CREDENTIAL = {"english": ("eld", .45), "social_science": ("eld", .10), "math": ("science", .08),
                     "science": ("math", .08)}
SENIORITY_YEARS, LATEST_HIRE_YEAR = 30, 2025     # hires from August 1996 to spring 2026
LEVEL_RANGE = {"elementary": (K, 5), "middle": (6, 8), "high": (9, 12)}
FIRST = ["Maria", "James", "Ana", "David", "Linda", "Jose", "Karen", "Michael", "Rosa", "Kevin", "Grace", "Luis",
         "Patricia", "Daniel", "Yesenia", "Robert", "Mei", "Carlos", "Angela", "Thomas", "Sofia", "Brian", "Irene",
         "Miguel", "Nancy", "Steven", "Lupe", "Anthony", "Diana", "Hector", "Julie", "Eric", "Veronica", "Andre",
         "Gloria", "Paul", "Jasmine", "Oscar", "Helen", "Victor", "Erika", "Samuel", "Teresa", "Raymond", "Monica",
         "Jorge", "Alicia", "Kenji", "Fatima", "Omar", "Leticia", "Dennis", "Priya", "Arturo", "Sandra", "Tuan",
         "Claudia", "Marcus", "Esther", "Ricardo"]
LAST = ["Garcia", "Hernandez", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Perez", "Sanchez", "Ramirez",
        "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Cruz", "Morales", "Ortiz", "Gutierrez", "Chavez",
        "Kim", "Nguyen", "Lee", "Park", "Chen", "Wong", "Tran", "Santos", "Smith", "Johnson", "Williams", "Brown",
        "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White",
        "Harris", "Martin", "Thompson", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
        "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker",
        "Collins", "Edwards", "Stewart", "Sato", "Tanaka", "Patel", "Shah", "Khan", "Ali", "Cohen", "Levy",
        "Okafor", "Mensah", "Petrosyan", "Sarkisian", "Vasquez", "Castillo"]


def role_counts(n: int) -> tuple[int, int, int]:
    """(resource specialists, special-education classroom teachers, general classroom teachers) of a level."""
    specialists = int(n >= 5) + n // 25
    special_ed = int(n >= 9) + n // 18
    return specialists, special_ed, n - specialists - special_ed


def level_staff(ctx: Context, school_id: str, level: str, n: int) -> pd.DataFrame:
    """The teachers of one school level: specialists, special-education and general classroom teachers,
    each general teacher with a home grade (elementary) or subject (secondary)."""
    rng = ctx.rng.staff
    rsp, sped, general = role_counts(n)
    grade = np.full(n, np.nan)
    subject = np.full(n, "", dtype=object)
    if level == "elementary":
        extra = rng.choice(ELEMENTARY_GRADES, size=max(0, general - len(ELEMENTARY_PRIORITY)),
                           p=ELEMENTARY_WEIGHTS / ELEMENTARY_WEIGHTS.sum())
        grade[rsp + sped:] = np.concatenate([ELEMENTARY_PRIORITY, extra])[:general]
    else:
        first, weights = SUBJECTS[level]
        extra = rng.choice(list(weights), size=max(0, general - len(first)), p=list(weights.values()))
        subject[rsp + sped:] = np.concatenate([first, extra])[:general]
    return pd.DataFrame({
        "school_id": school_id,
        "level": level,
        "department": ["special_education"] * (rsp + sped) + ["general"] * general,
        "role": ["resource_specialist"] * rsp + ["classroom"] * (sped + general),
        "_grade": grade,
        "_subject": subject,
    })


def build_staff(ctx: Context, headcounts: pd.DataFrame) -> pd.DataFrame:
    """Every teacher with credentials and grade authorizations, in random (ID) order."""
    frames = [level_staff(ctx, s, lv, n) for s, lv, n in zip(headcounts.school_id, headcounts.level, headcounts.n)]
    staff = pd.concat(frames, ignore_index=True)
    staff = staff.iloc[ctx.rng.staff.permutation(len(staff))].reset_index(drop=True)
    staff.insert(0, "teacher_id", [f"T{i + 1:05d}" for i in range(len(staff))])
    staff = add_credentials(ctx, staff)
    staff = add_grade_ranges(ctx, staff)
    staff.insert(1, "name", teacher_names(ctx, len(staff)))
    return add_seniority(ctx, staff)


def add_credentials(ctx: Context, t: pd.DataFrame) -> pd.DataFrame:
    """credentials: multiple_subject (+ early_childhood for TK/UTK), the subject's credential, special_education,
    plus a realistic sprinkle of second credentials (English + ELD, math + science, ...)."""
    rng = ctx.rng.staff
    n = len(t)
    u = rng.random((n, 3))
    elementary, sped = t.level.eq("elementary").to_numpy(), t.department.eq("special_education").to_numpy()
    general_sec = ~elementary & ~sped
    base = np.where(sped, "special_education", np.where(elementary, "multiple_subject", t._subject.to_numpy()))
    extra = np.full(n, "", dtype=object)
    early = elementary & ~sped & ((t._grade.to_numpy() < K) | ((t._grade.to_numpy() == K) & (u[:, 0] < .15)))
    extra[early] = ";early_childhood"
    extra[elementary & ~sped & ~early & (u[:, 0] > .75)] = ";eld"
    for subject, (credential, p) in SECOND_CREDENTIAL.items():
        extra[general_sec & (t._subject.to_numpy() == subject) & (u[:, 1] < p)] = ";" + credential
    extra[general_sec & (u[:, 2] < .03)] += ";special_education"
    extra[sped & elementary & (u[:, 1] < .5)] = ";multiple_subject"
    content = np.array(CONTENT, dtype=object)[rng.integers(0, len(CONTENT), n)]
    sped_content = sped & ~elementary & t.role.eq("classroom").to_numpy() & (u[:, 1] < .2)
    extra[sped_content] = ";" + content[sped_content]
    return t.assign(credentials=base + extra)


def add_grade_ranges(ctx: Context, t: pd.DataFrame) -> pd.DataFrame:
    """grade_min..grade_max: the level's grades, TK/UTK teachers UTK..3, a few narrower or 6..12 secondary."""
    rng = ctx.rng.staff
    u = rng.random(len(t))
    lo = t.level.map({lv: r[0] for lv, r in LEVEL_RANGE.items()}).to_numpy().astype(int)
    hi = t.level.map({lv: r[1] for lv, r in LEVEL_RANGE.items()}).to_numpy().astype(int)
    g = t._grade.to_numpy()
    general = t.department.eq("general").to_numpy()
    classroom = t.role.eq("classroom").to_numpy()
    early = t.credentials.str.contains("early_childhood").to_numpy()
    lo[early] = TK                          # kindergarten teachers with early childhood: TK..5
    tk = early & (g < K)                    # TK/UTK teachers: UTK..3
    lo[tk], hi[tk] = UTK, 3
    hi[general & ~early & (g >= K) & (g <= 3) & (u < .12)] = 3      # a few primary-only (K..3)
    lo[general & (g >= 4) & (u < .12)] = 3                          # a few upper-only (3..5)
    secondary = t.level.isin(["middle", "high"]).to_numpy() & classroom
    wide = secondary & (u > .78)
    lo[wide], hi[wide] = 6, 12
    narrow = secondary & general & t.level.eq("high").to_numpy() & (u < .05)
    lo[narrow] = 10
    return t.assign(grade_min=lo, grade_max=hi)


def teacher_names(ctx: Context, n: int) -> np.ndarray:
    """'First Last' from common Los Angeles names (duplicates happen, as in any district)."""
    rng = ctx.rng.staff
    first = np.array(FIRST, dtype=object)[rng.integers(0, len(FIRST), n)]
    last = np.array(LAST, dtype=object)[rng.integers(0, len(LAST), n)]
    return first + " " + last


def add_seniority(ctx: Context, t: pd.DataFrame) -> pd.DataFrame:
    """seniority_date over 30 years (most hires on an August start day, so dates tie), a few copied from a
    colleague of the same school; seniority_tiebreak numbers each date's teachers 1, 2, ... (a lottery)."""
    rng = ctx.rng.staff
    n = len(t)
    years_ago = np.floor(SENIORITY_YEARS * rng.beta(1.4, 2.4, n)).astype(int)
    year = (LATEST_HIRE_YEAR - years_ago - 1970).astype("datetime64[Y]")
    august = year.astype("datetime64[M]") + 7
    start_day = august.astype("datetime64[D]") + 9 + rng.integers(0, 11, n)
    any_day = august.astype("datetime64[D]") + rng.integers(0, 300, n)
    dates = np.where(rng.random(n) < .65, start_day, any_day)
    dates = copy_colleague_dates(ctx, t.school_id.to_numpy(), dates)
    lottery = rng.random(n)
    frame = pd.DataFrame({"d": dates, "lot": lottery})
    tiebreak = frame.sort_values(["d", "lot"], kind="stable").groupby("d").cumcount() + 1
    return t.assign(seniority_date=pd.to_datetime(dates).strftime("%Y-%m-%d"),
                    seniority_tiebreak=tiebreak.sort_index().to_numpy())


def copy_colleague_dates(ctx: Context, school: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """About 6% of teachers (at least one per school of two or more) share the exact date of a colleague
    of the same school whose own date is kept, so every copy is a real tie."""
    rng = ctx.rng.staff
    frame = pd.DataFrame({"school": school, "i": np.arange(len(school))})
    pos = frame.groupby("school").cumcount().to_numpy()
    chosen = (pos > 0) & ((pos == 1) | (rng.random(len(frame)) < .06))
    sources = frame[~chosen]
    copies = frame[chosen]
    source = pick_member(sources, ["school"], "i", copies, rng.random(len(copies)))
    out = dates.copy()
    out[copies.i.to_numpy()] = dates[source.astype(int)]
    return out
