"""Values and key fields, documents split and classified."""
