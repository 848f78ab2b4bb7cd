"""PDF files made in the tests: a clean one-page PDF of any exact size, and bad ones.

The files are written by hand, object by object with a correct cross-reference table, so a
test says exactly what is in them (a reader such as pypdf parses them as real PDFs).
"""

from __future__ import annotations

from collections.abc import Sequence

from pypdf import PdfWriter

from portal.domain.pdf_content import PdfRefusal

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Brief) Tj ET"


def _write_objects(out: bytearray, objects: Sequence[bytes], *, first: int) -> list[int]:
    """Append ``objects`` to ``out``, numbered from ``first``; their offsets, for the xref."""
    offsets = []
    for number, body in enumerate(objects, start=first):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    return offsets


def build(objects: Sequence[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF of ``objects`` (numbered from 1; object 1 is the catalog), with an xref table."""
    out = bytearray(HEADER)
    offsets = _write_objects(out, objects, first=1)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref_at)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), extra, content)


def page_objects(*, catalog_extra: bytes = b"", page_extra: bytes = b"") -> list[bytes]:
    """Catalog (1), page tree (2), one page (3), its text (4) and font (5)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_extra,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> %s>>" % page_extra,
        stream(PAGE_TEXT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def clean_pdf(*, catalog_extra: bytes = b"", page_extra: bytes = b"", more: Sequence[bytes] = ()) -> bytes:
    """One page of text; ``more`` objects are numbered from 6."""
    return build([*page_objects(catalog_extra=catalog_extra, page_extra=page_extra), *more])


def pdf_of_size(size: int) -> bytes:
    """A clean one-page PDF of exactly ``size`` bytes (at least about 700): the rest is a
    comment-like padding stream that no page uses."""
    padding = 0
    for _ in range(5):  # the length's own digits change the size: a few rounds settle it
        made = clean_pdf(more=[stream(b" " * padding)])
        if len(made) == size:
            return made
        padding += size - len(made)
        if padding < 0:
            raise ValueError(f"a PDF needs more than {size} bytes")
    raise AssertionError("the padding did not settle")


def incremental_update(base: bytes, number: int, body: bytes) -> bytes:
    """``base`` with object ``number`` replaced by ``body`` in an appended update section,
    the way an editor saves a change."""
    start = base.rindex(b"startxref")
    previous = int(base[start:].split()[1])
    size = int(base[base.rindex(b"/Size"):].split()[1])
    out = bytearray(base)
    (offset,) = _write_objects(out, [body], first=number)
    xref_at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, xref_at)
    return bytes(out)


def with_object_stream(hidden: bytes) -> bytes:
    """A PDF 1.5 file whose catalog (object 1) sits packed in an object stream, indexed by a
    cross-reference stream: what a byte scanner of the file does not see."""
    pages = page_objects()
    packed = b"1 0 " + hidden
    objstm = stream(packed, b"/Type /ObjStm /N 1 /First 4 ")
    loose = [pages[1], pages[2], pages[3], pages[4], objstm]  # objects 2 to 6
    out = bytearray(HEADER)
    offsets = _write_objects(out, loose, first=2)
    xref_at = len(out)
    rows = bytes([2, 0, 0, 0, 6, 0, 0])  # object 1: in object stream 6, index 0
    rows = bytes([0, 0, 0, 0, 0, 255, 255]) + rows
    rows += b"".join(bytes([1]) + offset.to_bytes(4, "big") + b"\x00\x00" for offset in offsets)
    rows += bytes([1]) + xref_at.to_bytes(4, "big") + b"\x00\x00"  # object 7: this stream
    out += b"7 0 obj\n%s\nendobj\n" % stream(rows, b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R ")
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def written(change: str) -> bytes:
    """A one-page PDF written by pypdf, with ``change``: "encrypt" or "attach" (else none)."""
    import io

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change == "encrypt":
        writer.encrypt(user_password="", owner_password="eigenaar", algorithm="AES-128")
    elif change == "attach":
        writer.add_attachment("programma.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The corpus of bad files: each holds one thing a reader could run, unpack or not show.
JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"

CORPUS: dict[str, tuple[bytes, PdfRefusal]] = {
    # The review's example: the right first and last bytes, but no PDF at all.
    "script between the markers": (b"%PDF-1.7\n<script>alert(1)</script>\n%%EOF", PdfRefusal.NOT_PDF),
    "no end marker": (clean_pdf().replace(b"%%EOF", b"%%END"), PdfRefusal.NOT_PDF),
    "broken body": (b"%PDF-1.4\n" + b"\x00\xff" * 400 + b"\n%%EOF\n", PdfRefusal.NOT_PDF),
    "no pages": (build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
                 PdfRefusal.NOT_PDF),
    "encrypted (empty user password)": (written("encrypt"), PdfRefusal.ENCRYPTED),
    "document JavaScript (names tree)": (
        clean_pdf(catalog_extra=b"/Names << /JavaScript << /Names [(start) 6 0 R] >> >> ", more=[JS_ACTION]),
        PdfRefusal.ACTIVE_CONTENT,
    ),
    "JavaScript when opened": (clean_pdf(catalog_extra=b"/OpenAction 6 0 R ", more=[JS_ACTION]),
                               PdfRefusal.ACTIVE_CONTENT),
    "JavaScript as a stream": (
        clean_pdf(catalog_extra=b"/OpenAction << /S /JavaScript /JS 6 0 R >> ",
                       more=[stream(b"app.alert(1)")]),
        PdfRefusal.ACTIVE_CONTENT,
    ),
    "a web page opened by itself": (
        clean_pdf(catalog_extra=b"/OpenAction << /S /URI /URI (https://example.org/) >> "),
        PdfRefusal.ACTIVE_CONTENT,
    ),
    "additional actions on the page": (clean_pdf(page_extra=b"/AA << /O 6 0 R >> ", more=[JS_ACTION]),
                                       PdfRefusal.ACTIVE_CONTENT),
    "an XFA form": (clean_pdf(catalog_extra=b"/AcroForm << /Fields [] /XFA 6 0 R >> ",
                                   more=[stream(b"<xdp:xdp/>")]), PdfRefusal.ACTIVE_CONTENT),
    # /J#61vaScript is /JavaScript written with a hex escape.
    "hex-escaped name": (clean_pdf(catalog_extra=b"/OpenAction << /S /J#61vaScript /J#53 (x) >> "),
                         PdfRefusal.ACTIVE_CONTENT),
    "a link that starts a program": (
        clean_pdf(page_extra=b"/Annots [6 0 R] ", more=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F (cmd.exe) >> >>"]),
        PdfRefusal.LAUNCH_ACTION,
    ),
    "embedded file (names tree)": (written("attach"), PdfRefusal.EMBEDDED_FILE),
    "file attachment annotation": (
        clean_pdf(page_extra=b"/Annots [6 0 R] ", more=[
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (a.exe) >>"]),
        PdfRefusal.EMBEDDED_FILE,
    ),
    # Hidden from a scanner of the bytes: the catalog packed in an object stream.
    "JavaScript in an object stream": (
        with_object_stream(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (x) >> >>"),
        PdfRefusal.ACTIVE_CONTENT,
    ),
    # A clean file, changed afterwards by an update section that an editor appends.
    "JavaScript added by an update": (
        incremental_update(clean_pdf(), 1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction "
                                b"<< /S /JavaScript /JS (x) >> >>"),
        PdfRefusal.ACTIVE_CONTENT,
    ),
}
