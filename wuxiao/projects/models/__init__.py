"""Projects (申报, 附件2 of the notice) and everything that hangs off one, by concept:

- `project`: the 申报表 itself, its team and attachments;
- `history`: the status timeline and the frozen copy of each submission;
- `opinions`: the five opinion boxes;
- `unit`: the unit workflow's directions, key-project resources, advisors, level history;
- `workrecords`: 工作记录 with their files and the advisors' comments;
- `files`: every uploaded file (附件, 工作记录 files, 盖章, 成果证明材料) as one `StoredFile`.

The state machine lives in `states.py`; every change of `state` goes through
`transitions.transition`.
"""

from wuxiao.projects.models.files import FilePurpose, StoredFile
from wuxiao.projects.models.history import ProjectEvent, ProjectVersion
from wuxiao.projects.models.opinions import Opinion, OpinionStep
from wuxiao.projects.models.project import Attachment, EntryRoute, Project, ProjectLevel, SelfGrade, TeamMember
from wuxiao.projects.models.unit import AdvisorAssignment, Direction, KeyResources, LevelChange
from wuxiao.projects.models.workrecords import WorkRecord, WorkRecordComment, WorkRecordFile

__all__ = [
    "AdvisorAssignment",
    "Attachment",
    "Direction",
    "EntryRoute",
    "FilePurpose",
    "KeyResources",
    "LevelChange",
    "Opinion",
    "OpinionStep",
    "Project",
    "ProjectEvent",
    "ProjectLevel",
    "ProjectVersion",
    "SelfGrade",
    "StoredFile",
    "TeamMember",
    "WorkRecord",
    "WorkRecordComment",
    "WorkRecordFile",
]
