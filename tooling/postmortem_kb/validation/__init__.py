"""Validation of loaded postmortems: the schema, then rules the schema cannot say."""
