"""The site's JSON API: every postmortem, its JSON Schema, and one file per service.

``/api/postmortems.json`` is what `postmortem export --format json` prints (the
same serializer, analysis.export); ``/api/postmortems.schema.json`` its shape;
``/api/services/<service>.json`` one service's incidents and open action items, for
a service catalog (the README has a Backstage example). URLs inside are relative to
the site's root.
"""

from __future__ import annotations

import json
from typing import Any

from postmortem_kb.analysis.export import export_document, service_document
from postmortem_kb.model.export_shape import export_schema
from postmortem_kb.model.kinds import Kind
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext


def _json(data: Any) -> bytes:
    # Compact: indenting makes Python's encoder fall back from C to Python (10x slower),
    # and the file is for programs.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def api_files(ctx: SiteContext) -> dict[str, bytes]:
    """Every file of the API: path in the site -> JSON."""
    files = {
        urls.API_POSTMORTEMS: _json(export_document(ctx.collection, ctx.root, ctx.today)),
        urls.API_SCHEMA: _json(export_schema(ctx.schema)),
    }
    for service in ctx.collection.terms_used(Kind.SERVICE):
        document = service_document(ctx.collection, service, ctx.root, ctx.today)
        document["url"] = ctx.site_path(urls.term(Kind.SERVICE, service))
        for brief in document["incidents"]:
            brief["url"] = ctx.site_path(urls.incident(brief["id"]))
        files[urls.api_service(service)] = _json(document)
    return files
