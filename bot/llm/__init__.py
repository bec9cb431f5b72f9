"""The LLM path: what the parser recognises no command in is worked out by a chat model through
tools (`tools`: one per intent the user's role holds, named as the design's slots, plus
read-only lookups), and the model only proposes.

- `port`: the neutral messages, tool specs and the `ChatModel` protocol adapters implement;
- `session.Assistant`: one message's exchange with the model, within its limits (3 requests,
  one 30 s deadline, one retry of a failed request, one correction of a bad call);
- `toolbox` / `arguments` / `lookups`: the tools of one user, their arguments read back into
  commands (names resolved, decimals as text), the lookups;
- `fallback`: the conversation's hook (the delivery claimed first, writes proposed like parsed
  ones, "I could not understand" when nothing usable came back);
- `prompts`: the system prompts and worked examples, text files of the `prompts` package.

Nothing here imports LangChain or any SDK (checked by the import contracts).
"""
