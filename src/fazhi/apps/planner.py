"""The query planner's statistics, refreshed after bulk writes.

SQLite plans without statistics until ANALYZE runs: over a city's store it then reads one
station's month of duties through the index on state — most of 1.5 million rows — rather
than the unit index (6 s instead of 12 ms). PostgreSQL's autovacuum analyzes by itself, but
only once enough rows changed and some time later, so a bulk import analyzes at once there too.
"""

from __future__ import annotations

from django.db import connection

BULK = 10_000  # records written by one import from which the statistics are refreshed


def analyze() -> None:
    """Refresh the statistics of every table (a few seconds for a city's store)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def analyze_after(written: int) -> bool:
    """ANALYZE after a bulk write; small batches leave the statistics as they are."""
    if written < BULK:
        return False
    analyze()
    return True
