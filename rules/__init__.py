"""The bundled rule packs (TOML data, never executed), installed as ``vpp_rules``."""
