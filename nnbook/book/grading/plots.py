"""Plot checks: read the data of the lines on a student's matplotlib Axes.

matplotlib is imported on first use; nothing here chooses a backend.
"""

import numpy as np

from .feedback import fail, show, type_name


def _as_axes(ax, name):
    """``ax`` as a matplotlib Axes. Also accepted: a Figure with exactly one Axes, a list/array
    holding exactly one Axes, and the list of lines that ``plt.plot`` returns."""
    __tracebackhide__ = True
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    if isinstance(ax, Axes):
        return ax
    if isinstance(ax, Figure):
        if len(ax.axes) == 1:
            return ax.axes[0]
        fail(name, f"expected a matplotlib Axes, found a Figure with {len(ax.axes)} Axes",
             "hint: return the Axes you drew on (fig, ax = plt.subplots(); ...; return ax).")
    if isinstance(ax, (list, tuple, np.ndarray)) and len(ax) > 0:
        items = list(np.ravel(np.asarray(ax, dtype=object)))
        if len(items) == 1 and isinstance(items[0], Axes):
            return items[0]
        if all(isinstance(item, Line2D) for item in items) and len({id(i.axes) for i in items}) == 1:
            if items[0].axes is not None:
                return items[0].axes
    hint = ("hint: did your function forget to `return ax`?" if ax is None else
            "hint: create the plot with fig, ax = plt.subplots(), draw with ax.plot(...), return ax.")
    fail(name, f"expected a matplotlib Axes, found {type_name(ax)}: {show(ax, 100)}", hint)


def _as_floats(values):
    try:
        return np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return np.asarray(values).ravel()


def axes_lines(ax):
    """The ``(x, y)`` data of every Line2D on ``ax``, as 1-D float arrays, in drawing order."""
    __tracebackhide__ = True
    ax = _as_axes(ax, "axes_lines")
    return [(_as_floats(line.get_xdata()), _as_floats(line.get_ydata())) for line in ax.lines]


def _summary(x, y):
    """``"50 points, x from 0 to 1, y from -1 to 1"`` (``x=None``: no x part)."""
    if len(y) == 0:
        return "no data"
    try:
        with np.errstate(all="ignore"):
            parts = [f"{len(y)} points"]
            if x is not None:
                parts.append(f"x from {np.nanmin(x):.4g} to {np.nanmax(x):.4g}")
            parts.append(f"y from {np.nanmin(y):.4g} to {np.nanmax(y):.4g}")
    except (TypeError, ValueError):
        return f"{len(y)} points (not numeric)"
    return ", ".join(parts)


def _lines_summary(ax, limit=8):
    lines = ax.lines
    if not lines:
        return "no lines on the axes"
    rows = []
    for number, line in enumerate(lines[:limit]):
        label = line.get_label()
        label = "" if label.startswith("_") else f" {label!r}"
        x, y = _as_floats(line.get_xdata()), _as_floats(line.get_ydata())
        rows.append(f"line {number}{label}: {_summary(x, y)}")
    if len(lines) > limit:
        rows.append(f"… and {len(lines) - limit} more lines")
    return "lines found:\n  " + "\n  ".join(rows)


def _text_check(name, what, wanted, found, setter):
    __tracebackhide__ = True
    if wanted is None:
        return
    alternatives = [wanted] if isinstance(wanted, str) else list(wanted)
    if any(a.lower() in found.lower() for a in alternatives):
        return
    wanted_text = " or ".join(repr(a) for a in alternatives)
    found_text = repr(found) if found else "no text"
    fail(name, f"the {what} should mention {wanted_text}, found {found_text}",
         f"hint: set it with ax.{setter}(...)." if not found else "")


def check_plot(ax, *, name="plot", min_lines=1, xlabel=None, ylabel=None, title=None):
    """Check that ``ax`` (an Axes, or a Figure with one Axes) has at least ``min_lines`` lines with
    data and that its x label, y label and title contain the given substrings (case-insensitive;
    a tuple of substrings means any of them)."""
    __tracebackhide__ = True
    ax = _as_axes(ax, name)
    with_data = [line for line in ax.lines if len(line.get_xdata()) > 0]
    if len(with_data) < min_lines:
        scatter = len(ax.collections)
        hint = (f"hint: the axes hold {scatter} scatter/collection artist(s); draw lines with ax.plot(x, y)."
                if scatter else "")
        fail(name, f"expected at least {min_lines} line{'s' if min_lines != 1 else ''} with data, "
             f"found {len(with_data)}", hint, _lines_summary(ax))
    _text_check(name, "x-axis label", xlabel, ax.get_xlabel(), "set_xlabel")
    _text_check(name, "y-axis label", ylabel, ax.get_ylabel(), "set_ylabel")
    titles = " ".join(t for t in (ax.get_title(loc) for loc in ("center", "left", "right")) if t)
    if not titles and ax.figure is not None and getattr(ax.figure, "_suptitle", None) is not None:
        titles = ax.figure._suptitle.get_text()
    _text_check(name, "title", title, titles, "set_title")


def check_line(ax, x, y, *, name="curve", rtol=1e-6, atol=1e-9):
    """Check that some line on ``ax`` has exactly this data: same number of points and
    ``allclose`` x and y (``x=None`` compares y only). The message summarises the lines found
    and, for the first line of the right length, the first point that differs."""
    __tracebackhide__ = True
    ax = _as_axes(ax, name)
    y = np.asarray(y, dtype=np.float64).ravel()
    x = None if x is None else np.asarray(x, dtype=np.float64).ravel()
    nearest = None
    with np.errstate(all="ignore"):
        for number, (line_x, line_y) in enumerate(axes_lines(ax)):
            if len(line_y) != len(y) or line_y.dtype.kind != "f" or line_x.dtype.kind != "f":
                continue
            x_ok = x is None or np.allclose(line_x, x, rtol=rtol, atol=atol, equal_nan=True)
            y_close = np.isclose(line_y, y, rtol=rtol, atol=atol, equal_nan=True)
            if x_ok and y_close.all():
                return
            if nearest is None:
                if not x_ok:
                    i = int(np.argmax(~np.isclose(line_x, x, rtol=rtol, atol=atol, equal_nan=True)))
                    nearest = (f"line {number} has the right length; its first differing point is {i}: "
                               f"expected x = {x[i]:.6g}, found x = {line_x[i]:.6g}")
                else:
                    i = int(np.argmax(~y_close))
                    nearest = (f"line {number} has the right length; its first differing point is {i}: "
                               f"expected y = {y[i]:.6g}, found y = {line_y[i]:.6g}")
    fail(name, f"no line on the axes has the expected data ({_summary(x, y)})",
         nearest, _lines_summary(ax), f"tolerance: rtol={rtol:g}, atol={atol:g}")
