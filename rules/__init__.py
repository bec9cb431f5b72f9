"""The rules engine: facts about the business in, alerts to raise or resolve out.

`rules.engine` holds the port (`RulesEngine`, `Fired`; the bootstrap chooses the implementation); `rules.rulesets` the facts
each rule reads and whom an alert is about; `rules.durable_engine` the rules on durable-rules,
`rules.reference` the same rules in plain Python, and `rules.host` the durable engine in a child
process that is restarted when it dies. Importing this package loads none of them.
"""
