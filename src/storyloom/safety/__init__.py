"""Safety: crisis-language detection and support resources (issue #7 §1).

Public API (the generation code and the web server call these names)::

    Risk                      none | concern | urgent
    SafetyEvidence            text, sentence, category, level, cue
    Safety                    risk, categories, evidence; to_dict()
    assess(doc) -> Safety
    assess_text(text, lang=None) -> Safety
    SupportResource           name, contact, region, hours, url, note
    support_resources(language="zh", script="simplified", regions=None)
    supportive_message(risk, language, script) -> str

Rules and levels: :mod:`storyloom.safety.crisis` and docs/safety.md.
"""

from __future__ import annotations

from .crisis import (
    CATEGORIES,
    Risk,
    Safety,
    SafetyEvidence,
    SupportNotice,
    SupportResource,
    assess,
    assess_text,
    support_heading,
    support_notice,
    support_resources,
    supportive_message,
)

__all__ = [
    "CATEGORIES",
    "Risk",
    "Safety",
    "SafetyEvidence",
    "SupportNotice",
    "SupportResource",
    "assess",
    "assess_text",
    "support_heading",
    "support_notice",
    "support_resources",
    "supportive_message",
]
