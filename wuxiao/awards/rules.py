"""Award allocation as a pure function: a ranking, the caps and the committee's special prizes in,
a proposal out. Nothing here reads the database or a campaign; the service passes the settings in.

The notice (七、奖项设置): 特等奖 若干; 一等奖 ≤ 10 %, 二等奖 ≤ 25 %, 三等奖 ≤ 50 % of the N projects
forwarded to the committee — "不超过", so a level holds at most ⌊p × N⌋ (`campaigns.rules.award_caps`).
A tie that straddles a cap boundary is never broken silently: both sides are flagged for the panel.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wuxiao.campaigns.rules import AwardCaps, award_caps

SPECIAL, FIRST, SECOND, THIRD, NONE = "special", "first", "second", "third", "none"
LEVELS = [SPECIAL, FIRST, SECOND, THIRD]
LEVEL_LABELS = {SPECIAL: "特等奖", FIRST: "一等奖", SECOND: "二等奖", THIRD: "三等奖", NONE: "未获奖"}
# The 汇总表's self-grade scale (A: 特等奖/一等奖, B: 二等奖, C: 三等奖), for showing beside a proposal.
SELF_GRADE_OF_LEVEL = {SPECIAL: "A", FIRST: "A", SECOND: "B", THIRD: "C"}


@dataclass(frozen=True)
class Ranked:
    """One project in the round's chosen ranking, best first."""

    project_id: int
    score: Decimal | None  # None: not scored; ranks after every scored project


@dataclass(frozen=True)
class Proposed:
    project_id: int
    rank: int  # 1-based position in the ranking
    level: str
    tie_note: str = ""  # non-empty when an equal score sits on the other side of a cap boundary


@dataclass(frozen=True)
class Limits:
    """How many projects each level may hold for one campaign with N forwarded projects."""

    total: int
    specials: int
    caps: dict[str, int] = field(default_factory=dict)  # level → most projects (specials: the set number)

    def cap(self, level: str) -> int:
        return self.caps[level]


def limits(*, total: int, specials: int, caps: AwardCaps = AwardCaps(), specials_in_caps: bool = False) -> Limits:
    """The most projects per level. `specials` is the committee's number of 特等奖 (outside the caps
    unless `specials_in_caps`: then "一等奖 ≤ 10 %" reads "特等奖 and 一等奖 together ≤ 10 %", and a
    special uses up a place of 一等奖; a special that finds no such place is not given)."""
    if total < 0 or specials < 0:
        raise ValueError("total and specials must be ≥ 0")
    per = award_caps(total, caps)
    specials = min(specials, total)
    out = {SPECIAL: specials, FIRST: per["first"], SECOND: per["second"], THIRD: per["third"]}
    if specials_in_caps:
        out[SPECIAL] = min(specials, out[FIRST])
        out[FIRST] -= out[SPECIAL]
    return Limits(total=total, specials=out[SPECIAL], caps=out)


def allocate(ranking: Sequence[Ranked], lim: Limits) -> list[Proposed]:
    """Walk the ranking best first and fill 特等奖, 一等奖, 二等奖, 三等奖 up to their limits; the rest get
    none. Unscored projects never get a prize. Where the last project given a level has the same
    score as the first one below the boundary, both are marked with a tie note for the panel."""
    order = [LEVELS[0], *LEVELS[1:]]
    room = {level: lim.cap(level) for level in order}
    out: list[Proposed] = []
    level_index = 0
    for position, entry in enumerate(ranking, start=1):
        while level_index < len(order) and room[order[level_index]] == 0:
            level_index += 1
        if entry.score is None or level_index == len(order):
            level = NONE
        else:
            level = order[level_index]
            room[level] -= 1
        out.append(Proposed(project_id=entry.project_id, rank=position, level=level))
    return _flag_ties(ranking, out)


def _flag_ties(ranking: Sequence[Ranked], proposal: list[Proposed]) -> list[Proposed]:
    notes: dict[int, list[str]] = {}
    for i in range(len(proposal) - 1):
        upper, lower = proposal[i], proposal[i + 1]
        score = ranking[i].score
        if upper.level == lower.level or score is None or score != ranking[i + 1].score:
            continue
        # Every project with this score on either side of the boundary shares the tie.
        same = [j for j in range(len(proposal)) if ranking[j].score == score]
        text = (
            f"并列：{len(same)} 个项目得分同为 {score}，跨越{LEVEL_LABELS[upper.level]}与"
            f"{LEVEL_LABELS[lower.level]}的名额界线，请评审小组裁定"
        )
        for j in same:
            notes.setdefault(j, [])
            if text not in notes[j]:
                notes[j].append(text)
    return [
        Proposed(project_id=p.project_id, rank=p.rank, level=p.level, tie_note="；".join(notes.get(i, [])))
        for i, p in enumerate(proposal)
    ]


def adjustment_problem(*, level: str, counts: dict[str, int], lim: Limits, current: str) -> str | None:
    """Would moving one project from `current` to `level` break a cap? `counts` are the levels as they
    stand now. The message names the rule and the numbers ("一等奖最多 3 项，已定 3 项")."""
    if level == NONE or level == current:
        return None
    if counts.get(level, 0) >= lim.cap(level):
        if level == SPECIAL:
            return f"特等奖最多 {lim.cap(level)} 项（组委会设定），已定 {counts.get(level, 0)} 项"
        return (
            f"{LEVEL_LABELS[level]}最多 {lim.cap(level)} 项（{lim.total} 项上报项目），已定 {counts.get(level, 0)} 项"
        )
    return None
