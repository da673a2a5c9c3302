"""Packs, the engine that runs their rules, generic checks and waivers."""
