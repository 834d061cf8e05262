"""Report writers: HTML report, the outbox index, page images, Chinese labels."""
