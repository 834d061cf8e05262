"""The application shell: command line, watched folder, benches."""
