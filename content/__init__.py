"""Question banks: the data and its parser. No UI, no audio."""
