"""A local plugin that crashes as it loads."""

raise RuntimeError("this plugin's settings file is missing")
