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
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
