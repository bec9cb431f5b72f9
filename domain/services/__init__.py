"""One service function per command, each taking the typed command, the unit of work and the
acting user. The message bus (`domain.messagebus`) wraps them in a transaction with idempotency,
permissions, audit and outbox."""
