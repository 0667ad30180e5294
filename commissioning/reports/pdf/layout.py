"""The funding review's page geometry: A4 with its margins, shared by the document and its charts."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
TOP = 20 * mm
BOTTOM = 18 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
