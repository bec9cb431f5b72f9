"""Money: returns, invoices (`INV-` per shipment, `BILL-` per receipt, `CN-` per return),
payments and their allocation, what each partner owes (balance, aging, credit), statements.

Modules: `tables` (the schema), `commands`, `results`, `events`, `invoices` (issuing and
applying documents), `returns`, `payments`, `balances` (the one exposure function), `statement`,
`reports` (aging, gross profit), `verify`. Importing the package imports none of them.
"""
