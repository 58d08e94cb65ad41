"""Built-in example stories, used by ``storyloom analyze --example`` and tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Example:
    """A sample story with a short description of what it shows."""

    name: str
    language: str
    title: str
    text: str


EXAMPLES: dict[str, Example] = {
    "night-street": Example(
        name="night-street",
        language="zh",
        title="深夜街头的老奶奶（参考故事）",
        text=(
            "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。"
            "尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。"
            "我毫不犹豫地买了她的东西，并告诉她是来自远方的游客。"
        ),
    ),
    "exam": Example(
        name="exam",
        language="zh",
        title="考砸以后（先落后起）",
        text=(
            "期中考试的成绩发下来了，我的数学只考了五十八分。\n"
            "回家的路上，我一直低着头，心里又难过又害怕，不知道该怎么跟妈妈说。"
            "推开家门，妈妈看到我红红的眼睛，什么也没问，先给我盛了一碗热汤。\n"
            "晚上她陪我一道一道地订正错题，还笑着说：“一次考试而已，我们一起想办法。”"
            "那一刻，我觉得特别温暖，也重新有了信心。"
        ),
    ),
    "grandpa-letter": Example(
        name="grandpa-letter",
        language="zh",
        title="外公的信（繁體）",
        text=(
            "外公走了已經三年，我還是常常想起他。"
            "小時候，他總是牽著我的手去河邊看夕陽，給我講那些老掉牙的故事。"
            "整理舊物時，我發現了他寫給我的一封信，字跡歪歪扭扭，卻寫滿了對我的牽掛。"
            "我一邊讀一邊流淚，心裡又難過又溫暖。"
        ),
    ),
    "first-day": Example(
        name="first-day",
        language="en",
        title="My first day at the new job",
        text=(
            "On my first day at the new job I was terrified. "
            "I didn't know anyone, and the office felt huge and cold. "
            "At lunch, Mrs. Chen from accounting sat down next to me and asked about my family. "
            "By the end of the week we were laughing together every afternoon. "
            "I am so grateful that she reached out when I felt so alone."
        ),
    ),
    "mixed": Example(
        name="mixed",
        language="zh",
        title="中英混合的日记",
        text=(
            "今天终于拿到了offer，我开心得跳了起来！"
            "My mom cried on the phone, she was so proud of me. "
            "可是想到要离开家乡，心里还是有点舍不得。"
        ),
    ),
}

DEFAULT_EXAMPLE = "night-street"
