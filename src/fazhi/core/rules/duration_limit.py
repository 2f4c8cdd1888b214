"""`duration_limit`: a measure on a person that may not last longer than its limit (传唤、拘传
12/24 小时, 询问查证 8/12/24 小时, 继续盘问 12/24/48 小时).

The measure ends at its own `end` or at a `met_by` event (a measure that replaces it). Ended
after the limit: late, with the limit as due_at; still running past it at as_of: overdue.
Hour periods are exact elapsed time (C1) and never shift for holidays (C2).
"""

from fazhi.core.rules.timed import evaluate

__all__ = ["evaluate"]
