"""The five source chapters nnbook teaches from, under the ids used everywhere.

The ids appear in the exercise catalog, in the tour table and in notebook metadata; the
citation is what a reader looks up.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    id: str
    chapter: int
    citation: str


SOURCES = {
    s.id: s
    for s in (
        Source("nielsen-1", 1, "Nielsen, Neural Networks and Deep Learning, ch. 1 (Chinese translation, to §1.5)"),
        Source("chen-15", 2, "陈强《机器学习及Python应用》第15章 人工神经网络"),
        Source("gulli-1", 3, "Gulli & Pal, Deep Learning with Keras, ch. 1"),
        Source("galeone-2", 4, "Galeone, Hands-On Neural Networks with TensorFlow 2.0, ch. 2"),
        Source("dlnn-5", 5, "《深度学习与神经网络》第5章"),
    )
}

#: Sources whose chapter has landed in nnbook (chapter notebook, exercises, tour rows).
LANDED = ("nielsen-1", "chen-15", "gulli-1", "galeone-2", "dlnn-5")
