"""What a postmortem is: the kinds of taxonomy terms, the record, findings and time values.

The bottom layer of the data flow. Nothing here reads files or knows about the
repository; every other layer builds on these types.
"""
