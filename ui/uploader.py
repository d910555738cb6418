"""The file uploader with one size limit, said in the user's language.

Streamlit's dropzone has fixed English texts ("Upload", "200MB per file",
"Drag and drop files here") and refuses a file above its limit in English,
in a tooltip on a red chip. Here the widget's limit is ours
(``limits.MAX_FILE_MB``), so a file above it never travels, and a fixed
style sheet (no user data: our own sentences and a number) hides the English
and shows ours in their place:

- the button says 选择文件, the dropzone 单个文件不超过 50 MB;
- while a file is dragged over it, 松开鼠标即可添加;
- once a chip is refused (red), a sentence under the dropzone says why and
  what to do; the English tooltip and alert of the chip are hidden.

The widget counts a MB as 1024² bytes on Windows and 1000² elsewhere, so it
never lets through a file ``limits.check_file`` refuses; that check stays,
for the CLI and any file the widget would let through.
"""

from __future__ import annotations

import streamlit as st

from parkbench import limits
from ui.i18n import t

DROPZONE = '[data-testid="stFileUploaderDropzone"]'
REFUSED_CHIP = '[data-testid="stFileChip"][aria-invalid="true"]'


def texts() -> dict[str, str]:
    """What the dropzone says, in the current language."""
    mb = limits.MAX_FILE_MB
    return {
        "button": t("选择文件", "Choose files"),
        "limit": t(f"单个文件不超过 {mb} MB", f"At most {mb} MB per file"),
        "drop": t("松开鼠标即可添加", "Drop to add"),
        "refused": t(f"标红的文件没有上传：单个文件不能超过 {mb} MB，更大的文件请拆分为几个文件上传；"
                     "文件不大的，请点 ⊗ 移除后重新选择。",
                     f"Files marked red were not uploaded: at most {mb} MB per file, split a larger one into "
                     "several; for a smaller one, remove it (⊗) and choose it again."),
    }


def css_string(text: str) -> str:
    """A CSS string literal of our own text (never user text)."""
    if any(c in text for c in '"\\<>\n'):
        raise ValueError(f"not a plain sentence for a style sheet: {text!r}")
    return f'"{text}"'


def style_sheet() -> str:
    said = {key: css_string(text) for key, text in texts().items()}
    return f"""<style>
{DROPZONE} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {{ display: none; }}
{DROPZONE} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]::after {{
  content: {said["button"]}; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: {said["limit"]}; font-size: 0.875rem; opacity: 0.7; }}
{DROPZONE} > div > span:only-child {{ display: none; }}
{DROPZONE} > div:has(> span:only-child)::after {{
  content: {said["drop"]}; font-size: 0.875rem; font-weight: 800; color: #0072B2; }}
{REFUSED_CHIP} [role="alert"] {{ display: none; }}
body:has({REFUSED_CHIP}:hover) [role="tooltip"] {{ display: none; }}
[data-testid="stFileUploader"]:has({REFUSED_CHIP})::after {{
  content: {said["refused"]}; display: block; margin-top: 0.5rem; font-size: 0.875rem; color: #B91C1C; }}
</style>"""


def choose_files(label: str, key: str) -> list:
    """``st.file_uploader`` for several files of any type (our own check says
    which types it reads, in Chinese), at most ``limits.MAX_FILE_MB`` each."""
    st.html(style_sheet())
    return st.file_uploader(label, type=None, max_upload_size=limits.MAX_FILE_MB, accept_multiple_files=True,
                            key=key)
