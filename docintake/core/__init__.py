"""The core every layer stands on: document model, settings, vocabulary, masking, file I/O."""
