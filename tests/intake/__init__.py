"""Opening bundles: folders and zips, bad and hostile files, faults, fuzzing."""
