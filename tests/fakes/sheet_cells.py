"""Cell values as Google Sheets stores and renders them: RAW vs USER_ENTERED input, the three render options.

Deliberately small: enough typing (numbers, booleans, ISO dates, '=' formulas, a leading apostrophe) that
a client switching from RAW to USER_ENTERED reads back something different, and a formula is never
mistaken for the text it came from. Standard library only.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

SKIP = object()  # a JSON null in a write: the API leaves that cell unchanged
_EPOCH = dt.date(1899, 12, 30)  # day 0 of Sheets' serial dates
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class Cell:
    value: Any  # str | int | float | bool: the effective value (a formula's result)
    formula: str | None = None
    shown: str | None = None  # the formatted text when it is not derived from value (dates)


def from_input(value: Any, user_entered: bool) -> Cell | None | object:
    """A written JSON value -> a Cell, None (the cell is cleared) or SKIP."""
    if value is None:
        return SKIP
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return Cell(value)
    if not isinstance(value, str):
        raise TypeError(type(value).__name__)
    if value == "":
        return None
    if not user_entered:
        return Cell(value)
    return _parse_typed(value)


def _parse_typed(text: str) -> Cell:
    """What the Sheets UI makes of typed text (a small subset)."""
    if text.startswith("'"):
        return Cell(text[1:])
    if text.startswith("=") and len(text) > 1:
        return Cell(evaluate(text[1:]), formula=text)
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped):
        number = float(stripped)
        return Cell(int(number) if number.is_integer() and "." not in stripped else number)
    if stripped.upper() in ("TRUE", "FALSE"):
        return Cell(stripped.upper() == "TRUE")
    match = _DATE.fullmatch(stripped)
    if match:
        try:
            y, m, d = (int(g) for g in match.groups()[:3])
            days = (dt.date(y, m, d) - _EPOCH).days
        except ValueError:
            return Cell(text)
        hh, mm, ss = (int(g or 0) for g in match.groups()[3:])
        serial = days + (hh * 3600 + mm * 60 + ss) / 86400
        shown = f"{y:04d}-{m:02d}-{d:02d}" + (f" {hh}:{mm:02d}:{ss:02d}" if match.group(4) else "")
        return Cell(serial if match.group(4) else days, shown=shown)
    return Cell(text)


def render(cell: Cell, value_option: str, datetime_option: str) -> Any:
    if value_option == "FORMULA" and cell.formula is not None:
        return cell.formula
    if value_option == "FORMATTED_VALUE":
        return cell.shown if cell.shown is not None else format_value(cell.value)
    if cell.shown is not None and datetime_option == "FORMATTED_STRING":
        return cell.shown
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def format_value(value: Any) -> str:
    """The 'Automatic' number format, roughly: integers bare, fractions to 10 significant digits."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return "#NUM!"
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    return str(value)


# --- formulas: numbers, + - * /, parentheses, strings, HYPERLINK; everything else is #NAME? ---------
_TOKEN = re.compile(r'\s*(?:(\d+\.?\d*|\.\d+)|("(?:[^"]|"")*")|([A-Za-z_][A-Za-z0-9_.]*)|(.))')


def evaluate(expression: str) -> Any:
    try:
        tokens = [t for t in _TOKEN.findall(expression) if any(t)]
        parser = _Parser(tokens)
        value = parser.expr()
        if parser.pos != len(tokens):
            return "#ERROR!"
        return value
    except _FormulaError as exc:
        return str(exc)
    except (IndexError, ValueError):
        return "#ERROR!"


class _FormulaError(Exception):
    pass


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, str, str]]):
        self.tokens, self.pos = tokens, 0

    def _peek(self) -> str | None:
        return self.tokens[self.pos][3] if self.pos < len(self.tokens) else None

    def expr(self) -> Any:
        value = self.term()
        while self._peek() in ("+", "-", "&"):
            op = self.tokens[self.pos][3]
            self.pos += 1
            right = self.term()
            value = f"{format_value(value)}{format_value(right)}" if op == "&" else _arith(op, value, right)
        return value

    def term(self) -> Any:
        value = self.factor()
        while self._peek() in ("*", "/"):
            op = self.tokens[self.pos][3]
            self.pos += 1
            value = _arith(op, value, self.factor())
        return value

    def factor(self) -> Any:
        number, string, name, op = self.tokens[self.pos]
        self.pos += 1
        if op in ("+", "-"):
            value = self.factor()
            return _arith("*", -1 if op == "-" else 1, value)
        if op == "(":
            value = self.expr()
            self._expect(")")
            return value
        if number:
            n = float(number)
            return int(n) if n.is_integer() else n
        if string:
            return string[1:-1].replace('""', '"')
        if name:
            if self._peek() != "(":
                raise _FormulaError("#NAME?")
            self.pos += 1
            args = []
            if self._peek() != ")":
                args.append(self.expr())
                while self._peek() == ",":
                    self.pos += 1
                    args.append(self.expr())
            self._expect(")")
            if name.upper() == "HYPERLINK" and args:
                return args[1] if len(args) > 1 else args[0]
            raise _FormulaError("#NAME?")
        raise ValueError(op)

    def _expect(self, op: str) -> None:
        if self._peek() != op:
            raise ValueError(op)
        self.pos += 1


def _arith(op: str, left: Any, right: Any) -> Any:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
        raise _FormulaError("#VALUE!")
    if op == "/" and right == 0:
        raise _FormulaError("#DIV/0!")
    result = {"+": left + right, "-": left - right, "*": left * right, "/": left / right if op == "/" else 0}[op]
    return int(result) if isinstance(result, float) and result.is_integer() else result
