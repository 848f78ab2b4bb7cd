import pytest

from portal.domain.attachments import (
    MAX_GENERAL_BYTES,
    MAX_PERSONAL_BYTES,
    AttachmentError,
    AttachmentFile,
    AttachmentRule,
    check_attachments,
    is_pdf,
)
from tests.support import pdfs


def pdf(size: int) -> bytes:
    """A clean PDF of exactly ``size`` bytes."""
    return pdfs.pdf_of_size(size)


def personal(size: int, name: str = "brief.pdf") -> AttachmentFile:
    return AttachmentFile(name, pdf(size), personal=True)


def general(size: int, name: str = "uitleg.pdf") -> AttachmentFile:
    return AttachmentFile(name, pdf(size), personal=False)


def rule_of(files: list[AttachmentFile]) -> AttachmentRule | None:
    try:
        check_attachments(files)
    except AttachmentError as error:
        return error.rule
    return None


def test_two_personal_attachments_of_exactly_500_kb_together_are_allowed() -> None:
    half = MAX_PERSONAL_BYTES // 2
    assert rule_of([personal(half), personal(MAX_PERSONAL_BYTES - half)]) is None


def test_one_byte_over_500_kb_personal_is_refused() -> None:
    half = MAX_PERSONAL_BYTES // 2
    files = [personal(half), personal(MAX_PERSONAL_BYTES - half + 1)]
    assert rule_of(files) is AttachmentRule.PERSONAL_TOO_LARGE


def test_three_personal_attachments_are_refused() -> None:
    assert rule_of([personal(1000)] * 3) is AttachmentRule.TOO_MANY_PERSONAL


def test_three_general_attachments_of_exactly_2_mb_together_are_allowed() -> None:
    third = MAX_GENERAL_BYTES // 3
    sizes = [third, third, MAX_GENERAL_BYTES - 2 * third]
    assert rule_of([general(size) for size in sizes]) is None


def test_one_byte_over_2_mb_general_is_refused() -> None:
    third = MAX_GENERAL_BYTES // 3
    sizes = [third, third, MAX_GENERAL_BYTES - 2 * third + 1]
    assert rule_of([general(size) for size in sizes]) is AttachmentRule.GENERAL_TOO_LARGE


def test_four_general_attachments_are_refused() -> None:
    assert rule_of([general(1000)] * 4) is AttachmentRule.TOO_MANY_GENERAL


def test_limits_are_counted_per_kind() -> None:
    # 2 personal at the personal limit plus 3 general at the general limit: all allowed.
    files = [personal(MAX_PERSONAL_BYTES // 2)] * 2 + [general(MAX_GENERAL_BYTES // 3)] * 3
    assert rule_of(files) is None


def test_pdf_is_judged_by_content_not_by_name() -> None:
    fake = AttachmentFile("brief.pdf", b"MZ\x90\x00 not a pdf", personal=True)
    assert rule_of([fake]) is AttachmentRule.NOT_PDF
    assert is_pdf(pdf(1000))
    assert not is_pdf(b"%PDF-1.4 but no end marker")


@pytest.mark.parametrize(
    "name",
    ["", "../etc/passwd", "a\\b.pdf", "x" * 97 + ".pdf", "brief.html", "a\u202efdp.exe", "a\r\n.pdf", ".pdf",
     "e\u0301.pdf"],  # the last one is not NFC (the API normalises before it checks)
)
def test_bad_file_names_are_refused(name: str) -> None:
    assert rule_of([personal(1000, name)]) is AttachmentRule.BAD_FILENAME


def test_error_names_the_offending_file() -> None:
    with pytest.raises(AttachmentError) as caught:
        check_attachments([personal(1000), AttachmentFile("b.pdf", b"nope", personal=True)])
    assert caught.value.index == 1
