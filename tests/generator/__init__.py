"""The sample generator."""
