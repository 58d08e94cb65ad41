"""The plan: what a user's story fixes, read off its Report.

Everything a backend writes is checked back against the plan by the
reranker, so the plan lists surface forms exactly as the user wrote them.
"""

from __future__ import annotations

import re

from ..analysis.report import Report
from .types import Character, Event, Plan

# Characters the plan keeps: pronoun-like narrator/addressee mentions are the
# point of view, not people to preserve by name.
_PEOPLE = ("person", "kinship", "role", "group")
# Arc the new story should take, by the target's valence relative to the
# original's: a warmer target lifts the ending, a darker one lowers it.
_WEATHER = {
    "zh": ("寒冷", "严寒", "冷风", "寒风", "大雪", "下雪", "雪花", "小雨", "大雨", "下雨", "细雨", "雨夜", "阳光", "烈日", "炎热",
           "闷热", "大雾", "雾气", "大风", "狂风", "暴雨", "风雪"),
    # not "cold"/"hot" alone: "the office felt cold", "hot tea" are not weather
    "en": ("freezing", "snow", "snowing", "rain", "raining", "drizzle", "storm", "sunny", "sunshine", "heatwave",
           "fog", "foggy", "windy", "cold wind", "icy"),
}
# Phrase-bank settings, most specific first; a place/time word containing a
# cue selects the setting.
_SETTINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hospital", ("医院", "病房", "诊所", "急诊", "hospital", "ward", "clinic")),
    ("school", ("学校", "教室", "校园", "校门", "考场", "宿舍", "操场", "大学", "中学", "小学", "school", "classroom",
                "campus", "dorm", "college", "university")),
    ("workplace", ("公司", "办公室", "工地", "工厂", "车间", "店", "office", "factory", "site", "shop", "work")),
    ("home", ("家", "厨房", "客厅", "卧室", "老家", "阳台", "home", "kitchen", "house", "bedroom", "flat", "apartment")),
    ("travel", ("车站", "火车", "机场", "高铁", "旅途", "异乡", "远方", "station", "train", "airport", "trip", "abroad")),
    ("nature", ("山", "海", "河", "湖", "田", "森林", "公园", "草地", "mountain", "sea", "beach", "river", "lake",
                "forest", "park", "field")),
    ("countryside", ("乡下", "村", "农村", "village", "farm", "countryside", "country")),
    ("street", ("街", "路", "巷", "路口", "马路", "street", "road", "alley", "corner", "sidewalk")),
    ("city", ("城市", "市", "city", "town", "downtown")),
)
_NIGHT = ("深夜", "夜", "晚上", "傍晚", "黄昏", "凌晨", "night", "midnight", "evening", "dusk")


def _setting(places: list[str], times: list[str], weather: list[str]) -> str:
    for place in places:  # the first place named sets the scene
        for name, cues in _SETTINGS:
            if any(cue in place.lower() for cue in cues):
                return name
    if any(cue in t.lower() for t in times for cue in _NIGHT):
        return "night"
    if weather:
        return "weather"
    return "everyday"


def _weather(report: Report) -> list[str]:
    words = _WEATHER["en" if report.language == "en" else "zh"]
    found: list[str] = []
    text = report.text.lower() if report.language == "en" else report.text
    for w in words:
        hit = re.search(rf"\b{re.escape(w)}\b", text) if report.language == "en" else (w in text)
        # shorter words inside an already-found longer one (冷 in 寒冷) add nothing
        if hit and not any(w in f for f in found):
            found.append(w)
    return found[:3]


def _target_arc(source_valence: float, target_valence: float, source_arc: str) -> str:
    lift = target_valence - source_valence
    if lift > 1.0:
        return "fall-rise" if source_arc.startswith("fall") else "rise"
    if lift < -1.0:
        return "rise-fall" if source_arc.startswith("rise") else "fall"
    return source_arc


def make_plan(
    report: Report, *, keep_names: bool = True, names: dict[str, str] | None = None,
    target_valence: float | None = None,
) -> Plan:
    """Read the plan off a Report.

    ``names`` renames characters (``{"李明": "小林"}``) when the user asks
    to change names; with ``keep_names`` (the default) everyone keeps the
    name the user gave them.  ``target_valence`` (1–9) sets the arc the new
    story should take.
    """
    elements = report.elements
    names = dict(names or {}) if not keep_names or names else {}
    characters: list[Character] = []
    places: list[str] = []
    times: list[str] = []
    objects: list[str] = []
    roles: dict[int, str] = {}
    if elements is not None:
        for m in elements.characters:
            kind = getattr(m.kind, "value", m.kind)
            if kind in _PEOPLE:
                characters.append(Character(m.text, kind, names.get(m.text, m.text), m.count))
        places = elements.names("places")
        times = elements.names("times")
        objects = elements.names("objects")
        if elements.structure is not None:
            roles = {lab.sentence: getattr(lab.role, "value", lab.role) for lab in elements.structure.labels}
    events = [
        Event(s.index, s.text, roles.get(s.index, "complicating-action"), round(s.valence, 3), s.is_dialogue)
        for s in report.sentences
    ]
    pov = getattr(getattr(report.style, "pov", None), "value", None) or "first"
    weather = _weather(report)
    source_arc = getattr(report.arc.shape, "value", str(report.arc.shape))
    return Plan(
        language="en" if report.language == "en" else "zh",
        script=report.script,
        source_pov=pov,
        characters=characters,
        places=places,
        times=times,
        weather=weather,
        objects=objects,
        events=events,
        themes=[t.name for t in report.themes],
        keywords=[k.term for k in report.keywords[:8]],
        source_arc=source_arc,
        target_arc=_target_arc(report.valence, report.valence if target_valence is None else target_valence, source_arc),
        setting=_setting(places, times, weather),
    )
