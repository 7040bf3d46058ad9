"""optlib.student_markdown: the chapters' MyST as plain Markdown for the student version.

Each construct on a small synthetic book (exact outputs, and an error for each way a reference can
be wrong); then the four real chapters, whose converted cells must hold no MyST at all; then the
numbers, citations and pasted numbers of one chapter against the book as built."""

import html
import json
import re
import textwrap

import pytest
from myst_nb.core.variables import format_plain_text

from conftest import ROOT
from optlib import assign
from optlib.student_markdown import (book_references, figure_caption, format_glued_text,
                                     glued_values, to_markdown)

NBSP = "\N{NO-BREAK SPACE}"


# ---------------------------------------------------------------------------------------------
# A small book: two numbered chapters, an unnumbered page, a bibliography


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": textwrap.dedent(text).strip("\n")}


def code(metadata=None):
    return {"cell_type": "code", "metadata": metadata or {}, "source": "", "outputs": [],
            "execution_count": None}


def figure(name, caption="A caption.", tags=()):
    return code({"mystnb": {"figure": {"name": name, "caption": caption}}, "tags": list(tags)})


CHAPTER_A = [
    markdown("""
        # First chapter

        (a-intro)=
        ## Introduction

        $$
        x = 1
        $$ (eq-a-one)

        $$ y = 2 $$ (eq-a-two)
        """),
    figure("fig-a-first"),
    code({"mystnb": {"figure": {"name": "fig-a-uncaptioned"}}}),  # Sphinx numbers captioned ones
    figure("fig-a-removed", tags=["remove-cell"]),
    figure("fig-a-second", caption="Loss after {glue:text}`steps` steps, see {eq}`eq-a-two`."),
    markdown("""
        (a-loose)=
        A paragraph, not a heading, follows this target.

        ## Later

        ```{figure} picture.png
        :name: fig-a-third

        A figure in markdown.
        ```

        ````{exercise} Compute it (easy)
        :label: a-ex-1

        Use {eq}`eq-a-one`:

        ```python
        print("{eq}`not-a-label`")
        ```
        ````

        ```{exercise} Prove it (hard)
        :label: a-ex-2

        $$ z = 3 $$ (eq-a-three)
        ```
        """),
]
CHAPTER_B = [
    markdown("""
        # Second chapter

        (b-section)=
        ## A section with $\\eta$

        $$ w = 4 $$ (eq-b-one)
        """),
    figure("fig-b-first"),
    markdown("""
        ```{exercise} Only a title
        :label: b-ex-1
        ```
        """),
]
INTRO = "# The book\n\n(notation)=\n## Notation\n\nSymbols.\n"
BIB = """
@article{polyak1964, author = {Polyak, Boris T.}, title = {Heavy ball}, year = {1964}}
@article{robbins1951, author = {Robbins, Herbert and Monro, Sutton}, title = {SA}, year = {1951}}
@article{sutskever2013, author = {Sutskever, Ilya and Martens, James and Dahl, George},
         title = {Init}, year = {2013}}
@article{gurbuzbalaban2021, author = {G{\\"u}rb{\\"u}zbalaban, Mert and Ozdaglar, Asuman and
         Parrilo, Pablo A.}, title = {Reshuffling}, year = {2021}}
"""


def write_book(root, chapters, toc):
    (root / "notebooks").mkdir()
    (root / "book").mkdir()
    for name, cells in chapters.items():
        (root / "notebooks" / f"{name}.ipynb").write_text(json.dumps({"cells": cells}))
    (root / "book" / "intro.md").write_text(INTRO)
    (root / "book" / "refs.bib").write_text(BIB)
    (root / "_config.yml").write_text("bibtex_bibfiles:\n  - book/refs.bib\n")
    (root / "_toc.yml").write_text(textwrap.dedent(toc))


TOC = """
    format: jb-book
    root: book/intro
    parts:
      - caption: Chapters
        numbered: true
        chapters:
          - file: notebooks/a
          - file: notebooks/b
    """


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    write_book(root, {"a": CHAPTER_A, "b": CHAPTER_B}, TOC)
    return book_references(root)


GLUED = {"steps": {"text/plain": "40"}, "gap": {"text/plain": "2.332443761e-05"},
         "slope": {"text/plain": "-2.25"}, "word": {"text/plain": "'momentum'"},
         "gamma": {"text/plain": "<IPython.core.display.Markdown object>",
                   "text/markdown": "$\\gamma = 0.64$"}}
POINTS = {"a-ex-1": 1, "a-ex-2": 3, "b-ex-1": 2}


def convert(text, chapter="a", glued=GLUED, points=POINTS, *, book):
    return to_markdown(textwrap.dedent(text).strip("\n"), chapter, book, glued, points)


# ---------------------------------------------------------------------------------------------
# book_references


def test_book_references_number_per_chapter_as_numfig_does(book):
    assert book.chapter_numbers == {"notebooks/a": "1", "notebooks/b": "2"}
    assert book.titles == {"book/intro": "The book", "notebooks/a": "First chapter",
                           "notebooks/b": "Second chapter"}
    # uncaptioned and removed figure cells are not numbered; a {figure} directive is
    assert book.figures == {"fig-a-first": "1.1", "fig-a-second": "1.2", "fig-a-third": "1.3",
                            "fig-b-first": "2.1"}
    assert book.equations == {"eq-a-one": "1.1", "eq-a-two": "1.2", "eq-a-three": "1.3",
                              "eq-b-one": "2.1"}
    assert {label: (e.number, e.title) for label, e in book.exercises.items()} == {
        "a-ex-1": ("1.1", "Compute it (easy)"), "a-ex-2": ("1.2", "Prove it (hard)"),
        "b-ex-1": ("2.1", "Only a title")}


def test_a_target_names_the_heading_right_after_it_only(book):
    assert book.sections == {"a-intro": "Introduction", "b-section": "A section with $\\eta$",
                             "notation": "Notation"}
    assert "a-loose" in book.targets and "a-loose" not in book.sections


def test_numbered_parts_number_their_chapters_on_from_part_to_part(tmp_path):
    # the numbers run on through the parts, as in the built book (multitoc numbering)
    write_book(tmp_path, {"a": CHAPTER_A, "b": CHAPTER_B}, """
        root: book/intro
        parts:
          - caption: One
            numbered: true
            chapters:
              - file: notebooks/a
          - caption: Two
            numbered: true
            chapters:
              - file: notebooks/b
        """)
    book = book_references(tmp_path)
    assert book.chapter_numbers == {"notebooks/a": "1", "notebooks/b": "2"}
    assert book.figures["fig-b-first"] == "2.1"


def test_a_toc_entry_without_a_page_is_an_error(tmp_path):
    write_book(tmp_path, {"a": CHAPTER_A}, TOC)  # notebooks/b is missing
    with pytest.raises(ValueError, match="notebooks/b"):
        book_references(tmp_path)


def test_citations_are_author_year_texts_from_the_bib_file(book):
    cited = {key: (c.authors, c.year) for key, c in book.citations.items()}
    assert cited == {"polyak1964": ("Polyak", "1964"), "robbins1951": ("Robbins and Monro", "1951"),
                     "sutskever2013": ("Sutskever *et al.*", "2013"),
                     "gurbuzbalaban2021": ("Gürbüzbalaban *et al.*", "2021")}


# ---------------------------------------------------------------------------------------------
# glued values


def glue_output(name, bundle, prefix="application/papermill.record/"):
    return {"output_type": "display_data", "data": {prefix + k: v for k, v in bundle.items()},
            "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}}}


def test_glued_values_are_read_from_the_outputs_metadata():
    cell = code()
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hello"},
                       glue_output("steps", {"text/plain": "40"}),
                       glue_output("shown", {"text/plain": ["a\n", "b"]}, prefix="")]
    assert glued_values({"cells": [markdown("# x"), cell]}) == {
        "steps": {"text/plain": "40"}, "shown": {"text/plain": "a\nb"}}


def test_a_name_glued_twice_is_an_error():
    cell = code()
    cell["outputs"] = [glue_output("steps", {"text/plain": "1"}),
                       glue_output("steps", {"text/plain": "2"})]
    with pytest.raises(ValueError, match="'steps'"):
        glued_values({"cells": [cell]})


@pytest.mark.parametrize("text, spec", [("40", "s"), ("40", ""), ("40", "d"), ("0.1", ".3f"),
                                        ("2.332443761e-05", ".1e"), ("-2.25", ".2g"),
                                        ("0.123", ".0%"), ("'momentum'", "s"), ("7", ".2f"),
                                        ("<IPython.core.display.Markdown object>", "s")])
def test_glued_text_is_formatted_as_myst_nb_formats_it(text, spec):
    assert format_glued_text(text, spec) == format_plain_text(text, spec)


# ---------------------------------------------------------------------------------------------
# to_markdown: glue


def test_glue_text_is_formatted_then_typeset(book):
    assert convert("{glue:text}`steps` steps, gap {glue:text}`gap:.1e`, slope "
                   "{glue:text}`slope:.3f`, {glue:text}`word`.", book=book) == (
        f"40 steps, gap 2.3{NBSP}×{NBSP}10⁻⁵, slope −2.250, momentum.")


def test_glue_md_pastes_the_markdown(book):
    assert convert("so {glue:md}`gamma:myst`.", book=book) == "so $\\gamma = 0.64$."
    assert convert("so {glue}`gamma`.", book=book) == "so $\\gamma = 0.64$."
    assert convert("{glue}`steps` steps", book=book) == "40 steps"  # no markdown: the plain text
    # without :myst the book reads it as CommonMark: the dollars are text
    assert convert("so {glue:md}`gamma`.", book=book) == "so \\$\\gamma = 0.64\\$."


def test_an_unknown_glue_name_is_an_error(book):
    with pytest.raises(ValueError, match="'missing'"):
        convert("{glue:text}`missing:.2f`", book=book)


def test_glue_md_of_a_value_without_markdown_is_an_error(book):
    with pytest.raises(ValueError, match="text/markdown"):
        convert("{glue:md}`steps:myst`", book=book)


def test_a_glued_value_the_format_does_not_fit_is_an_error(book):
    with pytest.raises(ValueError, match="word"):
        convert("{glue:text}`word:.2f`", book=book)


# ---------------------------------------------------------------------------------------------
# to_markdown: references


def test_numref_gives_the_figure_or_exercise_number(book):
    assert convert("See {numref}`fig-a-second` and {numref}`b-ex-1`.", book=book) == (
        "See Figure 1.2 and Exercise 2.1.")
    assert convert("{numref}`Panel %s <fig-b-first>`", book=book) == "Panel 2.1"


def test_eq_gives_the_equation_number_in_parentheses(book):
    assert convert("by {eq}`eq-a-two` and {eq}`eq-b-one`", chapter="b", book=book) == (
        "by (1.2) and (2.1)")


def test_ref_gives_the_heading_the_exercise_or_the_text(book):
    assert convert("{ref}`a-intro`; {ref}`b-section`; {ref}`notation`", book=book) == (
        "Introduction; A section with $\\eta$; Notation")
    assert convert("{ref}`a-ex-2`", book=book) == "Exercise 1.2 (Prove it (hard))"
    assert convert("{ref}`this paragraph <a-loose>`", book=book) == "this paragraph"
    assert convert("{ref}`the\nintroduction <a-intro>`", book=book) == "the introduction"


def test_doc_gives_the_page_title_or_the_text(book):
    assert convert("{doc}`b` and {doc}`../notebooks/b`", book=book) == (
        "Second chapter and Second chapter")
    assert convert("{doc}`the intro <../book/intro>`", chapter="notebooks/a",
                   book=book) == "the intro"


@pytest.mark.parametrize("text, missing", [
    ("{numref}`fig-nowhere`", "fig-nowhere"), ("{eq}`eq-nowhere`", "eq-nowhere"),
    ("{ref}`nowhere`", "nowhere"), ("{ref}`text <nowhere>`", "nowhere"),
    ("{doc}`nowhere`", "notebooks/nowhere"), ("{numref}`a-intro`", "a-intro"),
    ("{cite:p}`polyak1964,nobody2000`", "nobody2000"),
    ("$$ x $$ (eq-nowhere)", "eq-nowhere")])
def test_a_label_that_does_not_exist_is_an_error_naming_it(book, text, missing):
    with pytest.raises(ValueError, match=re.escape(repr(missing))):
        convert(text, book=book)


def test_ref_to_a_target_without_heading_needs_a_text(book):
    with pytest.raises(ValueError, match="'a-loose'"):
        convert("{ref}`a-loose`", book=book)


def test_citations_read_as_in_the_book(book):
    assert convert("{cite:t}`polyak1964` and {cite:t}`sutskever2013`", book=book) == (
        "Polyak [1964] and Sutskever *et al.* [2013]")
    # several keys are listed in the bibliography's order (by author), as the book does
    assert convert("{cite:p}`sutskever2013, robbins1951,gurbuzbalaban2021`", book=book) == (
        "[Gürbüzbalaban *et al.*, 2021, Robbins and Monro, 1951, Sutskever *et al.*, 2013]")


# ---------------------------------------------------------------------------------------------
# to_markdown: equations, targets, directives


def test_labelled_equations_get_a_tag_and_targets_are_dropped(book):
    source = """
        (a-intro)=
        ## Introduction

        $$
        x = 1
        $$ (eq-a-one)

        and $$ y = 2 $$ (eq-a-two) and $$ u $$.
        """
    assert convert(source, book=book) == (
        "## Introduction\n\n$$\nx = 1 \\tag{1.1}\n$$\n\nand $$ y = 2 \\tag{1.2} $$ and $$ u $$.")


def test_an_equation_label_without_its_equation_is_an_error(book):
    with pytest.raises(ValueError, match="not converted"):
        convert("x = 1\n$$ (eq-a-one)", book=book)


def test_an_exercise_becomes_a_numbered_heading_with_its_points(book):
    source = """
        ````{exercise} Compute it (easy)
        :label: a-ex-1

        Use {eq}`eq-a-one`:

        ```python
        print("{eq}`not-a-label`")
        ```
        ````
        """
    assert convert(source, book=book) == (
        "### Exercise 1.1: Compute it (easy, 1 point)\n\nUse (1.1):\n\n"
        "```python\nprint(\"{eq}`not-a-label`\")\n```")
    assert convert("```{exercise} Only a title\n:label: b-ex-1\n```", "b", book=book) == (
        "### Exercise 2.1: Only a title (2 points)")


def test_an_exercise_without_points_or_label_is_an_error(book):
    with pytest.raises(ValueError, match="'a-ex-2'"):
        convert("```{exercise} Prove it (hard)\n:label: a-ex-2\n\nBody.\n```", points={}, book=book)
    with pytest.raises(ValueError, match="without a :label:"):
        convert("```{exercise} Prove it (hard)\n\nBody.\n```", book=book)


def test_admonitions_become_blockquotes_with_a_bold_title(book):
    assert convert("```{note}\nThe explorer needs a kernel,\nsee {numref}`fig-a-first`.\n```",
                   book=book) == "> **Note.** The explorer needs a kernel,\n> see Figure 1.1."
    source = """
        ```{admonition} Algorithm: descent
        :class: tip

        **Input:** a loss.

        1. Step.
        ```
        """
    assert convert(source, book=book) == (
        "> **Algorithm: descent.**\n>\n> **Input:** a loss.\n>\n> 1. Step.")
    assert convert(":::{warning}\nCareful.\n:::", book=book) == "> **Warning.** Careful."
    assert convert("```{seealso}\n- a list\n```", book=book) == "> **See also.**\n>\n> - a list"


def test_an_admonition_without_a_title_is_an_error(book):
    with pytest.raises(ValueError, match="admonition"):
        convert("```{admonition}\nBody.\n```", book=book)


def test_code_is_left_alone(book):
    source = "Type `{glue:text}`nothing`` or\n\n```\n{cite:p}`nobody`\n$$ x $$ (nowhere)\n```"
    assert convert(source, book=book) == source


@pytest.mark.parametrize("text, named", [
    ("{sub-ref}`today`", "{sub-ref}"), ("{cite:ps}`polyak1964`", "{cite:ps}"),
    ("```{tableofcontents}\n```", "{tableofcontents}"), ("```{math}\nx\n```", "{math}"),
    ("```{solution-start} a-ex-1\n```", "{solution-start}"),
    ("```{note}\nnever closed", "{note}")])
def test_anything_else_myst_is_an_error_naming_it(book, text, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        convert(text, book=book)


# ---------------------------------------------------------------------------------------------
# figure_caption


def test_figure_caption_numbers_and_converts_the_caption(book):
    assert figure_caption(CHAPTER_A[4], "a", book, GLUED) == (
        "**Figure 1.2.** Loss after 40 steps, see (1.2).")
    assert figure_caption(CHAPTER_A[0], "a", book, GLUED) is None
    assert figure_caption(code(), "a", book, GLUED) is None


def test_a_figure_caption_without_a_name_is_an_error(book):
    cell = code({"mystnb": {"figure": {"caption": "Unnamed."}}})
    with pytest.raises(ValueError, match="without a name"):
        figure_caption(cell, "a", book, GLUED)


# ---------------------------------------------------------------------------------------------
# The real chapters

# The conversion of every real chapter's student version is tested in tests/test_assignments.py.


@pytest.fixture(scope="module")
def real_book():
    return book_references(ROOT)


# ---------------------------------------------------------------------------------------------
# Against the built book (one chapter)

CHAPTER = "momentum"


def html_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def chapter_html(book_build):
    assert book_build.returncode == 0, book_build.stderr[-2000:]
    return (ROOT / "_build" / "html" / "notebooks" / f"{CHAPTER}.html").read_text()


def chapter_sources() -> list[str]:
    """The chapter's markdown and figure captions in the order of the page, solutions included."""
    sources = []
    for cell in assign.read(ROOT / "notebooks" / f"{CHAPTER}.ipynb")["cells"]:
        if cell["cell_type"] == "markdown":
            sources.append(assign.source_of(cell))
        else:
            sources.append(cell["metadata"].get("mystnb", {}).get("figure", {}).get("caption", ""))
    return sources


@pytest.mark.parametrize("chapter", [CHAPTER, "adam_family"])  # a chapter of each part
def test_numbers_agree_with_the_built_book(book_build, real_book, chapter):
    assert book_build.returncode == 0, book_build.stderr[-2000:]
    page = (ROOT / "_build" / "html" / "notebooks" / f"{chapter}.html").read_text()
    shown = {
        # a numbered figure's own caption: not the next figure's after an unnumbered one
        "figure": re.findall(r'<figure[^>]*\bid="([^"]+)"(?:(?!<figure).)*?<span class="caption-'
                             r'number">Fig\. ([\d.]+) </span>', page, re.S),
        "equation": re.findall(r'id="equation-([^"]+)">\s*<span class="eqno">\(([\d.]+)\)',
                               page),
        "exercise": re.findall(r'<div class="exercise[^"]*" id="([^"]+)">\s*<p class="admonition-'
                               r'title"><span class="caption-number">Exercise ([\d.]+) </span>',
                               page)}
    ours = {"figure": real_book.figures, "equation": real_book.equations,
            "exercise": {label: e.number for label, e in real_book.exercises.items()}}
    prefix = real_book.chapter_numbers[f"notebooks/{chapter}"] + "."
    for kind, pairs in shown.items():
        assert len(pairs) >= 4, f"the HTML shows {len(pairs)} {kind} numbers: markup changed?"
        in_chapter = {label: n for label, n in ours[kind].items() if n.startswith(prefix)}
        assert dict(pairs) == in_chapter, kind


def test_citations_and_pasted_numbers_agree_with_the_built_book(chapter_html, real_book):
    chapter = assign.read(ROOT / "notebooks" / f"{CHAPTER}.ipynb")
    glued = glued_values(assign.run_chapter(chapter))
    ours = {"cite": [], "glue": []}
    for source in chapter_sources():
        for match in re.finditer(r"\{(cite:[pt]|glue:text)\}`[^`]+`", source):
            kind = match[1].split(":")[0]
            ours[kind].append(to_markdown(match.group(0), CHAPTER, real_book, glued, {}))
    shown = {"cite": [html_text(span) for span in re.findall(
                 r'<span class="bibtex-citation"[^>]*>(.*?)</span>', chapter_html, re.S)],
             "glue": [html_text(span) for span in re.findall(
                 r'<span class="glued-number">(.*?)</span>', chapter_html, re.S)]}
    assert len(ours["cite"]) >= 5 and len(ours["glue"]) >= 5
    assert [text.replace("*", "") for text in ours["cite"]] == shown["cite"]
    assert ours["glue"] == shown["glue"]
