"""A receipt as a document to download: HTML (Jinja2, autoescaped) and PDF (fpdf2).

Both say the same words (`wording`); amounts are Babel's, in English. The PDF uses a core
font, which holds Latin-1 only: a character outside it prints as `?` (decision 0041).
"""

from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_precision
from fpdf import FPDF
from jinja2 import Environment, PackageLoader, select_autoescape

from payments.domain.receipts import Receipt, ReceiptKind

PROVIDERS = {"stripe": "Stripe", "paypal": "PayPal", "sandbox": "the sandbox (dev mode)"}
# Typography a core font lacks, spelled in Latin-1.
ASCII_FORMS = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}
)


def money(minor_units: int, currency: str) -> str:
    """12345 EUR → '€123.45'; amounts below zero (a discount) keep their sign."""
    major = Decimal(minor_units).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, locale="en")


def plain_money(minor_units: int, currency: str) -> str:
    """12345 EUR → '123.45 EUR' (for a font without the currency's sign)."""
    major = Decimal(minor_units).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, format="#,##0.00 ¤¤", locale="en")


@dataclass(frozen=True)
class Wording:
    title: str
    total_label: str
    tax_label: str
    paid_with: str
    provider: str
    issued_at: str


def wording(receipt: Receipt) -> Wording:
    refund = receipt.kind is ReceiptKind.refund
    tax = receipt.tax
    return Wording(
        title="Credit note" if refund else "Receipt",
        total_label="Total refunded" if refund else "Total paid",
        tax_label="" if tax is None else f"Included {tax.label} {tax.percent.normalize():f}%",
        paid_with="Refunded through" if refund else "Paid with",
        provider=PROVIDERS.get(receipt.provider.value, receipt.provider.value),
        issued_at=receipt.issued_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("payments", "templates"),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    environment.filters["money"] = money
    return environment


def receipt_html(receipt: Receipt) -> str:
    words = wording(receipt)
    template = _environment().get_template("receipt.html")
    return template.render(receipt=receipt, **words.__dict__)


def _latin1(text: str) -> str:
    return text.translate(ASCII_FORMS).encode("latin-1", "replace").decode("latin-1")


def receipt_pdf(receipt: Receipt) -> bytes:
    """One A4 page: the number, seller, buyer, lines, total, tax, provider and reference."""
    words = wording(receipt)
    pdf = FPDF(format="A4")
    pdf.compress = False  # a page of text: readable as it is, and searchable
    pdf.set_title(_latin1(f"{words.title} {receipt.number}"))
    pdf.set_creator("Mentorship payments")
    pdf.set_creation_date(receipt.issued_at)
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=18)
    pdf.cell(0, 10, _latin1(f"{words.title} {receipt.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    issued = f"Issued {words.issued_at}"
    if receipt.refers_to:
        issued += f", for receipt {receipt.refers_to}"
    pdf.cell(0, 6, _latin1(issued), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    seller = [receipt.seller.name, *receipt.seller.address.splitlines()]
    if receipt.seller.tax_id:
        seller.append(f"Tax ID: {receipt.seller.tax_id}")
    pdf.multi_cell(0, 5, _latin1("From: " + "\n".join(seller)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    buyer = f"To: student {receipt.buyer.student_id}"
    pdf.multi_cell(0, 5, _latin1(buyer), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    rows = [("Item", "Qty", "Amount")]
    rows += [
        (line.description, str(line.quantity), plain_money(line.amount, receipt.currency))
        for line in receipt.lines
    ]
    rows.append((words.total_label, "", plain_money(receipt.total, receipt.currency)))
    if receipt.tax is not None:
        rows.append((words.tax_label, "", plain_money(receipt.tax.amount, receipt.currency)))
    with pdf.table(col_widths=(120, 15, 45), text_align=("LEFT", "RIGHT", "RIGHT")) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(_latin1(cell))
    pdf.ln(4)
    reference = f"{words.paid_with} {words.provider}"
    if receipt.provider_ref:
        reference += f", reference {receipt.provider_ref}"
    pdf.multi_cell(0, 5, _latin1(reference + "."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(110)
    footer = f"Order {receipt.order_id} - receipt {receipt.receipt_id}"
    pdf.multi_cell(0, 5, footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
