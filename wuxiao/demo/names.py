"""Word lists the demo city is generated from. Every name made from them is fictional:
company names join an invented trade name (字号) with an industry, people's names join a
common surname with common given-name characters. Each character carries its pinyin so
usernames read like the ones people pick (weixiaomin)."""

# Surnames, weighted towards those common in Liuzhou (壮族 surnames 韦, 覃, 蓝, 莫, 农 …).
SURNAMES = {
    "韦": "wei", "黄": "huang", "覃": "qin", "李": "li", "梁": "liang", "莫": "mo", "蓝": "lan",
    "廖": "liao", "潘": "pan", "陆": "lu", "罗": "luo", "王": "wang", "张": "zhang", "陈": "chen",
    "刘": "liu", "杨": "yang", "周": "zhou", "吴": "wu", "蒙": "meng", "龙": "long", "谭": "tan",
    "邓": "deng", "唐": "tang", "林": "lin", "何": "he", "卢": "lu", "钟": "zhong", "苏": "su",
    "曾": "zeng", "农": "nong", "石": "shi", "欧": "ou", "朱": "zhu", "胡": "hu", "谢": "xie",
    "冯": "feng", "宁": "ning", "甘": "gan", "赵": "zhao", "许": "xu",
}
SURNAME_WEIGHTS = {"韦": 6, "黄": 5, "覃": 5, "李": 5, "梁": 4, "莫": 3, "蓝": 3, "廖": 3, "潘": 3, "陆": 3}

MALE_CHARS = {
    "志": "zhi", "强": "qiang", "建": "jian", "伟": "wei", "俊": "jun", "杰": "jie", "涛": "tao",
    "浩": "hao", "宇": "yu", "鹏": "peng", "磊": "lei", "斌": "bin", "勇": "yong", "军": "jun",
    "锋": "feng", "明": "ming", "辉": "hui", "峰": "feng", "凯": "kai", "超": "chao", "海": "hai",
    "波": "bo", "荣": "rong", "成": "cheng", "阳": "yang", "飞": "fei", "昊": "hao", "泽": "ze",
    "宏": "hong", "毅": "yi", "华": "hua", "立": "li", "东": "dong", "永": "yong", "坤": "kun",
    "智": "zhi", "航": "hang", "健": "jian", "睿": "rui", "铭": "ming",
}
FEMALE_CHARS = {
    "丽": "li", "娟": "juan", "敏": "min", "静": "jing", "婷": "ting", "雪": "xue", "芳": "fang",
    "燕": "yan", "霞": "xia", "玲": "ling", "琳": "lin", "慧": "hui", "颖": "ying", "洁": "jie",
    "萍": "ping", "红": "hong", "梅": "mei", "倩": "qian", "彩": "cai", "春": "chun", "秋": "qiu",
    "月": "yue", "欣": "xin", "悦": "yue", "艳": "yan", "瑶": "yao", "露": "lu", "菲": "fei",
    "琪": "qi", "妍": "yan", "诗": "shi", "蓉": "rong", "婉": "wan", "馨": "xin", "璐": "lu",
}
SHARED_CHARS = {
    "小": "xiao", "晓": "xiao", "子": "zi", "嘉": "jia", "文": "wen", "思": "si", "雨": "yu",
    "佳": "jia", "新": "xin", "家": "jia", "晨": "chen", "林": "lin", "春": "chun", "金": "jin",
}

# People whose names appear in the notice: the generator never produces them.
RESERVED_NAMES = {
    "张扬", "高建民", "陆铤", "靳磊", "杨喆", "张萌", "徐文歆", "麦鲜杏", "李明钊", "华海涛", "赖欢欢", "莫飘",
}

# Invented trade names (字号) for organisations. Each is used once.
TRADE_NAMES = [
    "华鼎", "恒通", "鑫源", "瑞丰", "柳锐", "龙腾", "江泰", "博远", "嘉合", "天祺", "众力", "金帆",
    "盛拓", "德钜", "科迈", "安驰", "蓝湾", "鼎铭", "驰远", "翔宇", "合创", "峻岭", "星耀", "正弘",
    "久联", "银桦", "拓新", "青禾", "鹿鸣", "宸宇", "沐阳", "朗域", "启辰", "弘毅", "泓川", "卓诚",
    "骏川", "崇业", "益恒", "凌峰", "云帆", "铭泰", "晟达", "锦程", "恒瑞", "聚力", "鸿图", "远景",
]

# (kind, industry phrase, project category) — the category steers the applicant's field later.
ENTERPRISE_INDUSTRIES = [
    ("机械制造有限公司", "机械"),
    ("汽车零部件有限公司", "机械"),
    ("精密模具有限公司", "机械"),
    ("重型装备股份有限公司", "机械"),
    ("新材料科技有限公司", "化工"),
    ("精细化工有限公司", "化工"),
    ("电子科技有限公司", "电子"),
    ("智能电气有限公司", "电子"),
    ("通信技术有限公司", "通信"),
    ("信息科技有限公司", "通信"),
    ("建设工程有限公司", "建设"),
    ("路桥工程有限公司", "建设"),
    ("生物制药有限公司", "医药"),
    ("医疗器械有限公司", "医药"),
    ("仪器仪表有限公司", "仪器"),
    ("检测技术有限公司", "仪器"),
    ("食品有限公司", "其他"),
    ("物流有限公司", "其他"),
]
AGENCY_TYPES = [
    ("水质检测中心", "仪器"),
    ("建筑设计研究院", "建设"),
    ("工程质量检测站", "建设"),
    ("科技情报研究所", "其他"),
    ("市政设施养护所", "建设"),
    ("人民医院", "医药"),
    ("中等职业技术学校", "其他"),
    ("数据服务中心", "通信"),
]
TWO_NEW_TYPES = [
    ("电子商务有限公司", "通信"),
    ("软件开发有限公司", "通信"),
    ("律师事务所", "其他"),
    ("会计师事务所", "其他"),
    ("青年志愿者协会", "其他"),
    ("直播电商产业园", "其他"),
    ("智能家居有限公司", "电子"),
]
FINANCE_TYPES = [
    ("村镇银行", "其他"),
    ("融资担保有限公司", "其他"),
]

# Mainland mobile prefixes (the second digit is 3–9).
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157",
    "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199",
]
