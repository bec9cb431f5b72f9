"""Purchase and sales orders: creating them (`purchasing`, `sales`, the shared header and lines
in `store`), their prices and the rules those trip (`pricing`), shipping (`shipping`),
amendments (`amend`, `amend_steps`), questions about orders and prices (`questions`,
`quotes`), delivery notes (`delivery_notes`) and the words for their states (`status_words`)."""
