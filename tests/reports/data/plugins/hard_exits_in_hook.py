"""A local plugin whose registration hook calls os._exit(0)."""

import os


def vpp_register_checks() -> list[object]:
    os._exit(0)
