"""Alerts: their records and deliveries (`records`), and the `alert.*` services people run on
them (`actions`: list, acknowledge, snooze, order from a reorder alert)."""
