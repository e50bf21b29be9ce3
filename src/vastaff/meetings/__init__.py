"""The meetings calendar (`vastaff meetings`, Article 4.0 C; rules A4.1-A4.3): as many requested meetings as the
rules allow, spread evenly over each request's window, and why the others cannot be held."""

from vastaff.meetings.api import MeetingSettings, MeetingsResult, schedule_meetings

__all__ = ["MeetingSettings", "MeetingsResult", "schedule_meetings"]
