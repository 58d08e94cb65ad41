"""Chat prompts for model backends, built from the plan, in the story's language."""

from __future__ import annotations

from ..analysis.report import EMOTION_ZH
from .types import StoryPrompt

_POV_ZH = {"first": "第一人称（我）", "second": "第二人称（你）", "third": "第三人称（他/她）"}
_POV_EN = {"first": "first person (I)", "second": "second person (you)", "third": "third person (he/she)"}
_STYLE_ZH = {
    "plain": "朴素自然", "lyrical": "抒情、有画面感和感官细节", "children": "儿童故事：句子短、用词浅显温和",
    "fable": "寓言：结尾点明道理", "letter": "写给过去的自己的一封信",
}
_STYLE_EN = {
    "plain": "plain and natural", "lyrical": "lyrical, vivid, with sensory detail",
    "children": "a children's story: short sentences, simple gentle words", "fable": "a fable that ends on its lesson",
    "letter": "a letter to one's younger self",
}
_LENGTH = {"short": 1.0, "medium": 1.5, "long": 2.0}
_EMOTION_ZH_WORDS = {
    "joy": "快乐", "love": "温暖与爱", "sadness": "悲伤", "anger": "愤怒", "fear": "不安与恐惧",
    "disgust": "厌恶", "surprise": "惊讶", "neutral": "平静",
}


def _feeling(prompt: StoryPrompt, zh: bool) -> str:
    parts = sorted(((p, e) for e, p in prompt.target.emotions.items() if p >= 0.15), reverse=True)
    if zh:
        words = "、".join(_EMOTION_ZH_WORDS[e] for _, e in parts) or "平静"
        return f"{words}（{prompt.target.label}）" if prompt.target.label else words
    words = " and ".join(e for _, e in parts) or "calm"
    return f"{words} ({prompt.target.label})" if prompt.target.label else words


def build_messages(prompt: StoryPrompt) -> list[dict[str, str]]:
    """System + user messages asking for one rewritten story body (no title, no close)."""
    plan = prompt.plan
    size = int(len(prompt.text) * _LENGTH[prompt.length.value])
    people = [c.name for c in plan.characters]
    if prompt.language == "en":
        system = (
            "You rewrite a person's own story into a short personal story for them. Keep every person, place, "
            "time and event they wrote, in the same order; never invent violence, illness, death or other harm; "
            "never describe any means of self-harm. Reply with the story only: no title, no notes, no closing moral."
        )
        if prompt.safety != "none":
            system += " The writer may be struggling: never deepen hopelessness; let the story hold some hope."
        lines = [
            f"Point of view: {_POV_EN[prompt.pov.value]}. Style: {_STYLE_EN[prompt.style.value]}.",
            f"The feeling the story should carry: {_feeling(prompt, zh=False)}.",
            f"Length: about {max(60, size // 5)} words.",
        ]
        if people:
            lines.append("People to keep: " + ", ".join(people) + ".")
        if plan.places or plan.times:
            lines.append("Places and times to keep: " + ", ".join(plan.places + plan.times) + ".")
        lines.append("Keep any quoted dialogue word for word.")
        lines.append("The story:\n" + prompt.text)
        return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]
    system = (
        "你把一个人亲身经历的故事改写成一篇写给他的短故事。保留原文中的每一个人物、地点、时间和事件，顺序不变；"
        "不要编造暴力、疾病、死亡或任何伤害；绝不描写任何自我伤害的方式。只输出故事正文：不要标题、不要说明、不要结尾感悟。"
        "使用全角标点，中文词语之间不加空格。"
    )
    if prompt.safety != "none":
        system += "写作者可能正处在困难之中：不要加深绝望，让故事保留希望。"
    if prompt.script == "traditional":
        system += "請用繁體中文書寫。"
    lines = [
        f"叙述视角：{_POV_ZH[prompt.pov.value]}。风格：{_STYLE_ZH[prompt.style.value]}。",
        f"故事要传达的情感：{_feeling(prompt, zh=True)}（{EMOTION_ZH[prompt.target.emotion]}）。",
        f"篇幅：约{max(80, size)}字。",
    ]
    if people:
        lines.append("要保留的人物：" + "、".join(people) + "。")
    if plan.places or plan.times:
        lines.append("要保留的地点和时间：" + "、".join(plan.places + plan.times) + "。")
    lines.append("引号里的对话一字不改。")
    lines.append("原文：\n" + prompt.text)
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]
