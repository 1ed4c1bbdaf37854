"""A bar chart of views per day, as numbers an inline SVG template draws (no JavaScript)."""

import datetime
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 200
LABEL_HEIGHT = 20


@dataclass
class Bar:
    day: datetime.date
    views: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    bars: list[Bar]
    peak: int
    width: int = WIDTH
    height: int = HEIGHT + LABEL_HEIGHT
    plot_height: int = HEIGHT


def bar_chart(series: list[tuple[datetime.date, int]]) -> Chart:
    peak = max((views for _day, views in series), default=0)
    step = WIDTH / max(len(series), 1)
    bars = []
    for index, (day, views) in enumerate(series):
        height = HEIGHT * views / peak if peak else 0
        bars.append(
            Bar(
                day=day,
                views=views,
                x=round(index * step + 1, 1),
                y=round(HEIGHT - height, 1),
                width=round(max(step - 2, 1), 1),
                height=round(height, 1),
            )
        )
    return Chart(bars=bars, peak=peak)
