"""Aligned plain-text tables, as every text report prints them."""

from __future__ import annotations


def text_table(
    header: list[str], rows: list[list[str]], right: set[int] | None = None
) -> list[str]:
    """Columns padded to their widest cell, indented two spaces; ``right`` columns
    (numbers) aligned right."""
    right = right or set()
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  " + "  ".join(padded).rstrip()

    return [line(header), *(line(row) for row in rows)]
