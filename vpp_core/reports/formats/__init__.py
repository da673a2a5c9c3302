"""Report formats beyond text and JSON: JUnit, SARIF, CSV, HTML, Markdown."""
