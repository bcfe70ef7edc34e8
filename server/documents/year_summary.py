"""The year-end summary's data annex laid out: a Word document (python-docx) the 科长 edits and writes the prose
around, and the same as a PDF (WeasyPrint, documents/templates/year_summary.html). The content is
domain/year_summary.py's; the charts are drawn once (documents/charts.py) and placed in both."""
import base64
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .charts import bar_chart

FONT = "宋体"
HEADING_FONT = "黑体"


def charts(context):
    """The annex's charts as (title, PNG bytes): the rates against last year, exceedance by hazard, work by month."""
    year, last = f"{context['year']}年", f"{context['previous_year']}年"
    out = []
    rates = [(f["title_zh"], f["value"], f["previous"]) for f in context["catalogue"]
             if f["unit"] == "%" and f["status"] == "ok"]
    if rates:
        out.append(("主要率指标", bar_chart("主要率指标（本年与上年）", rates, unit="%", legend=(year, last))))
    hazards = [(h["label"], h["pct"], h["previous_pct"]) for h in context["hazards"]]
    if hazards:
        out.append(("超标率（按危害因素）", bar_chart("岗位超标率（按危害因素）", hazards, unit="%", legend=(year, last))))
    months = [(row["month"], row["total"], row["previous_total"]) for row in context["monthly"]["rows"]]
    if any(total or before for _m, total, before in months):
        out.append(("各月现场工作量", bar_chart("各月提交的现场记录数", months, unit="条", legend=(year, last),
                                              row_height=40)))
    return out


def _fonts(document):
    for name, font in (("Normal", FONT), ("Heading 1", HEADING_FONT), ("Heading 2", HEADING_FONT), ("Title", HEADING_FONT),
                       ("Table Grid", FONT)):
        style = document.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    document.styles["Normal"].font.size = Pt(10.5)


def _table(document, headers, rows, widths=None):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row)):
            cell.text = "" if value is None else str(value)
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT if isinstance(value, int) else None
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)
    return table


def _target(figure):
    return f"≥{figure['target_pct']:g}%" if figure["target_pct"] is not None else "—"


def _label(figure):
    return figure["title_zh"] + ("（按今日状态）" if figure["as_of"] == "today" else "")


def summary_docx(context, drawn=None):
    """The annex as a .docx (bytes)."""
    drawn = charts(context) if drawn is None else drawn
    year, last = f"{context['year']}年", f"{context['previous_year']}年"
    document = Document()
    _fonts(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2.2)
    title = document.add_heading(context["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(context["subtitle"])
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{context['agency_name']}　{context['period_note']}")

    document.add_heading("一、主要工作指标", level=1)
    for number, (name, figures) in enumerate(context["sections"], start=1):
        document.add_heading(f"（{_cn(number)}）{name}", level=2)
        _table(document, ["指标", year, last, "增减", "目标", "工作计划中的表述"],
               [(_label(f), f["text"], f["previous_text"], f["change"], _target(f), f["seed_zh"] or "")
                for f in figures], widths=[5.2, 2.2, 2.2, 2.6, 1.4, 3.4])

    for title, first, rows in (("二、工作场所职业病危害因素监测：按危害因素", "危害因素", context["hazards"]),
                               ("三、工作场所职业病危害因素监测：按行业", "行业", context["industries"])):
        document.add_heading(title, level=1)
        if rows:
            _table(document, [first, "评价岗位数", "超标岗位数", f"超标率（{year}）", f"超标率（{last}）"],
                   [(r["label"], r["evaluated"], r["nonconform"], r["pct_text"], r["previous_text"]) for r in rows])
        else:
            document.add_paragraph("本年度无已提交的采样评价结果。")

    document.add_heading("四、专项治理", level=1)
    if context["campaigns"] is None:
        document.add_paragraph("专项治理由卫生监督机构组织，不在本机构统计范围内。")
    elif context["campaigns"]:
        _table(document, ["专项治理", "行业", "开始日期", "截止日期", "纳入", "已完成", "未完成", "各状态"],
               [(c["name"], c["industry"], c["start"], c["deadline"], c["enrolled"], c["completed"], c["open"],
                 c["states"]) for c in context["campaigns"]])
    else:
        document.add_paragraph("本年度无专项治理。")

    document.add_heading("五、职业健康素养监测", level=1)
    if context["literacy"]:
        for table in context["literacy"]:
            _table(document, [table["title"], "调查人数", "知晓率", "具备率"],
                   [(r["label"], r["respondents"], r["awareness"], r["literacy"]) for r in table["rows"]])
    else:
        document.add_paragraph("本年度无职业健康素养监测记录（未采集）。")

    document.add_heading("六、各月现场工作量", level=1)
    monthly = context["monthly"]
    _table(document, ["月份", *monthly["kinds"], f"合计（{year}）", f"合计（{last}）"],
           [(row["month"], *row["counts"], row["total"], row["previous_total"]) for row in monthly["rows"]])

    document.add_heading("七、图表", level=1)
    for caption, png in drawn:
        document.add_picture(io.BytesIO(png), width=Cm(16))
        document.add_paragraph(caption).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("八、说明", level=1)
    document.add_paragraph(context["counted"])
    if context["not_collected"]:
        document.add_paragraph("本系统尚未采集以下指标，需另行统计：" + "、".join(context["not_collected"]) + "。")
    document.add_paragraph(f"生成：{context['agency_name']} {context['generated_by']} "
                           f"{context['generated_at'].strftime('%Y-%m-%d %H:%M')}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def summary_pdf(renderer, context, drawn=None):
    """The annex as a PDF, the charts inlined."""
    drawn = charts(context) if drawn is None else drawn
    images = {f"chart{index}": "data:image/png;base64," + base64.b64encode(png).decode()
              for index, (_caption, png) in enumerate(drawn)}
    captions = [{"key": f"chart{index}", "caption": caption} for index, (caption, _png) in enumerate(drawn)]
    return renderer.render_sheet("year_summary.html", dict(context, charts=captions, images=images))


CN_DIGITS = "一二三四五六七八九十"


def _cn(number):
    """1 → 一 … 10 → 十, 11 → 十一 (section numbers)."""
    if number <= 10:
        return CN_DIGITS[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")
