"""Where figures are drawn and shown: a new Axes when none is given; a PNG in a notebook.

Nothing in :mod:`nnbook.plots` calls ``plt.show()``, changes rcParams or picks a backend, and
pyplot is imported only when a new figure is needed.
"""

from __future__ import annotations

def new_axes(ax, projection=None):
    """``ax`` itself, or the Axes of a new figure (pyplot is imported only then)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.figure()
    return fig.add_subplot(projection=projection)


def show(figure, *, dpi: int = 90) -> None:
    """Display a finished figure in a notebook as a PNG and close it.

    Works under any backend (including Agg, where ``display(fig)`` shows nothing) and keeps the
    number of open figures at zero, so long chapters never trigger matplotlib's warning.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    figure = getattr(figure, "figure", figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    display(Image(data=buffer.getvalue()))
