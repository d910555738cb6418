"""Enterprise codes: the 18-character 统一社会信用代码 (GB 32100-2015), the old
9-character 组织机构代码 inside it (characters 9–17), industry codes
(GB/T 4754-2017) and the code lists of a leading-industry directory
(``33-40、43``).

Pure functions of a cell; a code that looks wrong is the caller's warning,
never a refusal (docs/enterprises.md, rule 1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# GB 32100-2015: the code's alphabet (no I, O, S, V, Z) and the weights of
# characters 1–17; the 18th is the check character.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_SHAPE = re.compile(f"^[{CREDIT_ALPHABET}]{{18}}$")
_ORG_SHAPE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")


def credit_check_character(first17: str) -> str:
    """The check character (18th) of a 统一社会信用代码 from its first 17
    characters (GB 32100-2015: weighted sum modulo 31). Raises ``ValueError``
    for a character outside the code's alphabet."""
    if len(first17) != 17:
        raise ValueError("统一社会信用代码前 17 位长度不对")
    total = 0
    for char, weight in zip(first17, CREDIT_WEIGHTS, strict=True):
        index = CREDIT_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"“{char}”不是统一社会信用代码可用的字符")
        total += index * weight
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    """Whether an 18-character code's check character is right."""
    return bool(_CREDIT_SHAPE.match(code)) and credit_check_character(code[:17]) == code[17]


def org_code_of(credit_code: str) -> str:
    """The 组织机构代码 inside a 统一社会信用代码: characters 9–17."""
    return credit_code[8:17]


def clean_code(cell: object) -> str:
    """A code cell as text: half-width, upper case, no spaces or hyphens
    (``12345678-9`` is written with one)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = unicodedata.normalize("NFKC", str(cell)).upper()
    return re.sub(r"[\s\-—_]", "", text).strip("'\"")


@dataclass(frozen=True)
class FirmCode:
    """What a code cell says: the credit code (or None), the organisation
    code (or None), and a problem to warn about (or None)."""

    credit_code: str | None
    org_code: str | None
    problem: str | None = None


def read_code(cell: object, taxpayer: bool = False) -> FirmCode:
    """A 统一社会信用代码 (or 组织机构代码, or — for a 纳税人识别号 column — an old
    15-character tax number: region + organisation code) from a cell.

    A credit code with a wrong check character is kept as written, with the
    problem named: the same wrong code links the same firm from file to file."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and abs(cell) >= 1e15:
        return FirmCode(None, None, "代码被 Excel 存成了数字，末几位可能已经丢失（请把该列设为文本后重新填写）")
    code = clean_code(cell)
    if not code:
        return FirmCode(None, None)
    if len(code) == 18:
        if not _CREDIT_SHAPE.match(code):
            return FirmCode(None, None, f"“{code}”含有统一社会信用代码不用的字符（I、O、S、V、Z 等）")
        problem = None
        if credit_check_character(code[:17]) != code[17]:
            problem = (f"统一社会信用代码“{code}”的校验位不对（按 GB 32100-2015 应为"
                       f"“{credit_check_character(code[:17])}”），请核对；仍按原样读取")
        return FirmCode(code, org_code_of(code), problem)
    if len(code) == 9 and _ORG_SHAPE.match(code):
        return FirmCode(None, code)
    if taxpayer and len(code) in (15, 20) and _ORG_SHAPE.match(code[6:15]):
        return FirmCode(None, code[6:15])  # old 税务登记号: 6-character region + 组织机构代码 (+ 2 or 5 more)
    return FirmCode(None, None, f"“{code}”既不是 18 位统一社会信用代码，也不是 9 位组织机构代码，按企业名称识别")


# ---------------------------------------------------------------- industry codes

_INDUSTRY_CODE = re.compile(r"^[A-T]?(\d{2,4})$")


def industry_code(cell: object) -> str | None:
    """A GB/T 4754-2017 code as text (``3311``; ``C3311`` loses its 门类
    letter; a number that lost its leading zero, ``6``, is ``06``); None for
    an empty cell. Raises ``ValueError`` for anything else."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if not float(cell).is_integer() or cell < 0:
            raise ValueError(f"行业代码“{cell}”不是 GB/T 4754 代码")
        digits = str(int(cell))
        return digits.zfill(2) if len(digits) == 1 else digits
    code = clean_code(cell)
    if not code:
        return None
    m = _INDUSTRY_CODE.match(code)
    if not m:
        raise ValueError(f"行业代码“{cell}”不是 GB/T 4754 代码（应为 2–4 位数字，如 3311）")
    return m.group(1)


_RANGE = re.compile(r"^[A-T]?(\d{2,4})(?:-|—|–|~|～|至|到)[A-T]?(\d{2,4})$")
_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def code_prefixes(cell: object) -> list[str]:
    """The code prefixes a directory cell lists: ``17、18、19`` → 17, 18, 19;
    ``33-40、43`` → 33 … 40 and 43 (a range runs over codes of one length).
    Raises ``ValueError`` naming the part that is not a code."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        code = industry_code(cell)
        return [code] if code else []
    text = unicodedata.normalize("NFKC", str(cell or "")).upper()
    out: list[str] = []
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        m = _RANGE.match(part)
        if m:
            start, end = m.group(1), m.group(2)
            if len(start) != len(end) or int(end) < int(start):
                raise ValueError(f"行业代码范围“{part}”的两端位数不同或顺序颠倒")
            out.extend(str(n).zfill(len(start)) for n in range(int(start), int(end) + 1))
            continue
        if not _INDUSTRY_CODE.match(part):
            raise ValueError(f"“{part}”不是行业代码（应为 2–4 位数字或范围，如 17、33-40）")
        out.append(_INDUSTRY_CODE.match(part).group(1))
    return list(dict.fromkeys(out))
