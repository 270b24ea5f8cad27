"""The prohibited-token filter a template's content must pass before going live."""

import re
from collections.abc import Iterable


def _pattern(token: str) -> re.Pattern[str]:
    # Whole-word match at ends that are word characters, so "ass" does not flag "class";
    # ends that are punctuation ("<|im_start|>") match as plain substrings.
    words = [re.escape(part) for part in token.split()]
    body = r"\s+".join(words)
    start = r"(?<!\w)" if re.match(r"\w", token.strip()) else ""
    end = r"(?!\w)" if re.search(r"\w$", token.strip()) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def find_prohibited_tokens(content: str, tokens: Iterable[str]) -> list[str]:
    """The tokens found in `content`, case-insensitively and as whole words, in given order."""
    found: list[str] = []
    seen: set[str] = set()
    for token in tokens:
        key = token.strip().casefold()
        if not key or key in seen:
            continue
        seen.add(key)
        if _pattern(token).search(content):
            found.append(token.strip())
    return found
