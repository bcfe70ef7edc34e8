"""Charts for the documents the office hands on (the year-end summary): PNG bar charts drawn with Pillow, Chinese
labels in Noto Sans CJK, this year beside last year. Values are drawn as the figures are written
(domain/kpi_catalogue.py figure_text), never as a float's repr."""
import io

from PIL import Image, ImageDraw

from ..domain.kpi_catalogue import figure_text
from ..media.stamps import cjk_font

THIS, LAST, TARGET = (41, 98, 160), (170, 186, 204), (200, 60, 40)
GRID, TEXT = (225, 225, 225), (30, 30, 30)


def bar_chart(title, rows, *, unit="", legend=("本年", "上年"), target=None, width=1400, row_height=56):
    """A horizontal bar chart: rows [(label, this year's value, last year's value or None)], PNG bytes. With
    `target` (a percentage), a red line marks it."""
    title_font, font, small = cjk_font(34), cjk_font(24), cjk_font(20)
    left = 20 + max((font.getlength(label) for label, _a, _b in rows), default=80) + 16
    top, right = 110, 150
    height = top + row_height * max(len(rows), 1) + 40
    picture = Image.new("RGB", (width, int(height)), "white")
    draw = ImageDraw.Draw(picture)
    draw.text((20, 16), title, font=title_font, fill=TEXT)
    for index, (name, colour) in enumerate(zip(legend, (THIS, LAST))):
        x = 20 + index * 180
        draw.rectangle((x, 70, x + 26, 92), fill=colour)
        draw.text((x + 34, 66), name, font=small, fill=TEXT)
    values = [v for _l, a, b in rows for v in (a, b) if v is not None] + ([target] if target is not None else [])
    scale_max = max(values + [1])
    if unit == "%":
        scale_max = max(scale_max, 100)
    span = width - left - right

    def x_of(value):
        return left + span * (value / scale_max)

    for step in range(5):
        x = left + span * step / 4
        draw.line((x, top - 8, x, height - 30), fill=GRID, width=1)
        tick = scale_max * step / 4
        draw.text((x - 10, height - 28), f"{tick:g}%" if unit == "%" else f"{int(round(tick))}", font=small,
                  fill=(110, 110, 110))
    for index, (label, this_year, last_year) in enumerate(rows):
        y = top + index * row_height
        draw.text((20, y + 8), label, font=font, fill=TEXT)
        for offset, value, colour in ((0, this_year, THIS), (row_height // 2 - 4, last_year, LAST)):
            bar_top = y + offset
            if value is not None:
                draw.rectangle((left, bar_top, max(left + 2, x_of(value)), bar_top + row_height // 2 - 8), fill=colour)
            draw.text((max(left + 2, x_of(value or 0)) + 8, bar_top - 2), figure_text(value, unit), font=small,
                      fill=TEXT)
    if target is not None:
        x = x_of(target)
        draw.line((x, top - 12, x, height - 30), fill=TARGET, width=3)
        draw.text((x + 6, top - 40), f"目标 {target:g}%", font=small, fill=TARGET)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()
