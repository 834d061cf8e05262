"""The report: JSON, HTML (in a browser), the outbox index, the Chinese vocabulary."""
