"""Peak memory of one implementation, in a fresh process: ``python -m benchmarks.peak_memory
IMPLEMENTATION CSV`` prints the process's peak resident set size in MiB (``VmHWM`` from
``/proc/self/status``: ``ru_maxrss`` would carry the parent's peak over ``fork``).

``imports`` only imports what the implementations need (DuckDB, pandas, vpp-core): the
baseline the others are read against.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

AS_OF = date(2025, 3, 31)


def main(implementation: str, path: Path) -> None:
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    from benchmarks.references import hand_sql, ours, with_pandas
    from vpp_core.loading.bundled import bundled_strategy
    from vpp_core.loading.strategy_io import load_strategy

    strategy = load_strategy(bundled_strategy())
    run = {"ours": ours, "hand-sql": hand_sql, "pandas": with_pandas}.get(implementation)
    if run is not None:
        run(strategy, path, AS_OF)
    status = Path("/proc/self/status").read_text(encoding="ascii")
    peak_kib = next(int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("VmHWM:"))
    print(f"{peak_kib / 1024:.0f}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
