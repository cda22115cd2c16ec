"""The audit log in Chinese: action names, field labels, and values as people read them
(names rather than ids, 是/否 rather than true/null, choices by their labels)."""

import json
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from wuxiao.projects.states import ProjectState

ACTION_LABELS = {
    "organisation.create": "新建组织",
    "organisation.update": "修改组织",
    "organisation.deactivate": "停用组织",
    "organisation.activate": "启用组织",
    "units.import": "导入单位",
    "experts.import": "导入专家库",
    "experts.activation_link": "生成专家设置密码链接",
    "experts.activate": "专家设置密码",
    "participation.headcount": "填写青工人数",
    "membership.grant": "授予角色",
    "membership.revoke": "撤销角色",
    "invitation.create": "发出邀请",
    "invitation.accept": "接受邀请",
    "invitation.revoke": "撤销邀请",
    "user.register": "注册账号",
    "user.profile": "修改个人资料",
    "stage.extend": "阶段延期",
    "campaign.create": "新建竞赛活动",
    # 评审认定
    "review.round_create": "新建评审轮次",
    "review.rubric": "修改评分项",
    "review.ranking_method": "修改排名依据",
    "review.assign": "自动分配评审专家",
    "review.assign_manual": "人工分配评审专家",
    "review.unassign": "移除评审分配",
    "review.decline": "专家回避",
    "review.draft": "保存评分草稿",
    "review.submit": "提交评分",
    "review.urge": "催办评审",
    "review.duplicates_scan": "查重",
    "review.duplicate_decision": "查重认定",
    "review.blind_check": "盲评检查",
    "review.draw": "答辩抽签",
    "review.opinion_panel": "填写评审小组意见",
    "review.opinion_committee": "填写组委会意见",
    "demo.build": "生成演示数据",
    "direction.publish": "发布攻关方向",
    "documents.export": "导出文书",
    "unit.forward": "上报组委会",
    "workrecord.create": "填写工作记录",
    "workrecord.comment": "点评工作记录",
    "project.create": "新建项目草稿",
    "project.save_draft": "保存申报表草稿",
    "project.change_route": "更改申报途径",
    "project.member_add": "添加研究人员",
    "project.member_update": "修改研究人员",
    "project.member_remove": "删除研究人员",
    "project.member_link": "关联研究人员账号",
    "project.member_invite": "邀请研究人员",
    "project.attachment_add": "上传附件",
    "project.attachment_remove": "删除附件",
    "project.evidence_remove": "删除成果证明材料",
    "project.advisor_add": "指派技术顾问",
    "project.advisor_remove": "撤销技术顾问",
    "project.level": "调整项目级别",
    "project.resources": "配备重点资源",
    "project.evaluate": "内部评比打分",
    "project.urge": "催办工作记录",
    # State changes (`transitions.transition` records them as project.<new state>)
    f"project.{ProjectState.SUBMITTED}": "提交申报",
    f"project.{ProjectState.RETURNED}": "退回修改",
    f"project.{ProjectState.WITHDRAWN}": "撤回申报",
    f"project.{ProjectState.ACCEPTED}": "立项",
    f"project.{ProjectState.REFUSED}": "不予立项",
    f"project.{ProjectState.RESULT_WORKSHOP}": "成果送车间审核",
    f"project.{ProjectState.RESULT_TECH}": "成果送技术部门审核",
    f"project.{ProjectState.RESULT_LEAGUE}": "成果送团组织审核",
    f"project.{ProjectState.RESULT_RETURNED}": "成果退回修改",
    f"project.{ProjectState.UNIT_APPROVED}": "单位评审通过",
    f"project.{ProjectState.FORWARDED}": "上报组委会",
}

# Keys that hold an id of another row: shown by that row's name.
REFERENCE_MODELS = {
    "advisor": "people.User",
    "user": "people.User",
    "leader": "people.User",
    "actor": "people.User",
    "organisation": "people.Organisation",
    "unit": "people.Organisation",
    "parent": "people.Organisation",
    "campaign": "campaigns.Campaign",
    "member": "projects.TeamMember",
    "stage": "campaigns.Stage",
}
# Keys that are not fields of the target model, in Chinese.
EXTRA_LABELS = {
    "state": "状态",
    "advisor": "技术顾问",
    "user": "用户",
    "member": "研究人员",
    "users": "用户",
    "organisations": "组织",
    "rows": "行数",
    "file": "文件",
    "unchanged": "未变化",
    "entry_route": "申报途径",
    "id": "编号",
    "created": "新建",
    "updated": "更新",
    "skipped": "跳过",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def _model(entry):
    try:
        return apps.get_model(entry.target_type) if entry.target_type else None
    except (LookupError, ValueError):
        return None


def _field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _label(model, key: str) -> str:
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return EXTRA_LABELS.get(key, key)


def _names(entries) -> dict[str, dict]:
    """model label → {id: name} for every referenced id on the page, one query per model."""
    wanted: dict[str, set] = defaultdict(set)
    for e in entries:
        for data in (e.before, e.after):
            if isinstance(data, dict):
                for key, value in data.items():
                    if key in REFERENCE_MODELS and isinstance(value, int):
                        wanted[REFERENCE_MODELS[key]].add(value)
    names = {}
    for label, ids in wanted.items():
        model = apps.get_model(label)
        names[label] = {
            obj.pk: getattr(obj, "display_name", None) or str(obj) for obj in model.objects.filter(pk__in=ids)
        }
    return names


def _value(model, key, value, names) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "state" and value in ProjectState.values:
        return ProjectState(value).label
    if key in REFERENCE_MODELS and isinstance(value, int):
        return names.get(REFERENCE_MODELS[key], {}).get(value, f"（已删除，编号 {value}）")
    field = _field(model, key)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) > 10:
        return f"{len(value)} 项"
    return json.dumps(value, ensure_ascii=False)


def audit_rows(entries) -> list[dict]:
    """Each entry with its change as (label, before, after) lines: "状态：已提交 → 退回修改"."""
    entries = list(entries)
    names = _names(entries)
    rows = []
    for e in entries:
        model = _model(e)
        before = e.before if isinstance(e.before, dict) else ({} if e.before is None else {"": e.before})
        after = e.after if isinstance(e.after, dict) else ({} if e.after is None else {"": e.after})
        lines = []
        for key in [*before, *(k for k in after if k not in before)]:
            old = _value(model, key, before[key], names) if key in before else None
            new = _value(model, key, after[key], names) if key in after else None
            lines.append((_label(model, key) if key else "", old, new))
        rows.append({"entry": e, "action": action_label(e.action), "lines": lines})
    return rows
