"""The paragraph diff of an edit, trimmed so a cron mail shows what changed."""

from __future__ import annotations

import difflib

DIFF_LINES = 40
LINE_CHARS = 160


def _common_prefix(a: str, b: str) -> int:
    """How many leading characters two texts share.

    >>> _common_prefix("funding of 125", "funding of 150")
    12
    """
    pairs = enumerate(zip(a, b, strict=False))
    return next((k for k, (x, y) in pairs if x != y), min(len(a), len(b)))


def _clip(line: str, start: int, width: int) -> str:
    """A diff line cut to ``width`` characters of text around position ``start``.

    >>> _clip("-" + "a" * 50 + "XYZ" + "b" * 50, 50, 20)
    '-…aaaaaXYZbbbbbbbbbbbb…'
    """
    sign, text = line[:1], line[1:]
    if len(text) <= width:
        return line
    begin = max(0, min(start - width // 4, len(text) - width))
    end = begin + width
    return sign + ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")


def trimmed_diff(
    old: str | None, new: str | None, *, lines: int = DIFF_LINES, width: int = LINE_CHARS
) -> tuple[tuple[str, ...], int]:
    """A unified diff of two texts by paragraph, and how many lines were cut off.

    A long paragraph is cut around where it differs from its counterpart, so an edited
    figure deep in a paragraph is what the reader sees.

    >>> trimmed_diff("a\\nb\\nc", "a\\nB\\nc")
    (('@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c'), 0)
    >>> trimmed_diff("x", "y", lines=2)
    (('@@ -1 +1 @@', '-x'), 1)
    """

    def paragraphs(text: str | None) -> list[str]:
        return [line for line in (text or "").splitlines() if line.strip()]

    body = list(difflib.unified_diff(paragraphs(old), paragraphs(new), lineterm="", n=1))[2:]
    starts = [0] * len(body)
    i = 0
    while i < len(body):
        minus = i
        while minus < len(body) and body[minus].startswith("-"):
            minus += 1
        plus = minus
        while plus < len(body) and body[plus].startswith("+"):
            plus += 1
        for a, b in zip(range(i, minus), range(minus, plus), strict=False):
            starts[a] = starts[b] = _common_prefix(body[a][1:], body[b][1:])
        i = max(plus, i + 1)
    cut = [_clip(line, start, width) for line, start in zip(body, starts, strict=True)]
    return tuple(cut[:lines]), max(0, len(body) - lines)
