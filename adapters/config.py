"""Configuration: one typed settings object, read once by the bootstrap from the environment
(or `.env`)."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import BadRequest


class Settings(BaseSettings):
    """Every `JXC_*` variable of the design."""

    model_config = SettingsConfigDict(env_prefix="JXC_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///jxc.db"
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    now: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_port: int = 3000
    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_port: int = 8443
    # The address the Slack HTTP port and the Telegram webhook bind (127.0.0.1: this host only).
    listen_host: str = "0.0.0.0"
    # Default: derived from the token (see adapters.telegram.webhook_secret).
    telegram_webhook_secret: str | None = None
    llm_provider: str = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 20.0
    dask_scheduler: str | None = None
    log_file: str | None = None

    def __init__(self, **values):
        try:
            super().__init__(**values)
        except ValidationError as exc:
            bad = "; ".join(
                f"JXC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
            )
            raise BadRequest(f"bad setting {bad}", zh=f"配置有误 {bad}") from None
