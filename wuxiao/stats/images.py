"""The report's charts as PNG images, drawn server-side with matplotlib from the same
payloads the console's ECharts layer reads (wuxiao/stats/charts.py).

Matplotlib reads the first face of Debian's Noto Sans CJK collection (the JP face), which
carries every simplified character; WeasyPrint and Word only embed the finished picture.
"""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

FONT = ["Noto Sans CJK JP", "DejaVu Sans"]
COLOURS = ["#c8102e", "#1f5fa8", "#f0a202", "#2e8b57", "#7b5ea7", "#8c8c8c", "#d9534f", "#17a2b8"]


def chart_png(payload: dict, *, width_cm: float = 16, height_cm: float = 8, dpi: int = 150) -> bytes:
    series = [s for s in payload["series"] if not s.get("table_only")]
    labels = payload["labels"]
    with matplotlib.rc_context({"font.family": FONT, "axes.unicode_minus": False, "font.size": 9}):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dpi)
        ax = fig.add_subplot()
        if payload["type"] == "pie" and len(series) == 1:
            data = series[0]["data"]
            shown = [(lab, v) for lab, v in zip(labels, data, strict=True) if v]
            if shown:
                ax.pie(
                    [v for _, v in shown],
                    labels=[f"{lab} {v}" for lab, v in shown],
                    colors=COLOURS[: len(shown)],
                    startangle=90,
                    counterclock=False,
                    wedgeprops={"linewidth": 1, "edgecolor": "white"},
                )
            else:
                ax.text(0.5, 0.5, "暂无数据", ha="center", va="center")
            ax.set_aspect("equal")
        else:
            horizontal = payload["type"] == "hbar"
            n = max(len(series), 1)
            width = 0.8 / n
            positions = range(len(labels))
            for i, s in enumerate(series):
                offset = [p - 0.4 + width * (i + 0.5) for p in positions]
                draw = ax.barh if horizontal else ax.bar
                draw(offset, s["data"], width, label=s["name"], color=COLOURS[i % len(COLOURS)])
            if horizontal:
                ax.set_yticks(list(positions), labels)
                ax.invert_yaxis()
                ax.set_xlabel(payload["unit"])
            else:
                ax.set_xticks(
                    list(positions),
                    labels,
                    rotation=30 if len(labels) > 6 else 0,
                    ha="right" if len(labels) > 6 else "center",
                )
                ax.set_ylabel(payload["unit"], rotation=0, labelpad=12)
            ax.spines[["top", "right"]].set_visible(False)
            if n > 1:
                ax.legend(frameon=False)

        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
