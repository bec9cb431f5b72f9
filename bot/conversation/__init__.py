"""The conversation: text in, neutral reply out.

Questions run at once; a write is summarised and runs only on yes/是/确认/ok (no/否/取消 drops
it; a confirmation expires after 10 minutes). Before a write is proposed the service runs it as a
dry run, so a command that would be refused is refused at once and the proposal says exactly what
the service will store. A text that names a command but misses a value is asked about, and the
answer completes it; a "did you mean" is answered with yes, the suggestion's number or its name.
What waits (`bot.waiting`) takes only an answer of its kind and expires 10 minutes after it was
asked; a message with its own verb, question word or document number is new, and the reply says
first, in one line, that what waited was dropped. A sales order short of some lines is proposed
with the lines stock can serve; a refusal for stock keeps its draft, so naming another warehouse
next proposes it from there. The state lives in the database per user and channel, so a restart mid-confirmation loses
nothing. The confirmed command runs under an idempotency key made when it was proposed, so "yes"
delivered twice has one effect, and the confirmation is cleared in the command's own transaction.

A message costs at most two transactions: one read (the user, the state, the catalogue, and any
question), then at most one write (the dry run, the proposal and the state; or the confirmed
command with the end of its confirmation).
"""

from bot.conversation.machine import Conversation
from bot.conversation.scanned import Scanned

__all__ = ["Conversation", "Scanned"]
