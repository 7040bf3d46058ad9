"""A local Sphinx extension: numbers pasted into the prose read like the book's other numbers.

myst-nb's ``{glue:text}`` role pastes a value formatted by Python (``-2.250``, ``1.2e-04``) in a
``<span class="pasted-text">``, which its stylesheet prints in bold. Here every such span gets
its text from :func:`optlib.pages.typeset` (``−2.250``, ``1.2 × 10⁻⁴``: a real minus sign, a
power of ten) and loses the class, so it is set in the weight of the sentence around it.
"""

from docutils import nodes

from optlib.pages import typeset

PASTED = "pasted-text"


def typeset_pasted_text(app, doctree, docname):
    for node in list(doctree.findall(nodes.inline)):
        if PASTED not in node["classes"]:
            continue
        node["classes"].remove(PASTED)
        node["classes"].append("glued-number")
        for text in list(node.findall(nodes.Text)):
            text.parent.replace(text, nodes.Text(typeset(text.astext())))


def setup(app):
    app.connect("doctree-resolved", typeset_pasted_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
