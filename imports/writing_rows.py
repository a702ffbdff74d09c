"""What the writer's modules share: the plan's rows by kind, batches, and the tally of what was written."""

from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import islice

# Rows written per statement: big enough that 100,000 sessions take a few hundred statements,
# small enough that each stays under SQLite's and PostgreSQL's limits on a statement's parameters.
BATCH_SIZE = 1000


def rows_of(plan, kind: str) -> list[dict]:
    """The plan's rows of one kind (columns.py's names): a mapping of kinds, or an `imports.plan.Plan`."""
    rows = plan.get(kind) if isinstance(plan, Mapping) else plan.rows_of(kind)
    return list(rows or ())


def source_of(plan) -> str:
    """The name of the system the file comes from, shown on each session it brings in."""
    source = plan.get("source") if isinstance(plan, Mapping) else getattr(plan, "source", "")
    return str(source or "")[:120]


def in_batches(rows: list, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def product_key(row: dict, *, gtin: str) -> list[tuple]:
    """The keys a row names its product by, strongest first."""
    keys = [("gtin", gtin)] if gtin else []
    if row.get("product_name") and row.get("product_manufacturer"):
        keys.append(("name", row["product_name"].casefold(), row["product_manufacturer"].casefold()))
    return keys


class Tally:
    """How many rows of each kind were created, updated and skipped, as `{kind}_{outcome}` counts."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def add(self, kind: str, outcome: str, count: int = 1) -> None:
        self.counts[f"{kind}_{outcome}"] += count

    def as_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))
