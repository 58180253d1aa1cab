"""Reading files: a postmortem's bytes into front matter and body, YAML settings, Markdown structure.

Every way a file can be unreadable becomes a located error value, never an exception.
"""
