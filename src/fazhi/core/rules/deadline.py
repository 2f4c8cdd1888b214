"""`deadline`: a duty to act within a period after a start event (拘留后三日内提请批捕 …).

Everything is in the point's data (starts_at, met_by, superseded_by, period, tiers,
extended_by, excluded_by, holiday_shift, lead_time, params.due_rule/findings/restarted_by);
the shared engine is `timed`.
"""

from fazhi.core.rules.timed import evaluate

__all__ = ["evaluate"]
