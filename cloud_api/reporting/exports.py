"""Write a ``ReportTable`` as CSV, XLSX (openpyxl) or PDF (reportlab).

Figures are shown as a shop owner reads them: shillings with two decimals (never cents),
quantities in units (three decimals only for weighed goods), percentages with one decimal.
CSV and XLSX keep numbers as numbers so a spreadsheet can add them up.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from cloud_api.reporting.tables import Column, ReportTable

ProgressCallback = Callable[[int], None]


def cell_value(column: Column, value: Any) -> Any:
    """A cell as a number or text a spreadsheet understands (money in shillings)."""
    if value is None:
        return ""
    if column.kind == "money":
        return Decimal(int(value)) / 100
    if column.kind == "qty_milli":
        return Decimal(int(value)) / 1000
    if column.kind == "date" and isinstance(value, date):
        return value
    return value


def cell_text(column: Column, value: Any) -> str:
    """A cell as text for print: 1,234.50 for money, 2 or 0.750 for quantities."""
    if value is None or value == "":
        return ""
    if column.kind == "money":
        cents = int(value)
        sign = "-" if cents < 0 else ""
        return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    if column.kind == "qty_milli":
        milli = int(value)
        return f"{milli // 1000:,}" if milli % 1000 == 0 else f"{Decimal(milli) / 1000:,.3f}"
    if column.kind == "count":
        return f"{int(value):,}"
    if column.kind == "percent":
        return f"{float(value):.1f}%"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _title(table: ReportTable) -> str:
    if table.date_from is None or table.date_to is None:
        return table.title
    return f"{table.title}, {table.date_from.isoformat()} to {table.date_to.isoformat()}"


def _report_progress(progress: ProgressCallback | None, done: int, total: int) -> None:
    if progress is not None and total and done % 1000 == 0:
        progress(int(done * 100 / total))


def render_csv(table: ReportTable, progress: ProgressCallback | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens names like "Café" right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.label for column in table.columns])
    for index, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_cell(column, row.get(column.key)) for column in table.columns])
        _report_progress(progress, index, len(table.rows))
    writer.writerow([_csv_cell(column, table.totals.get(column.key)) for column in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(column: Column, value: Any) -> str:
    shown = cell_value(column, value)
    if isinstance(shown, Decimal):
        return f"{shown:.2f}" if column.kind == "money" else f"{shown:.3f}".rstrip("0").rstrip(".")
    if isinstance(shown, date):
        return shown.isoformat()
    return str(shown)


def render_xlsx(table: ReportTable, progress: ProgressCallback | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    sheet.append([_title(table)])
    sheet.append([column.label for column in table.columns])
    formats = {
        "money": "#,##0.00",
        "qty_milli": "#,##0.###",
        "count": "#,##0",
        "date": "yyyy-mm-dd",
    }

    def cells(values: dict[str, Any], bold: bool = False) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell

        out = []
        for column in table.columns:
            value = cell_value(column, values.get(column.key))
            cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
            if column.kind in formats:
                cell.number_format = formats[column.kind]
            if bold:
                cell.font = Font(bold=True)
            out.append(cell)
        return out

    for index, row in enumerate(table.rows, start=1):
        sheet.append(cells(row))
        _report_progress(progress, index, len(table.rows))
    sheet.append(cells(table.totals, bold=True))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_pdf(table: ReportTable, progress: ProgressCallback | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_title(table),
    )
    styles = getSampleStyleSheet()
    cell_style = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    bold_style = cell_style.clone("bold", fontName="Helvetica-Bold")
    right = {
        False: cell_style.clone("right", alignment=2),
        True: bold_style.clone("bright", alignment=2),
    }
    left = {False: cell_style, True: bold_style}

    def line(values: dict[str, Any], bold: bool = False) -> list[Any]:
        # Paragraphs wrap long names instead of cutting them off; figures align right.
        return [
            Paragraph(
                escape(cell_text(c, values.get(c.key))),
                (left if c.kind in ("text", "date") else right)[bold],
            )
            for c in table.columns
        ]

    data: list[list[Any]] = [[Paragraph(escape(c.label), bold_style) for c in table.columns]]
    for index, row in enumerate(table.rows, start=1):
        data.append(line(row))
        _report_progress(progress, index, len(table.rows))
    data.append(line(table.totals, bold=True))
    grid = Table(data, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    document.build([Paragraph(escape(_title(table)), styles["Heading2"]), grid])
    return out.getvalue()


RENDERERS: dict[str, tuple[Callable[..., bytes], str, str]] = {
    "csv": (render_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        render_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "pdf": (render_pdf, "application/pdf", "pdf"),
}
