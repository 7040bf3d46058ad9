"""A local Sphinx extension: no page loads the unused thebe scripts.

Jupyter Book always loads sphinx-thebe, which adds to every page an inline configuration script
(``const THEBE_JS_URL = "https://unpkg.com/..."``) and ``sphinx-thebe.js``. It registers the
inline script from an ``env-before-read-docs`` hook, after the HTML builder started; Sphinx 7
adds it to the builder then, and again from the registry when writing begins, with filename
``''`` instead of ``None`` so its duplicate check misses it: every page declares the constant
twice and the browser logs "Identifier 'THEBE_JS_URL' has already been declared". The book has
no live-code (thebe) button, so both scripts are dropped from the pages. (MathJax is served from
the site: ``mathjax_path`` in ``_config.yml``.)
"""


def _is_thebe(script) -> bool:
    # Sphinx 7.4's script entries are objects whose str() is their repr: read the filename
    filename = str(getattr(script, "filename", script) or "")
    body = getattr(script, "attributes", {}).get("body", "")
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def drop_thebe(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
