"""Chinese names of audit actions for the log viewer; an action not listed shows its code."""

ACTION_LABELS = {
    "organisation.create": "新建组织",
    "organisation.update": "修改组织",
    "organisation.deactivate": "停用组织",
    "organisation.activate": "启用组织",
    "units.import": "导入单位",
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
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
