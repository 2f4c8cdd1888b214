"""积分考评: assessment inputs, the append-only points ledger, appeals and rankings."""
