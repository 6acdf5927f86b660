"""The periodic jobs `celery -A cloud_api beat` runs. Times are UTC: 00:00-03:00 UTC is
03:00-06:00 in East Africa, when shops are shut."""

from __future__ import annotations

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "compact-change-log": {
        "task": "cloud_api.sync.tasks.compact_change_log",
        "schedule": crontab(hour=0, minute=17),
    },
    "mpesa-late-stk": {
        "task": "cloud_api.payments.tasks.poll_late_stk_attempts",
        "schedule": 15.0,
    },
    "whatsapp-resume-deliveries": {
        "task": "cloud_api.notifications.tasks.resume_deliveries",
        "schedule": 60.0,
    },
    "terminals-silent": {
        "task": "cloud_api.notifications.tasks.notify_silent_terminals",
        "schedule": 15 * 60.0,
    },
    # 16:00 UTC is 19:00 in Nairobi, once the day's trade is done.
    "daily-store-summary": {
        "task": "cloud_api.notifications.tasks.send_daily_summaries",
        "schedule": crontab(hour=16, minute=0),
    },
    # Demand forecasts (cloud_api/analytics): after the night's pushes.
    "forecasts-refresh": {
        "task": "cloud_api.analytics.forecast_tasks.refresh_all_forecasts",
        "schedule": crontab(hour=0, minute=47),
    },
    # Frequently bought together (docs/cloud.md, "Analytics").
    "basket-rules": {
        "task": "cloud_api.analytics.tasks.compute_basket_rules",
        "schedule": crontab(hour=1, minute=23),
    },
    # Stored insights and anomaly flags (docs/cloud.md, "Analytics"): after the basket rules
    # the insights quote.
    "insights-refresh": {
        "task": "cloud_api.analytics.insights_tasks.refresh_all_insights",
        "schedule": crontab(hour=1, minute=53),
    },
}
