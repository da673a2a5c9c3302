"""The report, its summaries, reporters and writers; output formats in formats/."""
