"""What every whole-process benchmark shares: the environment its processes run in."""

from __future__ import annotations

import os

#: Byte-code caching on in the processes timed, as for any installed package (with
#: PYTHONDONTWRITEBYTECODE set, every process would compile our modules again).
ENVIRONMENT = {key: value for key, value in os.environ.items()
               if key != "PYTHONDONTWRITEBYTECODE"}
