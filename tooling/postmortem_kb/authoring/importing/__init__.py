"""`postmortem import`: postmortems from other tools and formats, with nothing invented.

``import_postmortems`` (run.py) reads the inputs (sources.py: front matter in
YAML, TOML or JSON, CSV rows, Markdown or HTML documents), maps their keys and
values (mapping.py, with the ready mappings in ``mappings/``), makes each one of
our postmortems (compose.py, times.py, body.py), checks it as `postmortem check`
does and writes it atomically, never over an existing file.
"""

from postmortem_kb.authoring.importing.mapping import shipped_mappings
from postmortem_kb.authoring.importing.run import ImportRun, Outcome, import_postmortems
from postmortem_kb.authoring.importing.sources import FORMATS

__all__ = ["FORMATS", "ImportRun", "Outcome", "import_postmortems", "shipped_mappings"]
