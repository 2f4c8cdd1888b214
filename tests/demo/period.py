"""The period every shared generated bureau covers."""

from datetime import date, datetime

FROM, TO = date(2025, 7, 1), date(2026, 6, 30)
CUTOFF = datetime(2026, 6, 30, 23, 59, 59)  # date_to 23:59:59: nothing may come after it
