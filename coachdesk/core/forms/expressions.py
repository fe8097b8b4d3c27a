"""The sandboxed expression language of form definitions: a small subset of ODK XPath.

    ${purpose_codes}, .             a field's answer, the answer being checked
    = != < <= > >=                  comparisons (numbers when both sides are numbers, else text)
    and  or  not(x)                 logic
    + - * div mod                   arithmetic
    'text' "text" 12 3.5            literals
    selected(${f}, 'code')  count-selected(${f})  string-length(x)  today()  position(..)
    count(${repeat})  if(c, a, b)  number(x)  coalesce(a, b)

Expressions are parsed by the hand-written parser below into a tree of frozen nodes and then
walked by `evaluation.evaluate`; nothing is ever handed to Python's eval, so a form file cannot
run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class ExpressionError(ValueError):
    """The expression text does not parse; the message says where and why."""


# --- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: str | float


@dataclass(frozen=True)
class FieldRef:
    name: str


@dataclass(frozen=True)
class Current:
    """`.`: the answer of the field the expression belongs to."""


@dataclass(frozen=True)
class Parent:
    """`..`: only meaningful as the argument of position()."""


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | FieldRef | Current | Parent | Unary | Binary | Call

# name -> (min args, max args)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "today": (0, 0),
    "position": (1, 1),
    "not": (1, 1),
    "count": (1, 1),
    "if": (3, 3),
    "number": (1, 1),
    "coalesce": (2, 2),
}

# --- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<parent>\.\.)
  | (?P<dot>\.)
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    """,
    re.VERBOSE,
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD_OPS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: int


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise ExpressionError(f"cannot read {text[at : at + 12]!r} at character {at + 1}")
        kind = match.lastgroup or ""
        if kind == "refname":  # the group inside ref
            kind = "ref"
        if match.group("ref") is not None:
            name = match.group("refname").strip()
            if not _NAME.match(name):
                raise ExpressionError(f"${{{name}}} is not a field name")
            found.append(_Token("ref", name, at))
        elif kind == "word" and match.group() in _WORD_OPS:
            found.append(_Token("op", match.group(), at))
        elif kind != "space":
            found.append(_Token(kind, match.group(), at))
        at = match.end()
    found.append(_Token("end", "", len(text)))
    return found


# --- parser (precedence climbing) -----------------------------------------------------------

_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            shown = token.text or "the end"
            raise ExpressionError(f"expected {text!r} but found {shown!r}")

    def parse(self) -> Node:
        node = self.level(0)
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r} at character {token.at + 1}")
        return node

    def level(self, depth: int) -> Node:
        if depth == len(_LEVELS):
            return self.unary()
        node = self.level(depth + 1)
        while self.peek().kind == "op" and self.peek().text in _LEVELS[depth]:
            op = self.take().text
            node = Binary(op, node, self.level(depth + 1))
        return node

    def unary(self) -> Node:
        if self.peek().text == "-":
            self.take()
            return Unary("-", self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            return FieldRef(token.text)
        if token.kind == "dot":
            return Current()
        if token.kind == "parent":
            return Parent()
        if token.text == "(":
            node = self.level(0)
            self.expect(")")
            return node
        if token.kind == "word":
            return self.call(token)
        if token.kind == "end":
            raise ExpressionError("the expression ends too early")
        shown = token.text or "the end"
        raise ExpressionError(f"unexpected {shown!r} at character {token.at + 1}")

    def call(self, token: _Token) -> Node:
        name = token.text
        if name in ("true", "false") and self.peek().text == "(":
            self.take()
            self.expect(")")
            return Literal(1.0 if name == "true" else 0.0)
        if name not in FUNCTIONS:
            raise ExpressionError(f"{name!r} is not a function forms may use")
        if self.peek().text != "(":
            raise ExpressionError(f"{name} needs brackets: {name}(...)")
        self.take()
        args: list[Node] = []
        if self.peek().text != ")":
            args.append(self.level(0))
            while self.peek().text == ",":
                self.take()
                args.append(self.level(0))
        self.expect(")")
        low, high = FUNCTIONS[name]
        if not low <= len(args) <= high:
            wanted = str(low) if low == high else f"{low} to {high}"
            raise ExpressionError(f"{name}() takes {wanted} argument(s), not {len(args)}")
        if name == "position" and not isinstance(args[0], Parent):
            raise ExpressionError("position() only accepts '..' (the current repeat row)")
        if any(isinstance(a, Parent) for a in args) and name != "position":
            raise ExpressionError("'..' may only appear inside position(..)")
        return Call(name, tuple(args))


def parse(text: str) -> Node:
    """Parse expression text into a tree; raises ExpressionError with a readable reason."""
    if not text or not text.strip():
        raise ExpressionError("the expression is empty")
    if len(text) > 2000:
        raise ExpressionError("the expression is longer than 2,000 characters")
    return _Parser(text).parse()


def references(node: Node) -> set[str]:
    """Every field name an expression refers to with ${...}."""
    if isinstance(node, FieldRef):
        return {node.name}
    if isinstance(node, Unary):
        return references(node.operand)
    if isinstance(node, Binary):
        return references(node.left) | references(node.right)
    if isinstance(node, Call):
        found: set[str] = set()
        for arg in node.args:
            found |= references(arg)
        return found
    return set()
