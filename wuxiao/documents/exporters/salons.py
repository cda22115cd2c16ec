"""The attendance list of a 青年创新沙龙: who signed up, who waits. No phone numbers: the office
reaches people through the platform's notifications."""

from openpyxl import Workbook

from wuxiao.documents import content as words
from wuxiao.documents import xlsx_tools as xl
from wuxiao.documents.exporters.lists import cell_styles, title_rows, write_row
from wuxiao.documents.exporters.permissions import is_committee
from wuxiao.documents.registry import XLSX, Exporter, Rendered, register
from wuxiao.salons.models import Salon
from wuxiao.salons.queries import attendance

COLUMNS = ("序号", "姓名", "单位", "状态", "报名时间", "签到")


@register
class SalonAttendanceXlsx(Exporter):
    identifier = "salon_attendance.xlsx"
    label = "沙龙签到表（Excel）"
    content_type = XLSX

    def may_export(self, user, obj) -> bool:
        return is_committee(user)

    def load(self, params):
        return Salon.objects.get(pk=params["salon"])

    def render(self, obj, *, user, params=None, progress=None) -> Rendered:
        wb = Workbook()
        ws = wb.active
        ws.title = "签到表"
        title = f"青年创新沙龙签到表：{obj.topic}（{words.local_day(obj.starts_at):%Y-%m-%d}，{obj.place}）"
        widths = [6, 12, 34, 10, 18, 14]
        title_rows(ws, title, COLUMNS, widths)
        styles = cell_styles(wb)
        names = ("center", "center", "left", "center", "center", "center")
        row = 2
        for i, s in enumerate(attendance(obj), 1):
            row += 1
            units = "、".join(sorted({m.organisation.name for m in s.user.memberships.all()}))
            when = words.local_day(s.updated_at)
            write_row(ws, row, (i, s.user.display_name, units, s.get_status_display(), when, ""), styles, names, widths)
        return Rendered(f"沙龙签到表-{words.safe_filename(obj.topic)}.xlsx", self.content_type, xl.to_bytes(wb))
