"""WordPress eXtended RSS (WXR): reading, converting, importing and exporting.

``reader`` streams an export file into plain objects, ``content`` turns
WordPress post content into the blog's HTML, ``importer`` and ``exporter`` are
the services the management commands call.
"""
