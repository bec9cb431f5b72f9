"""The forecast chart: recent history, the forecast and its 80 % band, as a PNG (matplotlib Agg)."""

from __future__ import annotations

import logging
from pathlib import Path

from adapters.charts import cjk_rc, pyplot
from domain.planning.forecasting import Forecast, Series

logger = logging.getLogger(__name__)

HISTORY_DAYS_SHOWN = 120


def render_forecast_png(
    forecast: Forecast,
    history_series: Series,
    path: str | Path,
    name: str | None = None,
    history_days: int = HISTORY_DAYS_SHOWN,
) -> Path:
    """Draw the last ``history_days`` of history and the forecast with its band into ``path``.

    The title carries the SKU, the item's name (Chinese or English) and the model used.
    """
    plt = pyplot()
    rc = cjk_rc()
    path = Path(path)
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
        try:
            shown = history_series[-history_days:]
            if shown:
                ax.plot(
                    [d for d, _ in shown],
                    [q for _, q in shown],
                    color="#555555",
                    linewidth=1,
                    label="history 历史",
                )
            pts = forecast.points
            dates = [p.date for p in pts]
            ax.fill_between(
                dates,
                [p.yhat_lower for p in pts],
                [p.yhat_upper for p in pts],
                color="#1f77b4",
                alpha=0.25,
                label="80% interval 区间",
            )
            ax.plot(
                dates, [p.yhat for p in pts], color="#1f77b4", linewidth=2, label="forecast 预测"
            )
            title = f"{forecast.sku} {name}" if name else forecast.sku
            ax.set_title(f"{title} — {forecast.model}")
            ax.set_ylabel("daily demand 日需求")
            ax.set_ylim(bottom=0)
            ax.grid(alpha=0.3)
            ax.legend(loc="upper left")
            fig.autofmt_xdate()
            fig.tight_layout()
            fig.savefig(path, format="png")
        finally:
            plt.close(fig)
    return path
