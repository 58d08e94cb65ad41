"""The closed emotional loop: plan → candidates → analyse each → keep the closest → fuse.

The same analyser that read the user's story judges every candidate, so "the
story feels warm" is a measured claim, not a hope.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from ..analysis.report import Report
from ..errors import InvalidOption, StoryLoomError
from .plan import make_plan
from .rerank import content_units, risk_of, score
from .target import resolve_target, target_valence
from .types import Backend, Candidate, Length, Plan, PointOfView, Story, StoryPrompt, Style, Target

MAX_CANDIDATES = 12
# Candidates are read for what the reranker compares: affect always, plus
# themes and elements; style and keywords add nothing to the choice.
CANDIDATE_PARTS = ("themes", "elements")
# At `concern` a dark target keeps its feeling but gains this much hope, so
# the new story never ends darker than the way out (issue #7).
CONCERN_HOPE = 0.4


def _enum(kind: type, value: Any, what: str) -> Any:
    try:
        return value if isinstance(value, kind) else kind(str(value).strip().lower())
    except ValueError:
        names = ", ".join(m.value for m in kind)  # type: ignore[attr-defined]
        raise InvalidOption(f"Unknown {what} {value!r}: use one of {names}.") from None


def _title(plan: Plan) -> str:
    person = next((c.name for c in plan.characters if c.kind != "group"), "")
    place = plan.places[0] if plan.places else ""
    when = plan.times[0] if plan.times else ""
    if plan.language == "en":
        if person and place:
            who = person[:1].upper() + person[1:]
            # a named place stands alone ("in Lisbon"); a common noun takes "the"
            return f"{who} in {place}" if place[:1].isupper() else f"{who} and the {place}"
        return (person or place or (plan.keywords[0] if plan.keywords else "A Story")).title()
    head = f"{when}{place}"
    if person:
        title = f"{head}的{person}" if head else person
    else:
        title = head or (plan.keywords[0] if plan.keywords else "一个故事")
    if plan.script == "traditional":
        from ..text.script import to_traditional

        title = to_traditional(title)
    return title


def _soften(target: Target) -> tuple[Target, str]:
    """A dark target at `concern` risk keeps its feeling but leans toward hope."""
    if target.valence >= 5.0:
        return target, ""
    mixed = {e: p * (1 - CONCERN_HOPE) for e, p in target.emotions.items()}
    mixed["love"] = mixed.get("love", 0.0) + CONCERN_HOPE * 0.6
    mixed["joy"] = mixed.get("joy", 0.0) + CONCERN_HOPE * 0.4
    valence = target_valence(mixed)
    dominant = max(mixed, key=mixed.__getitem__)
    note = ("The story signals distress, so the new story keeps its sadness but ends in hope "
            "(it never deepens hopelessness).")
    return Target(dominant, mixed, round(valence, 3), target.label, target.source), note


def _support_story(original: Report, target: Target, pov: PointOfView, style: Style, backend: str,
                   seed: int) -> Story:
    from .. import safety

    risk = safety.Risk.urgent
    message = safety.supportive_message(risk, original.language, original.script)
    resources = [
        {k: v for k, v in asdict(r).items() if v is not None}
        for r in safety.support_resources(original.language, original.script)
    ]
    return Story(
        status="support", title="", text=message, body="", close="", target=target, pov=pov, style=style,
        language=original.language, script=original.script, backend=backend, seed=seed, original=original,
        report=None, plan=None, resources=resources,
        notes=["The story speaks of being in danger now, so StoryLoom answers with support instead of a rewrite."],
    )


def _join(body: str, close: str) -> str:
    if not close:
        return body
    return f"{body.rstrip()}\n\n{close.strip()}"


def write(
    text_or_report: str | Report,
    target: str | Target | None = None,
    *,
    pov: str | PointOfView = PointOfView.second,
    style: str | Style = Style.plain,
    length: str | Length = Length.short,
    language: str | None = None,
    close: bool = True,
    keep_names: bool = True,
    names: dict[str, str] | None = None,
    gender: str | None = None,
    backend: str | Backend = "builtin",
    backend_options: dict[str, Any] | None = None,
    n: int = 4,
    seed: int = 0,
    engine: str | None = None,
    fallback: bool = False,
    on_token: Callable[[str], None] | None = None,
) -> Story:
    """Write a personalised story from a user's story and return the :class:`Story`.

    ``target`` is the emotion the new story should carry — one of our eight,
    or a feeling word (温暖, 治愈, hopeful, bittersweet); ``None`` keeps the
    story's own dominant emotion, and a user's label always wins.  ``n``
    candidates are written by ``backend`` (``builtin``, ``openai``,
    ``llamacpp`` or any :class:`Backend`), each is analysed with the same
    ``engine`` as the original, and the one closest to the target and to the
    original's people, places, themes and content is kept (see
    :mod:`storyloom.generate.rerank`; every candidate's score is in
    ``Story.candidates``).  With ``fallback`` an unreachable model backend
    falls back to ``builtin`` (noted in ``Story.notes``).  ``on_token``
    receives streamed text from backends that stream.
    """
    from .. import analyze

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    pov = _enum(PointOfView, pov, "point of view")
    style = _enum(Style, style, "style")
    length = _enum(Length, length, "length")
    if not 1 <= int(n) <= MAX_CANDIDATES:
        raise InvalidOption(f"--candidates must be between 1 and {MAX_CANDIDATES}, not {n}.")
    original = text_or_report if isinstance(text_or_report, Report) else analyze(text_or_report, engine=engine)
    times["analyse_original"] = time.perf_counter() - t0
    story_lang = "en" if original.language == "en" else "zh"
    language = (language or story_lang).strip().lower()
    if language not in ("zh", "en"):
        raise InvalidOption(f"Unknown language {language!r}: use zh or en.")
    resolved = resolve_target(target, original)
    backend_obj = backend if not isinstance(backend, str) else _backend(backend, backend_options)
    name = getattr(backend_obj, "name", type(backend_obj).__name__)

    risk = risk_of(original)
    if risk == "urgent":
        return _support_story(original, resolved, pov, style, name, seed)
    notes: list[str] = []
    if risk == "concern":
        resolved, note = _soften(resolved)
        if note:
            notes.append(note)
    if language != story_lang and name == "builtin":
        raise InvalidOption(
            f"The builtin backend rewrites a story in its own language ({story_lang}); "
            "use --backend openai or llamacpp to write it in another language."
        )

    plan = make_plan(original, keep_names=keep_names, names=names, target_valence=resolved.valence)
    script = original.script if language == story_lang else ("latin" if language == "en" else "simplified")
    prompt = StoryPrompt(
        text=original.text, report=original, plan=plan, target=resolved, pov=pov, style=style, length=length,
        language=language, script=script, close=close, keep_names=keep_names, safety=risk, gender=_gender(gender),
    )
    if on_token is not None and hasattr(backend_obj, "on_token"):
        backend_obj.on_token = on_token
    t1 = time.perf_counter()
    try:
        bodies = backend_obj.generate(prompt, int(n), int(seed))
    except StoryLoomError as exc:
        if not fallback or name == "builtin":
            raise
        notes.append(f"{name} backend unavailable ({exc.message}); fell back to the builtin backend.")
        backend_obj = _backend("builtin")
        name = "builtin"
        bodies = backend_obj.generate(prompt, int(n), int(seed))
    times["generate"] = time.perf_counter() - t1
    bodies = [_rename(b.strip(), names if not keep_names or names else None) for b in bodies if b and b.strip()]
    if not bodies:
        from ..errors import BackendFailed

        raise BackendFailed(f"The {name} backend returned no story text.")

    t2 = time.perf_counter()
    # The builtin backend only recolours the user's own sentences and adds reviewed bank
    # phrases, so its candidates are screened by the rules; text a model wrote gets the
    # full screen (rules + embeddings) before anyone sees it.
    screen = "rules" if name == "builtin" else "full"
    candidates = _judge(bodies, prompt, original, engine, seed, screen)
    times["analyse_candidates"] = time.perf_counter() - t2
    safe = [c for c in candidates if not c.score.safety]
    if not safe:
        # every candidate read as more dangerous than the user's own story: show none of them
        notes.append(f"All {name} candidates were withheld by the safety screen; the builtin backend wrote this one.")
        fallback_bodies = _backend("builtin").generate(prompt, int(n), int(seed))
        candidates += _judge(fallback_bodies, prompt, original, engine, seed, "rules")
        safe = [c for c in candidates if not c.score.safety] or candidates
    best = min(safe, key=lambda c: c.score.total)
    best.chosen = True
    times["total"] = time.perf_counter() - t0
    return Story(
        status="story", title=_title(plan), text=best.text, body=best.body, close=best.close, target=resolved,
        pov=pov, style=style, language=language, script=script, backend=name, seed=int(seed), original=original,
        report=best.report, plan=plan, candidates=candidates, notes=notes,
        timings={k: round(v * 1000, 1) for k, v in times.items()},
    )


def _rename(text: str, names: dict[str, str] | None) -> str:
    """Apply the user's renames everywhere, dialogue included (longest names first, so 李明明 before 李明)."""
    if not names:
        return text
    for old in sorted(names, key=len, reverse=True):
        text = text.replace(old, names[old])
    return text


def _gender(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    key = str(value).strip().lower()
    known = {"female": "female", "f": "female", "woman": "female", "女": "female", "she": "female",
             "male": "male", "m": "male", "man": "male", "男": "male", "he": "male"}
    if key not in known:
        raise InvalidOption(f"Unknown gender {value!r}: use female or male (or leave it out for 他 / they).")
    return known[key]


def _backend(name: str, options: dict[str, Any] | None = None) -> Backend:
    from .backends import get_backend

    return get_backend(name, **(options or {}))


def _judge(bodies: list[str], prompt: StoryPrompt, original: Report, engine: str | None, seed: int,
           safety: str | None = None) -> list[Candidate]:
    from .. import analyze
    from .close import choose_close

    source_units = content_units(original.text, prompt.plan.language)
    out: list[Candidate] = []
    for i, body in enumerate(bodies):
        ending = choose_close(prompt, seed + i) if prompt.close else ""
        full = _join(body, ending)
        try:
            report = analyze(full, prompt.language, parts=CANDIDATE_PARTS, engine=engine, safety=safety)
        except StoryLoomError:
            continue  # a model backend's empty or unreadable answer is not a candidate
        s = score(report, full, target=prompt.target, plan=prompt.plan, original=original, source_units=source_units)
        out.append(Candidate(text=full, body=body, close=ending, score=s, report=report))
    return out
