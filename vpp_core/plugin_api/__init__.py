"""What plugins use: hook specifications, markers, specs, contexts, results, the manager."""
