"""HTML pieces the report templates share."""

from collections.abc import Sequence
from html import escape


def tabel(headers: list[str], rows: list[list], text_columns: Sequence[int] = (0,)) -> str:
    """An HTML table with every cell escaped; columns other than `text_columns` hold numbers and
    are right-aligned."""

    def cell(tag: str, index: int, value: object) -> str:
        align = "" if index in text_columns else " class='getal'"
        return f"<{tag}{align}>{escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
