"""The ledger: append-only stock moves and the balances kept with them (`moves`), their value
(`valuation`, moving average or FIFO), the stock services (`stock`: receive, issue, transfer,
count, query), the master data and how it is found (`lookup`, `codes`, `gtin`), imports of it
(`imports`, `csv_rows`, `master_rows`, `history_rows`), document numbers (`sequences`), the
figures history is read from (`history`, `purchase_history`), label sheets (`labels`) and the
accountant's proof (`verify`)."""
