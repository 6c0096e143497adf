"""Spark SQL over a Tillstream lake from Python, through the project's public command: scripts/tillstream sql.

    from tillstream_sql import sql
    df = sql("SELECT business_date, sum(net_amount) AS net FROM gold.daily_sales GROUP BY business_date")

Each call runs `scripts/tillstream sql "<query>"`, which prints CSV with a header on standard output, and reads it
with pandas. Environment (passed on to the command unchanged, so every `TILLSTREAM_*` setting applies):

- TILLSTREAM_HOME   the project directory (default: the parent of this file's folder); the command runs there,
                    so without TILLSTREAM_LAKE_ROOT the lake is <project>/lake, where `scripts/tillstream batch`
                    writes
- TILLSTREAM_LAKE_ROOT  the lake to query: the configuration key lake.root (the same as --lake), read by the
                    command itself like every other TILLSTREAM_<KEY> variable
- TILLSTREAM_SQL_REMOTE  e.g. sc://localhost:15002: the command sends the query to a warm Spark Connect server
                    instead of starting Spark (about 12 s per query) in a new JVM

A query that fails raises SqlError carrying the command's standard error, so a notebook cell fails with it.
"""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

__all__ = ["sql", "figure", "SqlError", "home", "lake"]


class SqlError(RuntimeError):
    """`scripts/tillstream sql` exited non-zero; `stderr` holds its whole standard error.

    The message leads with the command's own error line (`failed: ...`), then the query, then the standard error
    with Java stack frames elided.
    """

    def __init__(self, query, returncode, stderr):
        self.query = query
        self.returncode = returncode
        self.stderr = stderr
        lines, frames = [], 0
        for line in stderr.splitlines():
            if line.startswith("\tat ") or line.startswith("\t... "):
                frames += 1
                continue
            if frames:
                lines.append(f"\t... {frames} stack frames (in SqlError.stderr)")
                frames = 0
            lines.append(line)
        if frames:
            lines.append(f"\t... {frames} stack frames (in SqlError.stderr)")
        text = "\n".join(lines)
        if len(text) > 8000:
            text = "...\n" + text[-8000:]
        headline = next((line for line in lines if line.startswith(("failed:", "configuration error:", "usage"))),
                        lines[-1] if lines else "(no standard error)")
        super().__init__(f"scripts/tillstream sql exited with {returncode}: {headline}\nquery: {query.strip()}\n"
                         f"--- its standard error ---\n{text}")


def home() -> Path:
    """The project directory: TILLSTREAM_HOME, or the parent of the folder holding this module."""
    return Path(os.environ.get("TILLSTREAM_HOME") or Path(__file__).resolve().parent.parent)


def lake() -> str:
    """The lake queried: TILLSTREAM_LAKE_ROOT, or the default lake of the project directory."""
    return os.environ.get("TILLSTREAM_LAKE_ROOT") or str(home() / "lake")


def sql(query: str, quiet: bool = False, **read_csv_args) -> pd.DataFrame:
    """Runs one Spark SQL statement over the lake and returns its result; extra arguments go to pandas.read_csv."""
    command = [str(home() / "scripts" / "tillstream"), "sql", query]
    started = time.monotonic()
    done = subprocess.run(command, cwd=home(), env=dict(os.environ), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise SqlError(query, done.returncode, done.stderr)
    result = pd.read_csv(io.StringIO(done.stdout), **read_csv_args)
    if not quiet:
        print(f"sql: {len(result)} rows in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return result


def figure(name: str, value) -> None:
    """Prints a headline figure as `FIGURE name=value` (amounts to the cent), a line tests and scripts can parse."""
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float):
        value = f"{value:.2f}"
    print(f"FIGURE {name}={value}")
