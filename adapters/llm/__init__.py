"""LLM providers: the chat model behind `bot.llm.port.ChatModel`, on LangChain's `ChatOpenAI`
(any OpenAI-compatible endpoint, Chat Completions) or `ChatOllama`. Built by the bootstrap only
when `JXC_LLM_PROVIDER` names a provider; LangChain itself is imported on the first request, so
neither `none` nor start-up pays for it."""

from __future__ import annotations

OLLAMA_URL = "http://localhost:11434"
"""Where Ollama listens by default (its server root; the client adds `/api/chat`)."""


def chat_model(settings):
    """The configured chat model (None with `none`). `openai` takes `JXC_LLM_BASE_URL` with its
    `/v1` (default: OpenAI's own) and the key `JXC_LLM_API_KEY`, else `OPENAI_API_KEY`;
    `ollama` takes the server's root."""
    provider = settings.llm_provider
    if provider == "none":
        return None
    from adapters.llm.clients import LangChainModel

    if provider == "openai":
        key = settings.llm_api_key or settings.openai_api_key
        # Local OpenAI-compatible servers ask for no key, but the client wants one.
        return LangChainModel(
            "openai", settings.llm_model, settings.llm_base_url, key or "none", settings.llm_timeout
        )
    return LangChainModel(
        "ollama",
        settings.llm_model,
        settings.llm_base_url or OLLAMA_URL,
        settings.llm_api_key,
        settings.llm_timeout,
    )
