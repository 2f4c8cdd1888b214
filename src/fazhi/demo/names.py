"""Chinese personal names, place names and resident identity numbers."""

from __future__ import annotations

from datetime import date
from itertools import accumulate
from random import Random

# Common surnames with their approximate share of the population in per mille (2020 census
# order), so that 王, 李, 张 dominate as they do in real rosters.
_SURNAMES = (
    "王71 李70 张64 刘53 陈46 杨31 黄25 赵23 吴20 周19 徐15 孙15 马13 朱13 胡12 郭11 何11 "
    "林10 高10 罗9 郑8 梁8 谢7 宋6 唐6 许6 韩5 冯5 邓5 曹5 彭5 曾5 肖5 田4 董4 潘4 袁4 蔡4 "
    "蒋4 余4 于4 杜4 叶4 程3 魏3 苏3 吕3 丁3 任3 卢3 姚3 沈3 钟3 姜3 崔3 谭3 陆3 范2 汪2 "
    "廖2 石2 金2 韦2 贾2 夏2 付2 方2 邹2 熊2 白2 孟2 秦2 邱2 侯2 江2 尹2 薛2 闫2 段2 雷2 "
    "龙2 黎2 史2 陶2 贺2 毛1 郝1 顾1 龚1 邵1 万1 覃1 武1 钱1 戴1 严1 欧阳1 上官1"
).split()
SURNAMES = tuple(s.rstrip("0123456789") for s in _SURNAMES)
_SURNAME_CUM = tuple(accumulate(int(s[len(n):]) for s, n in zip(_SURNAMES, SURNAMES, strict=True)))

_GIVEN = {
    "male": ("伟强磊军洋勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰亮成东文志"
             "海晨博振兴毅坤鸿鹤翔剑锋庆彬晖立新永胜德昌福"),
    "female": ("芳娜敏静丽艳娟霞秀燕玲桂丹萍红婷雪琳洁梅莉倩颖慧佳欣怡悦璐晶玉兰蕾薇琴露妍"
               "茜蓉月菲瑶媛凤秋君"),
}
_GIVEN_FIRST = {
    "male": "子宇晓思家建志春海俊文嘉永国德明立少云天金英",
    "female": "晓思佳梓一雨欣文嘉春海秀美丽玉淑婉雅静诗",
}

_FOREIGN = {
    "male": ("阮文雄", "黎文俊", "陈文山", "金成浩", "朴志勋", "坎拉", "伊万", "穆罕默德", "约翰"),
    "female": ("阮氏梅", "黎氏兰", "金敏英", "朴秀珍", "玛丽亚", "安娜", "苏菲"),
}

_PLACE_FIRST = ("东西南北中上下大小新古青白石金银龙凤云松柏桃梅兰竹"
                "清明安宁永长丰和平泰兴华光文春秋江")
_PLACE_SECOND = "河湖海山川溪桥塘浦港湾岭峰林园城关庄集坊堡田洲滨阳亭岗坝渡口源泉门头"

# Province-level prefixes of the administrative division codes, for the birthplaces of
# migrants whose id numbers do not start with the bureau's own code.
PROVINCE_CODES = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def surname(rng: Random) -> str:
    return rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]


def full_name(rng: Random, gender: str) -> str:
    """A two- or three-character name; about a third of people have one given character."""
    given = rng.choice(_GIVEN[gender])
    if rng.random() < 0.67:
        given = rng.choice(_GIVEN_FIRST[gender]) + given
    return surname(rng) + given


def foreign_name(rng: Random, gender: str) -> str:
    return rng.choice(_FOREIGN[gender])


def masked(name: str) -> str:
    """张三丰 → 张某: how case titles name a person."""
    family = name[:2] if name[:2] in SURNAMES else name[0]
    return family + "某"


class PlaceNames:
    """Two-character place names, unique within one generator (one per city)."""

    def __init__(self, rng: Random, *taken: str) -> None:
        self._rng = rng
        self._used: set[str] = set(taken)

    def take(self) -> str:
        rng = self._rng
        for attempt in range(1000):
            name = rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)
            # Once pairs run short, a third character keeps names unique.
            if attempt >= 30:
                name += rng.choice(_PLACE_SECOND)
            if name not in self._used:
                self._used.add(name)
                return name
        raise RuntimeError("place names exhausted")


def id_checksum(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number(rng: Random, region: str, birth: date, gender: str) -> str:
    """GB 11643 number: region, birth date, sequence (odd for men, even for women), check."""
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_checksum(first17)


def migrant_region(rng: Random) -> str:
    return f"{rng.choice(PROVINCE_CODES)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
