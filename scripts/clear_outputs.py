"""Clear the outputs and execution counts of notebooks, in place: `make clear-outputs`.

Notebooks are committed without outputs; the book build and nbval execute them.
"""

import sys
from pathlib import Path

import nbformat


def clear(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("notebooks").glob("*.ipynb"))
    for path in paths:
        clear(path)
        print(f"cleared {path}")
