"""The patrol in the store: obligations derived from each case's events, the warnings they
raise, and the warnings' lifecycle (签收, 备注, 核销申请与审批, 整改) and escalation.

`services` is the one write path; `selectors` the reads (lists, rates, 三清)."""
