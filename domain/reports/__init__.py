"""Reports: the named reports of the design (`service`: `run_report`, `NAMES`), the figures they
are made of (`stock`, `trade`), the ledger reads they share (`data`), their periods (`periods`)
and the notes they attach (`notes`). Their text for people is `bot.report_text`.

This module imports none of them, so a service that needs one part (the forecasts read
`data`) does not load the reports that use it."""
