"""Chinese phrase rules of the crisis screen, rules only (no learned layer).

Each signal family added to ``resources/safety/cues_zh.tsv`` has an urgent case
and a look-alike that must not read urgent.  The sentences were written for
these tests; none is copied from the crisis data sets.
"""

from __future__ import annotations

import pytest

from storyloom.safety import assess
from storyloom.text import prepare


def _risk(text: str) -> str:
    return assess(prepare(text, "zh"), embeddings=False).risk.value


URGENT = [
    ('method research', '这几天晚上我一直在查，哪种方式不会太疼，现在心里已经有数了。'),
    ('ending it', '活着太累了，这辈子就先到这里吧。'),
    ('charcoal under a pretext', '我在网上买了两袋炭，还有一卷宽胶带，跟室友说是周末烧烤用的。'),
    ('gas in a sealed room', '厨房的门缝我用湿毛巾塞好了，煤气也已经拧开了。'),
    ('insurance pay-out', '我偷偷算过，我走了以后理赔的钱够给女儿交完大学学费。'),
    ('joining the dead', '老伴走了快一年了，我想早点去陪她。'),
    ('joining the dead (medium + waiting)', '我想早点去找外婆，她一个人在那边肯定很孤单。'),
    ('last letter', '等你们读到这封信的时候，我应该已经不在了。'),
    ('stockpiled pills', '医院开的安眠药我一直没吃，偷偷攒到现在，应该够了。'),
    ('pills taken', '刚才把一整盒药都吞了，现在头很沉，想跟你说声再见。'),
    ('stepfather at night', '继父又是半夜溜进我的房间，我假装睡着，一动也不敢动。'),
    ('ex with a knife downstairs', '前夫发微信说要带着刀过来找我，现在他就在我家楼下等着我。'),
    ('axe and a list', '我已经列好了一份名单，明天带斧头去学校，名单上的人一个都跑不了。'),
    ('weapon and revenge', '我托人买了一根甩棍，藏在床底下。这次一定要让他付出代价。'),
    ('pretext and giving things away', '我把相机和吉他都送给了表妹，跟她说我要去外地上班，其实我不是要去上班。我已经想好了，就这个周末。'),
]

NOT_URGENT = [
    ('method research look-alike', '拔智齿之前我查了哪种麻醉方式不会太疼，医生说局麻就够了。'),
    ('ending it look-alike', '我们这段感情就这样结束吧，谢谢你陪我走过的这三年。'),
    ('charcoal look-alike', '周末去露营，我买了一袋木炭和一卷胶带，用来修帐篷的杆子。'),
    ('insurance look-alike', '我的重疾险满两年了，过了等待期，妈妈总算放心了。'),
    ('joining look-alike', '周末我想早点去陪奶奶，她包的饺子最好吃了。'),
    ('letter look-alike', '等你收到这张明信片的时候，我应该已经不在北京了，在去拉萨的火车上。'),
    ('pills look-alike', '奶奶的降压药今天都吃了吗？我打电话问了三遍。'),
    ('night look-alike', '半夜小猫钻进我的被窝，呼噜呼噜地睡着了。'),
    ('mother at night look-alike', '妈妈半夜进我的房间给我盖被子，我迷迷糊糊地说了声谢谢。'),
    ('knife look-alike', '我爸说要拿菜刀过来，帮我把院子里的树枝砍了。'),
    ('list look-alike', '班长列了一份名单，明天大家一起带水果去学校看望生病的老师。'),
    ('hyperbole look-alike', '我妈要是知道我把她的花养死了，肯定会宰了我。'),
    ('game look-alike', '昨晚玩狼人杀我当狼，第一晚就被女巫毒了，大家笑成一团。'),
    ('joke look-alike', '明天早八还有两场考试，不想活了（不是）。'),
]


@pytest.mark.parametrize("family,text", URGENT, ids=[f for f, _ in URGENT])
def test_family_reads_urgent(family: str, text: str) -> None:
    assert _risk(text) == "urgent", (family, text)


@pytest.mark.parametrize("family,text", NOT_URGENT, ids=[f for f, _ in NOT_URGENT])
def test_look_alike_is_not_urgent(family: str, text: str) -> None:
    assert _risk(text) != "urgent", (family, text)


def test_traditional_script_reads_the_same() -> None:
    # Traditional is mapped to Simplified character by character before the cues match
    assert _risk("等你們讀到這封信的時候，我應該已經不在了。") == "urgent"
    assert _risk("半夜小貓鑽進我的被窩，呼嚕呼嚕地睡著了。") != "urgent"
