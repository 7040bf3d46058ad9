"""The chapters' MyST as plain Markdown, for the student version of a chapter.

The book's chapters are written in MyST for Jupyter Book; the nbgrader student version is
opened in JupyterLab, classic Notebook or VS Code, which render CommonMark and ``$math$`` only.
:func:`to_markdown` rewrites one markdown cell so that it reads there as it reads in the book:

* ``{glue:text}`name:fmt``` -> the glued ``text/plain`` formatted as myst-nb formats it, then
  :func:`optlib.pages.typeset` (as the book's ``book/_ext/typeset.py`` does);
  ``{glue:md}`name:myst``` and ``{glue}`name``` -> the glued ``text/markdown``;
* ``{numref}`label``` -> ``Figure 3.2`` / ``Exercise 3.2`` (``%s`` in an explicit text is the
  number); ``{eq}`label``` -> ``(3.4)``; ``{ref}`label``` -> the section's heading, or
  ``Exercise 3.2 (title)`` as the book shows it; ``{doc}`path``` -> the page's title; an explicit
  text (``{ref}`text <label>```) is kept as the text;
* ``{cite:t}`key``` -> ``Polyak [1964]``, ``{cite:p}`a,b``` -> ``[Polyak, 1964, Qian, 1999]``:
  sphinxcontrib-bibtex's author_year style as the book prints it (two authors "A and B", three
  or more "A *et al.*", several keys in the bibliography's order);
* ``$$ ... $$ (label)`` -> ``$$ ... \\tag{3.4} $$``; ``(label)=`` targets are dropped;
* an ``{exercise}`` -> ``### Exercise 3.2: Title (easy, 2 points)`` and its converted body;
* ``{note}``, ``{admonition} Title`` and the other admonitions -> a blockquote opening with the
  title in bold (``> **Note.** ...``); directive options (``:class:``) are dropped.

Anything else that is MyST only (a role or a directive not listed here, a label that no page
defines, a glued name the chapter does not glue) raises ``ValueError`` naming it, so that a new
construct in a chapter cannot reach a student as raw markup. Code blocks and inline code are
left alone.

The numbers come from :func:`book_references`, which numbers figures, equations and exercises
per chapter as Sphinx's numfig does for the book (``3.1, 3.2, ...`` in chapter 3); the glued
values from :func:`glued_values` on the chapter executed. PyYAML and pybtex, the book's build
tools, are imported by the functions that read ``_toc.yml`` and the ``.bib`` file, so that this
module imports without them.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from optlib.pages import typeset

# ---------------------------------------------------------------------------------------------
# What the book numbers and names


@dataclass(frozen=True)
class Exercise:
    number: str  # "3.2", or "" for an exercise marked :nonumber:
    title: str  # as written after {exercise}, difficulty included: "Polyak's tuning (medium)"


@dataclass(frozen=True)
class Citation:
    authors: str  # "Polyak", "Robbins and Monro", "Sutskever *et al.*"
    year: str
    order: int  # position in the bibliography, which orders the keys of one citation


@dataclass
class BookReferences:
    titles: dict[str, str] = field(default_factory=dict)  # docname -> title
    chapter_numbers: dict[str, str] = field(default_factory=dict)  # numbered docname -> "3"
    sections: dict[str, str] = field(default_factory=dict)  # label -> heading text
    targets: set[str] = field(default_factory=set)  # every (label)=, headings or not
    figures: dict[str, str] = field(default_factory=dict)  # label -> "3.2"
    equations: dict[str, str] = field(default_factory=dict)  # label -> "3.4"
    exercises: dict[str, Exercise] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)


FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*(?P<info>.*?)[ \t]*$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.+-]+)\}[ \t]*(?P<argument>.*)$")
OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=[ \t]*$")
HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
# a role, or a code span (matched so that a role's look-alike inside code is left alone);
# neither runs across a blank line, as in CommonMark
_SPAN = r"(?:(?!\n[ \t]*\n).)+?"
INLINE = re.compile(r"\{(?P<role>[\w:.+-]+)\}(?P<ticks>`+)(?P<body>" + _SPAN + r")(?P=ticks)"
                    r"|(?P<code>`+)" + _SPAN + r"(?P=code)", re.S)
EQUATION = re.compile(r"\$\$(?P<math>(?:(?!\$\$).)+?)\$\$[ \t]*\((?P<label>[^()\s]+)\)", re.S)
# a label EQUATION did not take: its $$ paired with another equation's (a stray $$ in the cell)
LEFTOVER_EQUATION = re.compile(r"\$\$[ \t]*\([^()\s]+\)[ \t]*$", re.M)
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)  # "text <label>"
DIFFICULTY = re.compile(r"\((?P<difficulty>easy|medium|hard)\)\s*$")
ADMONITIONS = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important",
               "warning": "Warning", "caution": "Caution", "attention": "Attention",
               "danger": "Danger", "error": "Error", "seealso": "See also"}
REMOVED = {"remove-cell", "remove-output"}  # tags under which a figure cell shows no figure


def _source(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _blocks(text: str):
    """Split markdown into ("text", lines) runs and ("fence", opening match, body lines, closing
    line) blocks. A fence closes on a line of at least as many of its characters (CommonMark),
    so a directive written with four backticks may hold a ``` code block."""
    lines, i, run = text.split("\n"), 0, []
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            run.append(lines[i])
            i += 1
            continue
        if run:
            yield "text", run
            run = []
        char, width = opening["fence"][0], len(opening["fence"])
        end = next((j for j in range(i + 1, len(lines))
                    if re.fullmatch(rf"[ \t]*{re.escape(char)}{{{width},}}[ \t]*", lines[j])), None)
        if end is None and DIRECTIVE.match(opening["info"]):
            raise ValueError(f"the directive {opening['info']!r} is never closed")
        end = len(lines) if end is None else end
        yield "fence", opening, lines[i + 1:end], lines[end] if end < len(lines) else None
        i = end + 1
    if run:
        yield "text", run


def _directive_parts(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's ``:key: value`` options and the content after them."""
    options, i = {}, 0
    while i < len(body) and OPTION.match(body[i]):
        match = OPTION.match(body[i])
        options[match["key"]] = match["value"]
        i += 1
    return options, body[i:]


def _walk_markdown(text: str):
    """What a markdown cell labels and numbers, in directives' bodies too: ("target", label),
    ("heading", text) and ("other", line) in the order of the lines (a target names the heading
    right after it), then ("equation", label), ("exercise", label, title, options) and
    ("figure", name, has_caption), each kind in the order of the page."""
    for kind, *block in _blocks(text):
        if kind == "text":
            for line in block[0]:
                if TARGET.match(line):
                    yield "target", TARGET.match(line)["label"]
                elif HEADING.match(line):
                    yield "heading", HEADING.match(line)["text"]
                elif line.strip():
                    yield "other", line
            for match in EQUATION.finditer("\n".join(block[0])):
                yield "equation", match["label"]
            continue
        yield "other", block[0].group(0)
        opening, body, _ = block
        directive = DIRECTIVE.match(opening["info"])
        if not directive:
            continue
        options, content = _directive_parts(body)
        if directive["name"] == "exercise":
            yield "exercise", options.get("label"), directive["argument"], options
        elif directive["name"] == "figure":
            yield "figure", options.get("name"), any(line.strip() for line in content)
        yield from _walk_markdown("\n".join(content))


def _page_cells(path: Path) -> list[dict]:
    if path.suffix == ".ipynb":
        return json.loads(path.read_text())["cells"]
    return [{"cell_type": "markdown", "source": path.read_text()}]


def _toc_pages(root: Path) -> list[tuple[str, str | None]]:
    """(docname, chapter number or None) for every page of _toc.yml, in order. Jupyter Book
    numbers the chapters of the ``numbered`` parts 1, 2, ... on through the parts (its
    multitoc numbering: chapter 5 opens the second part)."""
    import yaml  # the book's build tools; not needed to import this module

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    pages, numbered = [(toc["root"], None)], 0
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for chapter in part["chapters"]:
            if "sections" in chapter:
                raise ValueError(f"{chapter['file']}: sections in _toc.yml are not numbered here")
            if part.get("numbered"):
                numbered += 1
            pages.append((chapter["file"], str(numbered) if part.get("numbered") else None))
    return pages


def _number(chapter: str | None, n: int) -> str:
    return f"{chapter}.{n}" if chapter else str(n)


def _add_page(book: BookReferences, docname: str, chapter: str | None, cells: list[dict]) -> None:
    counts = {"figure": 0, "equation": 0, "exercise": 0}

    def number(kind: str) -> str:
        counts[kind] += 1
        return _number(chapter, counts[kind])

    pending = []  # targets just before a heading name it (MyST attaches them to what follows)
    for cell in cells:
        if cell["cell_type"] == "code":
            pending = []
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
            tags = set(cell.get("metadata", {}).get("tags", []))
            # Sphinx numbers a figure only if it has a caption (sphinx.environment.collectors)
            if figure and figure.get("caption") and not tags & REMOVED:
                label = number("figure")
                if figure.get("name"):
                    book.figures[figure["name"]] = label
            continue
        if cell["cell_type"] != "markdown":
            continue
        for kind, *item in _walk_markdown(_source(cell)):
            if kind == "target":
                book.targets.add(item[0])
                pending.append(item[0])
            elif kind == "heading":
                book.titles.setdefault(docname, item[0])
                book.sections.update({label: item[0] for label in pending})
                pending = []
            elif kind == "other":
                pending = []
            elif kind == "equation":
                book.equations[item[0]] = number("equation")
            elif kind == "exercise":
                label, title, options = item
                if label:
                    numbered = "nonumber" not in options
                    book.exercises[label] = Exercise(number("exercise") if numbered else "", title)
            elif kind == "figure" and item[1]:
                label = number("figure")
                if item[0]:
                    book.figures[item[0]] = label


def _citations(root: Path) -> dict[str, Citation]:
    """Author–year texts of every entry of the book's .bib files, as sphinxcontrib-bibtex's
    author_year style with its default brackets shows them."""
    import yaml
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin
    from pybtex.richtext import Text

    config = yaml.safe_load((root / "_config.yml").read_text())
    entries = {}
    for bibfile in config["bibtex_bibfiles"]:
        entries.update(parse_file(root / bibfile).entries)
    # the bibliography (style "alpha") sorts by author, year and title; a citation of several
    # keys lists them in that order
    order = find_plugin("pybtex.style.sorting", "author_year_title")().sort(entries.values())
    citations = {}
    for position, entry in enumerate(order):
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [Text.from_latex(" ".join(p.prelast_names + p.last_names)).render_as("text")
                 for p in persons]
        if not names:
            raise ValueError(f"{entry.key}: no author or editor to cite it by")
        authors = (names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2
                   else f"{names[0]} *et al.*")
        citations[entry.key] = Citation(authors, entry.fields["year"], position)
    return citations


def book_references(root: Path) -> BookReferences:
    """Titles, section labels and the numbers of figures, equations and exercises of every page
    in ``root/_toc.yml``, and the citation texts of the book's bibliography."""
    root = Path(root)
    book = BookReferences()
    for docname, chapter in _toc_pages(root):
        path = next((root / f"{docname}{suffix}" for suffix in (".ipynb", ".md")
                     if (root / f"{docname}{suffix}").exists()), None)
        if path is None:
            raise ValueError(f"_toc.yml lists {docname!r}, which is neither a .ipynb nor a .md")
        if chapter:
            book.chapter_numbers[docname] = chapter
        _add_page(book, docname, chapter, _page_cells(path))
        if docname not in book.titles:
            raise ValueError(f"{docname}: the page has no heading to take its title from")
    book.citations = _citations(root)
    return book


# ---------------------------------------------------------------------------------------------
# What a chapter glues


def glued_values(executed_notebook: dict) -> dict[str, dict]:
    """The mime bundles that ``myst_nb.glue`` stored in an executed notebook, by name.

    ``glue(name, value)`` displays the value's mime bundle with the output metadata
    ``{"scrapbook": {"name": name, "mime_prefix": prefix}}``, each mime type prefixed with
    ``application/papermill.record/`` when ``display=False``; the prefix is removed here."""
    glued = {}
    for cell in executed_notebook["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            record = output.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            name, prefix = record["name"], record.get("mime_prefix", "")
            if name in glued:  # myst-nb warns, and the book builds with warnings as errors
                raise ValueError(f"the glue name {name!r} is glued twice")
            glued[name] = {mime.removeprefix(prefix): "".join(value) if isinstance(value, list)
                           else value for mime, value in output.get("data", {}).items()}
    return glued


def format_glued_text(text: str, spec: str) -> str:
    """``{glue:text}`name:spec``` as myst-nb 1.4 pastes it: the ``text/plain`` read back as a
    Python literal where it is one, converted to the kind of value ``spec``'s type letter
    formats (``.3f`` a float, ``d`` an int), and formatted."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not spec:
        return str(value)
    convert = {**dict.fromkeys("s", str), **dict.fromkeys("bcdoxX", int),
               **dict.fromkeys("eEfFgGn%", float)}.get(spec[-1])
    return format(convert(value) if convert else value, spec)


# ---------------------------------------------------------------------------------------------
# One markdown cell


@dataclass(frozen=True)
class _Page:
    docname: str
    book: BookReferences
    glued: dict
    points: dict


def _docname(chapter: str, book: BookReferences) -> str:
    name = str(chapter).removesuffix(".ipynb").removesuffix(".md")
    for candidate in (name, f"notebooks/{name}"):
        if candidate in book.titles:
            return candidate
    raise ValueError(f"{chapter!r} is not a page of the book's _toc.yml")


def _explicit(body: str) -> tuple[str | None, str]:
    """``text <target>`` -> (text, target); ``target`` -> (None, target)."""
    match = EXPLICIT.match(body)
    return (match["text"], match["target"].strip()) if match else (None, body.strip())


def _glued(name: str, mime: str, role: str, page: _Page) -> str:
    if name not in page.glued:
        raise ValueError(f"{page.docname}: {{{role}}} pastes {name!r}, "
                         "which the chapter does not glue")
    bundle = page.glued[name]
    if mime not in bundle:
        raise ValueError(f"{page.docname}: {{{role}}}`{name}` needs {mime}; "
                         f"{name!r} has {sorted(bundle)}")
    return bundle[mime]


def _paste(role: str, body: str, page: _Page) -> str:
    if "::" in body:
        raise ValueError(f"{page.docname}: {{{role}}}`{body}` pastes from another page "
                         "(not supported)")
    if role == "glue:text":  # `name:spec`, split at the last colon as myst-nb does
        name, spec = body.rsplit(":", 1) if ":" in body else (body, "s")
        text = _glued(name, "text/plain", role, page)
        try:
            return typeset(format_glued_text(text, spec))
        except (TypeError, ValueError) as error:
            raise ValueError(f"{page.docname}: {{glue:text}}`{body}`: cannot format {text!r} "
                             f"with {spec!r}: {error}") from None
    if role == "glue:md":  # `name:myst` is parsed as MyST; without it, as CommonMark (no maths)
        name, form = body.rsplit(":", 1) if ":" in body else (body, "commonmark")
        markdown = _glued(name, "text/markdown", role, page).strip()
        return _inline(markdown, page) if form == "myst" else markdown.replace("$", "\\$")
    if "text/markdown" in page.glued.get(body, {}):  # {glue}: markdown before plain text
        return _glued(body, "text/markdown", role, page).strip()
    return _glued(body, "text/plain", role, page)


def _label(label: str, table, what: str, role: str, page: _Page):
    if label not in table:
        raise ValueError(f"{page.docname}: {{{role}}}`{label}`: no {what} has the label {label!r}")
    return table[label] if isinstance(table, dict) else label


def _exercise_name(exercise: Exercise) -> str:
    return f"Exercise {exercise.number}".rstrip()


def _eq(role: str, body: str, page: _Page) -> str:
    return f"({_label(body, page.book.equations, 'equation', role, page)})"


def _numref(role: str, body: str, page: _Page) -> str:
    book, (text, label) = page.book, _explicit(body)
    if label in book.exercises:
        name = _exercise_name(book.exercises[label])
    else:
        name = f"Figure {_label(label, book.figures, 'figure or exercise', role, page)}"
    number = name.split(" ")[-1]
    return name if text is None else text.replace("%s", number).replace("{number}", number)


def _ref(role: str, body: str, page: _Page) -> str:
    book, (text, label) = page.book, _explicit(body)
    known = book.sections.keys() | book.exercises.keys() | book.figures.keys() | book.targets
    _label(label, known, "section, exercise, figure or target", role, page)
    if text is not None:
        return text
    if label in book.exercises:  # as sphinx-exercise shows it: "Exercise 3.2 (title)"
        return f"{_exercise_name(book.exercises[label])} ({book.exercises[label].title})"
    return _label(label, book.sections, "section heading", role, page)


def _doc(role: str, body: str, page: _Page) -> str:
    """The page's title; the path is relative to the page, or to the root with a leading /."""
    text, path = _explicit(body)
    base = "" if path.startswith("/") else posixpath.dirname(page.docname)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    title = _label(target.removesuffix(".ipynb").removesuffix(".md"), page.book.titles, "page",
                   role, page)
    return title if text is None else text


def _cite(role: str, body: str, page: _Page) -> str:
    keys = [key.strip() for key in body.split(",") if key.strip()]
    for key in keys:
        _label(key, page.book.citations, "bibliography entry", role, page)
    cited = sorted((page.book.citations[key] for key in keys), key=lambda c: c.order)
    if role == "cite:t":
        return ", ".join(f"{c.authors} [{c.year}]" for c in cited)
    return "[" + ", ".join(f"{c.authors}, {c.year}" for c in cited) + "]"


ROLES = {"glue": _paste, "glue:": _paste, "glue:any": _paste, "glue:text": _paste,
         "glue:md": _paste, "eq": _eq, "numref": _numref, "ref": _ref, "doc": _doc,
         "cite:t": _cite, "cite:p": _cite}


def _role(match: re.Match, page: _Page) -> str:
    if match["code"]:
        return match.group(0)
    role, body = match["role"], " ".join(match["body"].split())
    if role not in ROLES:
        raise ValueError(f"{page.docname}: the MyST role {{{role}}}`{body}` "
                         "has no plain-Markdown form")
    return ROLES[role](role, body, page)


def _equation(match: re.Match, page: _Page) -> str:
    number = _label(match["label"], page.book.equations, "equation", "$$", page)
    math = match["math"].rstrip()
    return f"$${math} \\tag{{{number}}}" + ("\n$$" if "\n" in math else " $$")


def _inline(text: str, page: _Page) -> str:
    text = "\n".join(line for line in text.split("\n") if not TARGET.match(line))
    text = EQUATION.sub(lambda match: _equation(match, page), text)
    text = INLINE.sub(lambda match: _role(match, page), text)
    leftover = LEFTOVER_EQUATION.search(text)
    if leftover:
        raise ValueError(f"{page.docname}: an equation label not converted: {leftover.group(0)!r}")
    return text


def _quote(title: str, content: str) -> str:
    """A blockquote opening with the title in bold, on the first paragraph's line if it is one."""
    title = title if title[-1:] in ".?!:" else title + "."
    lines = content.strip("\n").split("\n") if content.strip() else []
    # not a list, quote, heading, table, display maths, fence, or bold text of its own
    starts_paragraph = lines and not re.match(r"\s*([-*+]\s|\d+[.)]\s|[>#|]|\$\$|```|:::|~~~|\*\*)",
                                              lines[0])
    lines = ([f"**{title}** {lines[0]}"] + lines[1:] if starts_paragraph
             else [f"**{title}**"] + ([""] + lines if lines else []))
    return "\n".join(f"> {line}".rstrip() for line in lines)


def points_phrase(n: int) -> str:
    """ "1 point", "3 points". """
    return f"{n} point" if n == 1 else f"{n} points"


def _exercise(argument: str, options: dict, content: str, page: _Page) -> str:
    label = options.get("label")
    if not label:
        raise ValueError(f"{page.docname}: an {{exercise}} without a :label: ({argument!r})")
    exercise = _label(label, page.book.exercises, "exercise", "exercise", page)
    if label not in page.points:
        raise ValueError(f"{page.docname}: no points given for the exercise {label!r}")
    worth = points_phrase(page.points[label])
    title = _inline(argument, page)
    if DIFFICULTY.search(title):  # "Title (easy)" -> "Title (easy, 1 point)"
        title = DIFFICULTY.sub(lambda match: f"({match['difficulty']}, {worth})", title)
    else:
        title = f"{title} ({worth})".strip()
    heading = f"### {_exercise_name(exercise)}{':' if argument else ''} {title}"
    return heading + ("\n\n" + content.strip("\n") if content.strip() else "")


def _directive(name: str, argument: str, body: list[str], page: _Page) -> str:
    options, content = _directive_parts(body)
    converted = _convert("\n".join(content), page)
    if name == "exercise":
        return _exercise(argument, options, converted, page)
    if name == "admonition":
        if not argument:
            raise ValueError(f"{page.docname}: an {{admonition}} without a title")
        return _quote(_inline(argument, page), converted)
    if name in ADMONITIONS:  # an argument of {note} is the first line of its content
        first = _convert(argument, page) + "\n" if argument else ""
        return _quote(ADMONITIONS[name], first + converted)
    if name.startswith("solution"):
        raise ValueError(f"{page.docname}: a {{{name}}} directive: solutions are removed "
                         "from the student version before its markdown is converted")
    raise ValueError(f"{page.docname}: the MyST directive {{{name}}} has no plain-Markdown form")


def _convert(text: str, page: _Page) -> str:
    out = []
    for kind, *block in _blocks(text):
        if kind == "text":
            out.append(_inline("\n".join(block[0]), page))
            continue
        opening, body, closing = block
        directive = DIRECTIVE.match(opening["info"])
        if not directive:  # a code block: verbatim
            out += [opening.group(0), *body] + ([closing] if closing is not None else [])
            continue
        converted = _directive(directive["name"], directive["argument"], body, page)
        out += [opening["indent"] + line if line else line for line in converted.split("\n")]
    return "\n".join(out)


def to_markdown(source: str, chapter: str, book: BookReferences, glued: dict,
                points: dict[str, int]) -> str:
    """One markdown cell of ``chapter`` (``"momentum"`` or ``"notebooks/momentum"``) in plain
    Markdown (see the module's docstring); ``points`` are the exercises' points by label."""
    return _convert(source, _Page(_docname(chapter, book), book, glued, points))


def figure_caption(cell: dict, chapter: str, book: BookReferences, glued: dict) -> str | None:
    """``**Figure 3.1.** caption`` for a code cell whose ``mystnb.figure`` metadata makes its
    output a figure in the book, else None."""
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
    if cell["cell_type"] != "code" or not figure or not figure.get("caption"):
        return None
    page = _Page(_docname(chapter, book), book, glued, {})
    name = figure.get("name")
    if not name:
        raise ValueError(f"{page.docname}: a figure without a name cannot be numbered here "
                         f"(caption {figure['caption'][:40]!r}...)")
    number = _label(name, book.figures, "figure", "figure", page)
    return f"**Figure {number}.** {_convert(figure['caption'], page).strip()}"
