"""The programme checks (validators) and the subsidy."""
