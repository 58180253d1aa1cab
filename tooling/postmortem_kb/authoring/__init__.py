"""Writing postmortems: a new file from the template, on its own branch if asked."""
