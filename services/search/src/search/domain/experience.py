"""Experience levels: each covers a half-open range of years (3 years is mid, not junior)."""

from enum import StrEnum


class ExperienceLevel(StrEnum):
    junior = "junior"
    mid = "mid"
    senior = "senior"
    staff = "staff"


YEARS: dict[ExperienceLevel, tuple[int, int | None]] = {
    ExperienceLevel.junior: (0, 3),
    ExperienceLevel.mid: (3, 7),
    ExperienceLevel.senior: (7, 12),
    ExperienceLevel.staff: (12, None),
}


def experience_level(years: int) -> ExperienceLevel:
    """The level whose range holds `years`."""
    for level, (low, high) in YEARS.items():
        if years >= low and (high is None or years < high):
            return level
    return ExperienceLevel.junior  # negative years never pass the event contract
