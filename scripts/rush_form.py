"""The 申报表 as the benchmarks fill it in: every field, valid (scripts/rush_locustfile.py,
scripts/profile_flow.py). The same answers in both, so their figures describe the same flow."""


def application_form(name: str, real_name: str) -> dict:
    return {
        "name": name,
        "economic_benefit": "12.50",
        "start_date": "2025-03-01",
        "end_date": "2025-12-31",
        "patent_eligible": "true",
        "leader_name": real_name,
        "leader_gender": "F",
        "leader_birth_date": "1996-08-15",
        "leader_education": "bachelor",
        "leader_phone": "13877212345",
        "category": "机械",
        "category_other": "",
        "achievement_form": "小革新",
        "content_direction": "2",
        "patent_filed": "false",
        "patent_willing": "true",
        "reason": "焊装线换型时夹具拆装耗时长，影响节拍。" * 4,
        "content": "设计快换定位销与气动锁紧结构，三维建模后试制样件。" * 4,
        "measures": "三维建模、试制样件、产线试运行、标准化推广。" * 4,
        "benefits": "换型时间由 40 分钟降至 8 分钟，年节约工时约 600 小时。" * 4,
        "is_large_research_project": "false",
        "commitment_name": real_name,
    }
