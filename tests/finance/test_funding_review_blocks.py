"""The funding review keeps each programme's section on one page with a Block (pure layout, no
database): a block that does not fit in what is left of a page starts the next, and one taller
than a whole page flows on over pages rather than failing."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from commissioning.reports.pdf import fonts
from commissioning.reports.pdf.flowables import Block, Note
from tests.finance.test_funding_review import pdf_text

FRAME = A4[1] - 2 * 72  # SimpleDocTemplate's default margins are an inch


def _pdf(story) -> list[str]:
    fonts.register()
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return pdf_text(out.getvalue())


def _section(name: str, height: float) -> Block:
    return Block([Note(f"{name} begins", 300, space_before=0), Spacer(1, height), Note(f"{name} ends", 300)])


def test_a_block_that_does_not_fit_starts_the_next_page():
    pages = _pdf([_section("First", FRAME * 0.4), _section("Second", FRAME * 0.4), _section("Third", FRAME * 0.4)])
    assert len(pages) == 2
    assert "First begins" in pages[0] and "Second ends" in pages[0] and "Third" not in pages[0]
    assert "Third begins" in pages[1] and "Third ends" in pages[1]


def test_a_block_taller_than_a_page_flows_on_in_its_parts():
    tall = Block([Note(f"Part {i}", 300, space_before=0) for i in range(3)] + [Spacer(1, FRAME * 0.6)]
                 + [Note(f"Part {i}", 300, space_before=0) for i in range(3, 6)] + [Spacer(1, FRAME * 0.6)]
                 + [Note("Part 6", 300, space_before=0)])  # fmt: skip
    pages = _pdf([Note("Before", 300), tall])
    # It does not fit after "Before", so it starts the next page, and flows on from there.
    assert len(pages) == 3 and "Part" not in pages[0]
    assert all(f"Part {i}" in pages[1] for i in range(6)) and "Part 6" in pages[2]
    assert [pages[1].index(f"Part {i}") for i in range(6)] == sorted(pages[1].index(f"Part {i}") for i in range(6))
