"""The measured-timings table that `bench` and `loadtest` print: rows of (measure, value,
note) and their formatting. Shared by both, so neither imports the other."""

from __future__ import annotations

import numpy as np

Row = tuple[str, str, str]  # (measure, value, note)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def table(rows: list[Row]) -> str:
    widths = [max(len(r[i]) for r in [("measure", "value", "note"), *rows]) for i in range(3)]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    out = [
        line.format("measure", "value", "note"),
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    out += [line.format(*r) for r in rows]
    return "\n".join(out)
