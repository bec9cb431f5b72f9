"""The LLM prompt templates, as text files installed with the package: `system_en.txt` and
`system_zh.txt` (who the model is talking with, what it may do, how it treats tool results),
`examples_en.txt` and `examples_zh.txt` (worked examples). `bot.llm.prompts` loads them by name.
Placeholders are written `$user`, `$role`, `$today`."""
