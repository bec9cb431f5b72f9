"""What goes in and out of the domain: typed commands (`commands`, `commands_admin`, read from a
stranger's JSON by `command_json`), events (`events`), results (`results`, `batch_results`), the
one codec of their JSON shapes (`codec`), the bus that runs a command as one unit of work
(`bus`), and what the chat keeps between messages (`conversations`, `inbound`)."""
