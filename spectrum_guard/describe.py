"""Short, safe descriptions of untrusted values (policy elements, configuration settings) for messages."""
from __future__ import annotations


def describe(value: object) -> str:
    # Never repr containers: a hostile document can nest deeply enough to break repr itself.
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return f"a value of type {type(value).__name__}"
