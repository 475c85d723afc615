"""Every HTTP router of booking, in the order their paths must be matched."""

from booking.entrypoints import (
    calendar_api,
    calendar_feed_api,
    instructor_api,
    mentors_api,
    sessions_api,
)

# `/mentors/me/sessions` (sessions) before `/mentors/{mentor_id}` (mentors).
ALL = [
    instructor_api.router,
    sessions_api.router,
    calendar_api.router,
    calendar_feed_api.router,
    mentors_api.router,
]
