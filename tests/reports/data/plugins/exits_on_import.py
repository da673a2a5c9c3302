"""A local plugin that calls sys.exit(0) as it loads."""

import sys

sys.exit(0)
