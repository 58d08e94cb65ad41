"""Closed word tables for the affect rules, each with the reason for its values.

The negation and degree factors follow VADER (Hutto & Gilbert 2014), whose
empirically derived negation scalar is −0.74 and booster increments ≈ ±0.3 on a
±4 scale; Chinese degree levels follow HowNet's graded degree words
(极其 > 很 > 较 > 稍 > 欠) as re-weighted in lex_negation_degree_zh.
"""

from __future__ import annotations

# A negated sentiment word flips and weakens: "不开心" is sad, but less sad
# than "难过" is (VADER's N_SCALAR).
NEGATION_SCALAR = -0.74
# Negating a *degree* ("不太好", "not very good") softens instead of flipping
# fully: "不太好" is mildly negative.
NEGATED_DEGREE_SCALAR = -0.45
# "一点也不开心", "根本不", "not at all": emphatic negation.
EMPHATIC_NEGATION_SCALAR = -1.0
NEGATION_WINDOW = 3  # words between a negator and the word it negates
# Particles that do not use up the negation window: "一点 也 不 开心", "不 会 开心".
ZH_NEGATION_TRANSPARENT = frozenset("也 都 是 太 会 得 地 得到".split())

ZH_NEGATORS = frozenset(
    "不 没 没有 未 无 非 别 莫 勿 甭 休 不是 并非 毫不 毫无 从不 从未 从来不 从没 绝不 决不 "
    "不曾 未曾 不要 不用 不必 无法 不能 不会 不再 没能 并不 并没有 并没 不怎么 没怎么 谈不上 算不上".split()
)
# Negators that already say "not at all".
ZH_EMPHATIC_NEGATORS = frozenset("毫不 毫无 绝不 决不 从不 从未 从来不 根本不 丝毫不 一点也不 一点都不 完全不".split())
# "一点 也 不", "根本 不", "丝毫 没": a prefix that makes the next negator emphatic.
ZH_EMPHATIC_PREFIX = frozenset("一点 一点儿 一丁点 丝毫 根本 完全 压根 压根儿 半点".split())

# Degree adverbs: multiplier on the word they modify.
ZH_DEGREE = {
    # extreme
    "极其": 2.0, "极度": 2.0, "极为": 1.9, "极": 1.8, "无比": 1.9, "万分": 1.9, "十分": 1.7,
    "非常": 1.8, "特别": 1.7, "格外": 1.6, "分外": 1.6, "尤其": 1.5, "超级": 1.8, "超": 1.6,
    "太": 1.6, "好不": 1.6, "多么": 1.6, "何等": 1.6, "实在": 1.4, "真": 1.4, "真是": 1.4,
    "真的": 1.3, "简直": 1.5, "相当": 1.4, "越来越": 1.4, "更加": 1.4, "更": 1.3, "愈发": 1.4,
    "最": 1.8, "好": 1.3, "挺": 1.2, "蛮": 1.2, "很": 1.5, "很是": 1.5, "如此": 1.4,
    "那么": 1.2, "这么": 1.2, "深深": 1.5, "满满": 1.4, "满怀": 1.3, "依然": 1.0, "还": 1.0,
    # mild
    "比较": 0.9, "较": 0.9, "较为": 0.9, "还算": 0.7, "有点": 0.6, "有点儿": 0.6, "有些": 0.6,
    "一点": 0.6, "一点儿": 0.6, "些许": 0.5, "稍": 0.5, "稍微": 0.5, "稍稍": 0.5, "略": 0.5,
    "略微": 0.5, "略略": 0.5, "微微": 0.6,
}
# "不太好" / "不怎么开心" are negator + degree in one word: read as both
# (NEGATED_DEGREE_SCALAR), so "不太好" is mildly negative.
ZH_NEGATED_DEGREE = {"不太": 1.6, "不大": 1.5, "不怎么": 1.4, "不是很": 1.5, "不那么": 1.3, "没那么": 1.3}
# Turn words: the clause after them carries the speaker's actual stance.
ZH_CONTRAST = frozenset("但 但是 可是 可 不过 然而 却 只是 偏偏 反而 倒是".split())
# Concession words: their clause is background the turn will outweigh.
# Potential complements that negate the word before them: "高兴不起来", "开心不了".
ZH_POST_NEGATION = frozenset("不起来 不起 不了 不出来 不下去".split())
# Words that turn only when they open a clause after a comma: "味道很好，就是送餐太慢了".
ZH_CLAUSE_CONTRAST = frozenset("就是 只不过 可惜 遗憾的是".split())
ZH_CONCESSIVE = frozenset("虽然 虽 虽说 尽管 即使 即便 哪怕 固然".split())
# Rhetorical-question markers: "难道这不是幸福吗？" asserts the opposite of its form.
ZH_RHETORICAL = frozenset("难道 岂 岂不 何尝 何必 怎能 怎么能 哪能 哪有 怎会 怎么会 谁不 难不成".split())
ZH_CLAUSE_PUNCT = frozenset("，,、；;：:—…")

BEFORE_TURN_WEIGHT = 0.4  # the clause before 但是/but
AFTER_TURN_WEIGHT = 1.4  # the clause after it
CONCESSIVE_WEIGHT = 0.5  # a 虽然/although clause with no explicit turn
QUESTION_SCALAR = 0.6  # "你开心吗？" does not assert happiness
EXCLAMATION_BOOST = 0.15  # per "!" (VADER uses 0.292 on its ±4 scale), at most 3

EN_NEGATORS = frozenset(
    "not no never nobody nothing none neither nor nowhere without hardly barely scarcely "
    "cannot cant dont didnt doesnt isnt wasnt werent arent wont wouldnt shouldnt couldnt aint "
    "havent hasnt hadnt".split()
)
EN_EMPHATIC_SUFFIX = (("at", "all"),)  # "not bad at all"
EN_DEGREE = {
    "extremely": 1.8, "incredibly": 1.8, "absolutely": 1.7, "completely": 1.6, "totally": 1.6,
    "utterly": 1.8, "very": 1.5, "really": 1.4, "so": 1.4, "truly": 1.4, "deeply": 1.6,
    "terribly": 1.6, "awfully": 1.5, "too": 1.3, "quite": 1.2, "pretty": 1.1, "most": 1.5,
    "more": 1.2, "especially": 1.4, "super": 1.6,
    "slightly": 0.5, "somewhat": 0.6, "barely": 0.4, "little": 0.6, "bit": 0.6, "kinda": 0.6,
    "kind": 0.8, "sort": 0.8, "fairly": 0.8, "rather": 0.9, "mildly": 0.5, "partly": 0.6,
}
EN_CONTRAST = frozenset("but however yet though nevertheless nonetheless still".split())
EN_CONCESSIVE = frozenset("although despite".split())
EN_CLAUSE_PUNCT = frozenset(",;:—-")
