"""简报 on a hand-computed case, opened as users would open it: the PDF's
text and images (one A4 page), the DOCX's table and pictures, the PNG's size;
and the `report` command line."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from parkbench import store
from parkbench.output import briefing
from tests.conftest import run_cli, store_rows

# Three parks of 100 亩 each, 2024-03 year to date (hand-computed):
#   tax 300 / 200 / 100 万元        → 亩均税收 3.00 / 2.00 / 1.00, mean 2.00; 丙 −1.00 (−50.0 %), rank 3/3
#   output 1200 / 900 / 1100 (2023-03: 1000 each) → 亩均产值 12.00 / 9.00 / 11.00, mean 10.67;
#                                      丙 +0.33 (+3.1 %), rank 2/3; 累计同比 +20 / −10 / +10 %, mean 6.67;
#                                      丙 +3.3 points, rank 2/3
#   leading output 840 / 270 / 550    → 主导产业占比 70 / 30 / 50 %, mean 50; 丙 level with the mean
PARKS = {"甲园区": (1000, 1200, 840, 300), "乙园区": (1000, 900, 270, 200), "丙园区": (1000, 1100, 550, 100)}


def rows():
    out = [(p, "land_area", "2023-01", "stock", 100) for p in PARKS]
    for park, (before, now, leading, tax) in PARKS.items():
        out += [(park, "output", "2023-03", "ytd", before), (park, "output", "2024-03", "ytd", now),
                (park, "leading_output", "2024-03", "ytd", leading), (park, "tax", "2024-03", "ytd", tax)]
    return out


@pytest.fixture(scope="module")
def made():
    con = store.connect(":memory:")
    store_rows(con, rows())
    yield briefing.build(con, "丙园区", "2024-03")
    con.close()


def squeeze(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)  # pypdf spaces out CID-font text


def test_figures_and_sentences(made):
    by_label = {f.label: f for f in made.figures}
    tax = by_label["亩均税收（万元/亩）"]
    assert (tax.value, tax.rank, tax.mean, tax.gap) == ("1.00", "3/3", "2.00", "-1.00（-50.0%）")
    output = by_label["亩均产值（万元/亩）"]
    assert (output.value, output.rank, output.mean, output.gap) == ("11.00", "2/3", "10.67", "+0.33（+3.1%）")
    growth = by_label["产值累计同比（%）"]
    assert (growth.value, growth.rank, growth.mean, growth.gap) == ("10.0", "2/3", "6.7", "+3.3 个百分点")
    share = by_label["主导产业占比（%）"]
    assert (share.value, share.mean, share.gap) == ("50.0", "50.0", "+0.0 个百分点")
    assert "亩均税收 1.00 万元/亩，低于园区平均 50.0%，排名 3/3" in made.sentences
    assert any(s.startswith("主导产业占比 50.0%，与园区平均持平") for s in made.sentences)
    assert [caption for caption, _ in made.charts] == ["亩均税收", "产值累计同比", "主导产业占比"]
    assert all(png for _, png in made.charts)


def test_pdf_is_one_a4_page_with_the_figures_and_three_images(made):
    reader = PdfReader(io.BytesIO(briefing.render(made, "pdf")))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert (round(width_mm), round(height_mm)) == (210, 297)
    text = squeeze(page.extract_text())
    for expected in ("丙园区对标简报", "亩均税收（万元/亩）1.003/32.00-1.00（-50.0%）", "11.002/310.67+0.33（+3.1%）",
                     "10.02/36.7+3.3个百分点", "亩均税收1.00万元/亩，低于园区平均50.0%，排名3/3"):
        assert expected in text, expected
    assert len(page.images) == 3


def test_docx_holds_the_figures_and_three_300_dpi_images(made):
    doc = Document(io.BytesIO(briefing.render(made, "docx")))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0][:3] == ["指标（单位）", "本园区", "排名"]
    assert ["亩均税收（万元/亩）", "1.00", "3/3", "2.00", "-1.00（-50.0%）"] == rows[1][:5]
    assert len(doc.inline_shapes) == 3
    for shape in doc.inline_shapes:
        blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.open(io.BytesIO(doc.part.related_parts[blob].blob))
        assert image.info["dpi"][0] == pytest.approx(300, abs=0.01)
    assert "亩均税收 1.00 万元/亩，低于园区平均 50.0%，排名 3/3。" in "\n".join(p.text for p in doc.paragraphs)


def test_png_is_a4(made):
    image = Image.open(io.BytesIO(briefing.render(made, "png")))
    assert image.size == (round(210 / 25.4 * 200), round(297 / 25.4 * 200))
    assert image.info["dpi"][0] == pytest.approx(200, abs=0.01)


def test_unknown_park_and_group_are_refused_in_chinese():
    con = store.connect(":memory:")
    store_rows(con, rows())
    with pytest.raises(briefing.BriefingError, match="没有名为“丁园区”的园区"):
        briefing.build(con, "丁园区", "2024-03", with_charts=False)
    with pytest.raises(briefing.BriefingError, match="没有名为“同类”的对标组"):
        briefing.build(con, "丙园区", "2024-03", group="同类", with_charts=False)
    assert briefing.build(con, "丙", "2024-03", with_charts=False).park == "丙园区"  # one park contains 丙


def test_report_command_line(tmp_path):
    db = tmp_path / "pb.duckdb"
    con = store.connect(str(db))
    store_rows(con, rows())
    con.close()
    out = tmp_path / "简报.pdf"
    result = run_cli("report", "--park", "丙园区", "--period", "2024-03", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out).pages) == 1
    bad = run_cli("report", "--park", "丙园区", "--period", "2024-03", "--out", str(tmp_path / "x.txt"), db=db)
    assert bad.returncode == 1 and "后缀" in bad.stderr


def test_alerts_of_the_park_are_in_the_briefing(made):
    """Issue 12: the 预警 list on the briefing. 丙 by hand, default thresholds: 亩均税收 1.00 is 50 % below
    the mean 2.00 (more than 20 %) → red; 产值累计同比 +10 % reaches 10 % → green; 主导产业占比 50 % < 60 % → red."""
    alerts = [s for s in made.sentences if s.startswith(("预警：", "关注：", "良好："))]
    assert any(s.startswith("预警：") and "亩均税收" in s for s in alerts)
    assert any(s.startswith("预警：") and "主导产业占比" in s for s in alerts)
    assert any(s.startswith("良好：") and "产值累计同比" in s for s in alerts)
    assert alerts.index(next(s for s in alerts if s.startswith("良好："))) > 0  # warnings come first


def test_gap_and_projection_sentences(made):
    """Issue 21. 丙 by hand: tax 100 on 100 亩 = 1.00 against the mean 2.00 → tax 200, +100 万元 (+100 %),
    or land 100 ÷ 2 = 50 亩, 50 亩 less; 主导产业占比 50 % is the mean (70, 30, 50). 预计全年 from 1-3月:
    output 1100 × 12 ÷ 3 = 4400 万元, tax 100 × 4 = 400 万元; 2023 has no December, so no pace of last year."""
    assert ("亩均税收 1.00 万元/亩，要达到园区平均 2.00 万元/亩，1-3月累计税收需增加 100.0 万元（+100.0%），"
            "或用地减少 50.0 亩") in made.sentences
    assert "主导产业占比 50.0%，已达到园区平均 50.0%" in made.sentences
    assert "预计全年规上工业总产值约 4,400.0 万元（按1-3月进度）" in made.sentences
    assert "预计全年税收收入约 400.0 万元（按1-3月进度）" in made.sentences
    assert not any("上年同期进度" in s for s in made.sentences)


def test_report_docx_carries_the_gap_and_the_projection(tmp_path):
    db = tmp_path / "pb.duckdb"
    con = store.connect(str(db))
    store_rows(con, rows())
    con.close()
    out = tmp_path / "简报.docx"
    result = run_cli("report", "--park", "丙园区", "--period", "2024-03", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "1-3月累计税收需增加 100.0 万元（+100.0%），或用地减少 50.0 亩" in text
    assert "预计全年规上工业总产值约 4,400.0 万元（按1-3月进度）" in text
