"""Testing rules: case folders and the pytest plugin for rule authors."""
