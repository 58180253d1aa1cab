"""Analysis over a Collection: recurrence, co-occurrence, related incidents,
the lucky-breaks ledger and duration statistics. Pure functions, no I/O."""
