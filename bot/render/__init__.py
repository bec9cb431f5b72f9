"""How the bot words things for people, one module per kind of text: `reply` (the neutral
reply and its buttons), `proposals` (what a write will do, asked before it is confirmed, one
renderer per command type), `results` (what a service answered, one renderer per result type),
`errors` (refusals) and `alerts` (alert buttons and what their copies say afterwards).
`words` holds the pieces more than one of them uses."""
