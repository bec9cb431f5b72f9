"""Configuration: one typed settings object, read once by the bootstrap from the environment
(or `.env`)."""

from __future__ import annotations

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import BadRequest

LLM_PROVIDERS = ("none", "openai", "ollama")


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
    # The LLM path (adapters/llm): none | openai | ollama, the endpoint, the model, its key and
    # the seconds one request may take (a message has 30 s in all).
    llm_provider: str = "none"
    llm_base_url: str | None = None
    llm_model: str | None = Field(default=None, validate_default=True)
    llm_api_key: str | None = None
    llm_timeout: float = 20.0
    # The key OpenAI's own tools read, taken when JXC_LLM_API_KEY is not set.
    openai_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    dask_scheduler: str | None = None
    log_file: str | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from sqlalchemy import make_url
        from sqlalchemy.exc import ArgumentError

        from domain.messages.commands import echo

        shown = echo(value)
        try:
            url = make_url(value.strip())
        except (ArgumentError, ValueError):
            raise ValueError(
                f"{shown!r} is not a database URL (sqlite:///FILE or postgresql://user@host/db)"
            ) from None
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(
                f"{backend!r} databases are not supported: use sqlite:///FILE or "
                "postgresql://user@host/db"
            )
        timeout = url.query.get("timeout")
        if timeout is not None:
            try:
                ok = 0 <= float(str(timeout)) <= 3600
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    f"timeout={echo(timeout, 20)!r} must be a number of seconds (0 to 3600)"
                )
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (KeyError, ValueError, OSError):  # an unknown zone is a KeyError
            raise ValueError(f"{value[:60]!r} is not a time zone (e.g. Asia/Shanghai)") from None
        return value

    @field_validator("now")
    @classmethod
    def _now(cls, value: str | None) -> str | None:
        from datetime import date, datetime

        if not value or not value.strip():
            return None
        text = value.strip()
        try:
            if len(text) == 10:
                date.fromisoformat(text)
            else:
                datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{text[:60]!r} is not an ISO date or datetime (e.g. 2026-06-15)"
            ) from None
        return text

    @field_validator("llm_provider")
    @classmethod
    def _llm_provider(cls, value: str) -> str:
        provider = (value or "none").strip().lower()
        if provider not in LLM_PROVIDERS:
            raise ValueError(f"{value[:40]!r} is not a provider: use {' | '.join(LLM_PROVIDERS)}")
        return provider

    @field_validator("llm_model")
    @classmethod
    def _llm_model(cls, value: str | None, info: ValidationInfo) -> str | None:
        model = (value or "").strip()
        if not model and info.data.get("llm_provider", "none") != "none":
            raise ValueError("name the model the provider serves (e.g. JXC_LLM_MODEL=qwen2.5)")
        return model or None

    @field_validator("llm_base_url")
    @classmethod
    def _llm_base_url(cls, value: str | None) -> str | None:
        url = (value or "").strip()
        if url and not url.startswith(("http://", "https://")):
            raise ValueError(f"{url[:60]!r} is not an http:// or https:// URL")
        return url.rstrip("/") or None

    @field_validator("llm_timeout")
    @classmethod
    def _llm_timeout(cls, value: float) -> float:
        if not 0 < value <= 600:
            raise ValueError(f"{value} is not a number of seconds from 0 to 600")
        return value

    def __init__(self, **values):
        try:
            super().__init__(**values)
        except ValidationError as exc:
            bad = "; ".join(
                f"JXC_{'_'.join(map(str, e['loc'])).upper()}: "
                f"{e['msg'].removeprefix('Value error, ')}"
                for e in exc.errors()
            )
            raise BadRequest(f"bad setting {bad}", zh=f"配置有误 {bad}") from None
