"""Counter-narrative campaign reach: delivery, exposures, training and population records."""
