"""Reading strategies and the files they name: the converter, locations, references, errors."""
