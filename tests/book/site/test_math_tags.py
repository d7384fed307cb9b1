"""A tagged display equation with line breaks renders with its number (see math_tags)."""

from nnbook.book.site.math_tags import tag_outside_split


def test_the_tag_moves_out_of_the_split_sphinx_would_add():
    latex = r"y = \begin{cases} 0 & x \le 0 \\ 1 & x > 0 \end{cases} \tag{2}"
    assert tag_outside_split(latex) == (
        r"\[\begin{split}y = \begin{cases} 0 & x \le 0 \\ 1 & x > 0 \end{cases}\end{split}\tag{2}\]")


def test_equations_sphinx_wraps_correctly_are_left_alone():
    assert tag_outside_split(r"\sigma(z) = \frac{1}{1+e^{-z}} \tag{3}") is None   # no line break
    assert tag_outside_split(r"a \\ b") is None                                 # no tag
    assert tag_outside_split("a \\\\ b \\tag{1}\n\nc \\tag{2}") is None         # two equations
