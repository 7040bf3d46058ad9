"""A local Sphinx extension: every image of the book has alt text that describes it.

A figure drawn by a notebook reaches the page with its file name as its alt text
(``../_images/3f2a….png``), which a screen reader reads out digit by digit, and an animation's
frame (matplotlib's ``to_jshtml``) has no alt at all. Each such image gets the first sentence of
its figure's caption; an image without a caption gets the first sentence of the paragraph just
before it, which in this book introduces the figure ("The animation below shows …"). An alt
text written by an author is kept.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

#: The end of a sentence: a full stop, ! or ? before a space and a capital letter (so
#: "e.g. the", "η = 0.05" and a reference "Fig. 3.4" do not end one).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"])")
#: LaTeX in a caption's maths, as a screen reader should read it.
LATEX_SYMBOLS = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ",
                 "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ", "kappa": "κ",
                 "lambda": "λ", "mu": "μ", "rho": "ρ", "sigma": "σ", "tau": "τ", "nabla": "∇",
                 "sqrt": "√", "infty": "∞", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥",
                 "geq": "≥", "times": "×", "cdot": "·", "star": "*", "ldots": "…", "dots": "…",
                 "to": "→", "in": "∈", "frac12": "½", "hat": "", "mathrm": "", "text": "",
                 "operatorname": "", "left": "", "right": "", "quad": " "}
LATEX_COMMAND = re.compile(r"\\([A-Za-z]+\d*)")
#: An animation frame written by matplotlib's ``to_jshtml``, without an alt attribute.
ANIMATION_FRAME = re.compile(r'<img id="(_anim_img\w+)"(?![^>]*\balt=)')
FALLBACK = "A figure drawn by the code above"


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, on one line, without a final colon."""
    if not isinstance(text, str):
        raise TypeError(f"first_sentence needs a str, got {text!r}")
    flat = " ".join(text.split())
    return SENTENCE_END.split(flat, maxsplit=1)[0].rstrip(":").strip()


def spoken(text: str) -> str:
    """``text`` with its LaTeX as symbols: ``\\eta_t`` -> ``η_t``; other commands lose their
    backslash, braces go."""
    text = LATEX_COMMAND.sub(lambda m: LATEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    return text.replace("{", "").replace("}", "").replace("\\", "")


def _is_placeholder(alt: str, uri: str) -> bool:
    """No alt, or only the file's name (what an image from a notebook's output gets)."""
    alt = alt.strip()
    return not alt or alt == uri or alt.rsplit("/", 1)[-1] == uri.rsplit("/", 1)[-1]


def _caption_of(node: nodes.Node) -> str:
    figure = node.parent
    while figure is not None and not isinstance(figure, nodes.figure):
        figure = figure.parent
    if figure is None:
        return ""
    captions = [child for child in figure.children if isinstance(child, nodes.caption)]
    return first_sentence(captions[0].astext()) if captions else ""


def _paragraph_before(node: nodes.Node) -> str:
    """The first sentence of the last paragraph before ``node`` in its section."""
    section = node.parent
    while section is not None and not isinstance(section, (nodes.section, nodes.document)):
        section = section.parent
    if section is None:
        return ""
    last = ""
    for candidate in section.findall(lambda n: n is node or isinstance(n, nodes.paragraph)):
        if candidate is node:
            return last
        if not isinstance(candidate.parent, nodes.caption):
            last = first_sentence(candidate.astext()) or last
    return last


def describe(node: nodes.Node) -> str:
    return spoken(_caption_of(node) or _paragraph_before(node) or FALLBACK)


def set_alt_texts(app, doctree, docname):
    for image in doctree.findall(nodes.image):
        if _is_placeholder(image.get("alt", ""), image.get("uri", "")):
            image["alt"] = describe(image)
    for raw in doctree.findall(nodes.raw):
        if "html" in raw.get("format", "") and ANIMATION_FRAME.search(raw.astext()):
            alt = html.escape(describe(raw), quote=True)
            text = ANIMATION_FRAME.sub(lambda m: f'<img id="{m.group(1)}" alt="{alt}"', raw.astext())
            raw.children = [nodes.Text(text)]


def setup(app):
    app.connect("doctree-resolved", set_alt_texts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
