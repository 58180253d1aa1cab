"""The site adapter: the conventions of docs-folder generators that read ``mkdocs.yml``.

MkDocs (with the ``postmortems`` plugin) and Zensical (which runs no plugins) both
build a docs folder of Markdown files into a site, from the same ``mkdocs.yml``.
What they share is here, and nothing of either is imported: the settings read from
mkdocs.yml (:mod:`.config`), the ``use_directory_urls`` URL rule handed to the
core's Linker (:mod:`.urls`), the navigation in mkdocs.yml's format (:mod:`.nav`),
the core's pages built for a project (:mod:`.build`), pages as Markdown files
(:mod:`.files`) written into a docs folder under a manifest (:mod:`.manifest`,
:mod:`.generate`), and the site search index over a built site (:mod:`.index`).

The MkDocs plugin and ``postmortem site`` are thin front ends over this package.
"""
