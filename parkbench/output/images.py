"""Chart images for documents: a Word column, a 16:9 slide, and SVG.

A chart on screen is sized for the screen; pasted at 16 cm into Word its text
would shrink to 6 pt. The presets re-lay the same spec out at a width where,
scaled to the target pixels, the smallest text is at least 9 pt and titles
at least 12 pt, and tag the PNG with its dpi (pHYs) so Word inserts it at
size. Interaction (selections, zoom, pointer cursors) is taken out: an image
cannot be clicked.
"""

from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import dataclass

from parkbench.output import fonts

CM_PER_INCH = 2.54


@dataclass(frozen=True)
class Preset:
    id: str
    zh: str
    en: str
    width_px: int  # exact pixel width of the PNG
    height_px: int | None  # exact height (slides) or None (as tall as the chart needs)
    dpi: int
    css_width: int  # the chart is laid out this wide (CSS px) before scaling


# 16 cm at 300 dpi = 1889.8 px; laid out 560 px wide the scale is 3.375, so 12 px text
# prints at 9.7 pt and an 18 px title at 14.6 pt.
WORD = Preset("word", "Word 插图（16 厘米，300 dpi）", "Word column (16 cm, 300 dpi)",
              round(16 / CM_PER_INCH * 300), None, 300, 560)
# A 16:9 slide: 1920 × 1080 at scale 2 (a 960 × 540 layout), 144 dpi (13.3 in wide).
SLIDE = Preset("slide", "幻灯片（16:9）", "Slide (16:9)", 1920, 1080, 144, 960)
PRESETS = {p.id: p for p in (WORD, SLIDE)}

_VIEW_KEYS = ("layer", "mark")  # a node with one of these draws one view (and carries width/height)
TRIAL_HEIGHT = 300  # CSS px: a single view's height when measuring what titles and axes add to it


def _register_fonts(vlc) -> str:
    """Register the font folders with vl-convert once; return the CJK family to put first."""
    if not _registered:
        for directory in fonts.font_dirs():
            try:
                vlc.register_font_directory(str(directory))
            except Exception:  # an unreadable folder is not fatal; the check below is
                pass
        _registered.append(fonts.cjk_font().family)
    return _registered[0]


_registered: list[str] = []


def _strip_interaction(node):
    """Remove selection parameters, conditions on them and pointer cursors."""
    if isinstance(node, dict):
        node.pop("params", None) if _is_selection_list(node.get("params")) else None
        if node.get("cursor") == "pointer":
            node.pop("cursor")
        for key, value in list(node.items()):
            if isinstance(value, dict) and "condition" in value and _selection_condition(value["condition"]):
                # keep the value used when nothing is selected… which is the "selected" look
                cond = value["condition"]
                node[key] = {k: v for k, v in cond.items() if k not in ("param", "empty")}
            else:
                _strip_interaction(value)
    elif isinstance(node, list):
        for item in node:
            _strip_interaction(item)
    return node


def _is_selection_list(params) -> bool:
    return isinstance(params, list) and any(isinstance(p, dict) and "select" in p for p in params)


def _selection_condition(cond) -> bool:
    return isinstance(cond, dict) and "param" in cond


def _views(node, out: list) -> list:
    if isinstance(node, dict):
        if any(k in node for k in _VIEW_KEYS) and "width" in node:
            out.append(node)
            return out  # the layers inside share their parent's size
        for key in ("layer", "concat", "vconcat", "hconcat", "spec"):
            value = node.get(key)
            if isinstance(value, list):
                for item in value:
                    _views(item, out)
            elif isinstance(value, dict):
                _views(value, out)
    return out


def _set_view_width(spec: dict, total: int, measured_total: float, current: list[float]) -> None:
    """Widen or narrow every view so the whole image is ``total`` CSS px wide."""
    views = _views(spec, [])
    if not views:
        return
    per_row = max(1, spec.get("columns", 1)) if "concat" in spec else len(views) if "hconcat" in spec else 1
    change = (total - measured_total) / per_row
    for view, width in zip(views, current, strict=True):
        view["width"] = max(120, round(width + change))


def _view_widths(spec: dict) -> list[float]:
    widths = []
    for view in _views(spec, []):
        width = view.get("width")
        widths.append(float(width) if isinstance(width, (int, float)) else 600.0)
        view["width"] = widths[-1]
    return widths


def _svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not match:
        raise ValueError("SVG without size")
    return float(match.group(1)), float(match.group(2))


def document_spec(spec: dict | str, preset: Preset) -> dict:
    """The chart laid out for a document: no interaction, one column of small
    multiples for Word, views as wide as the preset wants (measured, then set)."""
    return _laid_out(spec, preset)[0]


def _laid_out(spec: dict | str, preset: Preset, settle: bool = True) -> tuple[dict, tuple[float, float] | None]:
    """document_spec, and the size of its SVG when the last measurement was
    of the spec returned (else None): every SVG render costs a Vega run.
    ``settle=False`` sets the widths from one measurement and does not measure
    again (``png`` checks the drawn image instead)."""
    import vl_convert as vlc

    spec = copy.deepcopy(json.loads(spec) if isinstance(spec, str) else spec)
    _strip_interaction(spec)
    family = _register_fonts(vlc)
    config = spec.setdefault("config", {})
    config["font"] = f"{family}, {config.get('font', 'sans-serif')}"
    if "concat" in spec and preset is WORD:
        spec["columns"] = 1
    views = _views(spec, [])
    fit = preset.height_px is not None and len(views) == 1  # slides: a single view fills the frame
    if fit:
        views[0]["height"] = TRIAL_HEIGHT  # measured with the widths below, not in a render of its own
    widths = _view_widths(spec)
    size = None
    for _ in range(2 if settle else 1):  # axis labels grow with the data; twice settles it
        size = _svg_size(vlc.vegalite_to_svg(spec))
        if abs(size[0] - preset.css_width) <= 2:
            break
        _set_view_width(spec, preset.css_width, size[0], widths)
        widths = _view_widths(spec)
        size = None
    if fit:
        # Titles and axes add to the view's height: the trial height measured gives their share.
        measured = size or _svg_size(vlc.vegalite_to_svg(spec))
        if not settle and abs(measured[0] - preset.css_width) > 2:  # the same measurement corrects the width
            _set_view_width(spec, preset.css_width, measured[0], widths)
        total = preset.css_width * preset.height_px / preset.width_px
        views[0]["height"] = max(100, round(TRIAL_HEIGHT + total - measured[1]))
        size = None
    return spec, size


def png(spec: dict | str, preset: Preset) -> bytes:
    """The chart as a PNG of exactly the preset's width (and height for slides),
    white background, dpi recorded in the file. Saved without Pillow's
    optimize pass, which took longer than drawing the chart.

    Each Vega run costs a fraction of a second, and a briefing draws three
    charts: the layout is measured once, the chart drawn at the scale its
    target width gives, and measured and drawn again only when the drawing
    came out more than a few pixels off that width."""
    import vl_convert as vlc
    from PIL import Image

    laid_out, size = _laid_out(spec, preset, settle=False)
    width, height = size or (preset.css_width, _target_height(preset))
    image = _draw(vlc, laid_out, preset, width, height)
    if size is None and abs(image.width - preset.width_px) > PNG_SLACK_PX:
        image = _draw(vlc, laid_out, preset, *_svg_size(vlc.vegalite_to_svg(laid_out)))
    canvas = Image.new("RGB", (preset.width_px, preset.height_px or image.height), "white")
    left = (canvas.width - image.width) // 2 if preset.height_px else 0
    top = (canvas.height - image.height) // 2 if preset.height_px else 0
    canvas.paste(image.crop((0, 0, min(image.width, canvas.width), min(image.height, canvas.height))), (left, top))
    out = io.BytesIO()
    canvas.save(out, format="PNG", dpi=(preset.dpi, preset.dpi))
    return out.getvalue()


PNG_SLACK_PX = 6  # a drawing this close to the preset's width is kept (the canvas pads or trims it)


def _target_height(preset: Preset) -> float | None:
    return preset.css_width * preset.height_px / preset.width_px if preset.height_px else None


def _draw(vlc, laid_out: dict, preset: Preset, width: float, height: float | None):
    """The chart drawn at the scale that makes ``width`` CSS px the preset's pixels (and fits the height)."""
    from PIL import Image

    scale = preset.width_px / width
    if preset.height_px and height:
        scale = min(scale, preset.height_px / height)
    return Image.open(io.BytesIO(vlc.vegalite_to_png(laid_out, scale=scale))).convert("RGB")


def svg(spec: dict | str) -> bytes:
    """The chart as SVG (Word preset layout), fonts named, interaction removed."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(document_spec(spec, WORD)).encode("utf-8")


def min_font_pt(spec: dict, preset: Preset) -> float:
    """The smallest font size used in the laid-out spec, in points at the
    preset's pixel width and dpi (what a reader of the document sees)."""
    import vl_convert as vlc

    width, _height = _svg_size(vlc.vegalite_to_svg(spec))
    scale = preset.width_px / width
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)', vlc.vegalite_to_svg(spec))]
    sizes += [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", vlc.vegalite_to_svg(spec))]
    return min(sizes) * scale * 72 / preset.dpi


_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def file_name(*parts: str, suffix: str) -> str:
    """``亩均税收_园区对比_2024年12月.png``: the parts joined by underscores, with
    characters Windows refuses in file names replaced, at most 120 characters."""
    cleaned = [_UNSAFE.sub("_", str(p)).strip("_.") for p in parts if p]
    stem = "_".join(c for c in cleaned if c)[:120] or "chart"
    return f"{stem}.{suffix}"
