"""The command line, the watched folder, Prefect flows, settings and benches."""
