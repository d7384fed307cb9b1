"""The regularisation figures of chapter 4 (Galeone, *Hands-On Neural Networks with TensorFlow
2.0*, ch. 2, §'Dropout' to §'Batch normalization'), listed by
:func:`nnbook.book.figures.galeone_2.figures` with the chapter's others and drawn from
:mod:`nnbook.book.demos.galeone_2_regularisation` and the library's layers.
"""

from __future__ import annotations

import numpy as np

from nnbook.book.figures.galeone_2 import SOURCE, _subplots


def dropout():
    """§'Dropout', the source's figure after Srivastava et al. (redrawn): the full network and
    one thinned network from a Bernoulli mask with keep probability q = 0.5
    (:func:`nnbook.functional.dropout.bernoulli_mask`)."""
    from nnbook import plots
    from nnbook.functional.dropout import bernoulli_mask

    sizes = [4, 6, 6, 2]
    mask = bernoulli_mask((2, 6), 0.5, np.random.default_rng(3))
    dropped = [(l, i) for l in (1, 2) for i in range(6) if mask[l - 1, i] == 0]
    fig, axes = _subplots(1, 2, figsize=(12, 3.3))
    plots.draw_network(sizes, axes[0], layer_labels=False, title="standard network")
    plots.draw_network(sizes, axes[1], layer_labels=False,
                       title=f"after dropout, q = 0.5: {len(dropped)} hidden units dropped")
    plots.drop_neurons(axes[1], dropped)
    for ax in axes:                          # no layer labels: drop the room kept for them
        heights = [p.center[1] for p in ax.patches if (p.get_gid() or "").startswith("node:")]
        ax.set_ylim(min(heights) - 0.6, max(heights) + 0.6)
    fig.suptitle(f"{SOURCE}, §'Dropout' (redrawn): a thinned network")
    return fig


def batchnorm(depth_runs=None):
    """§'Batch normalization': one feature of a batch of 256 before and after a
    :class:`nnbook.layers.batchnorm.BatchNormalization` layer in training mode (mean 0,
    variance ≈ 1; the source's algorithm figure is lost), and the training accuracy of an
    8-layer sigmoid net on the digits with and without it at η = 0.5
    (:func:`nnbook.book.demos.galeone_2_regularisation.batchnorm_depth_demo`; ``depth_runs``
    its result, by default the one the tour's rows share)."""
    from nnbook.book.worked_examples.galeone_2_regularisation import (
        batchnorm_depth_result,
    )
    from nnbook.layers.batchnorm import BatchNormalization

    rng = np.random.default_rng(0)
    x = 5.0 + 3.0 * rng.normal(size=(256, 1))
    layer = BatchNormalization()
    layer.build((1,), rng)
    y = layer.forward(x, training=True)
    run = batchnorm_depth_result() if depth_runs is None else depth_runs[min(depth_runs)]
    fig, axes = _subplots(1, 3, figsize=(15, 3.8), width_ratios=(1, 1, 1.2))
    for ax, values, title in ((axes[0], x, "before: batch mean {:.2f}, variance {:.2f}"),
                              (axes[1], y, "after: batch mean {:.2f}, variance {:.3f}")):
        ax.hist(values[:, 0], bins=30, color="tab:blue", alpha=0.8)
        ax.set_title(title.format(abs(values.mean()) if values is y else values.mean(),
                                  values.var()), fontsize=10)
        ax.set_xlabel("activation")
        ax.set_ylabel("count (256 examples)")
    ax = axes[2]
    for name, colour, label in (("plain", "tab:gray", "8 sigmoid layers"),
                                ("batchnorm", "tab:blue", "the same with batch norm")):
        accuracy = run[name]["train_accuracy"]
        ax.plot(np.arange(1, len(accuracy) + 1), accuracy, "o-", color=colour, lw=2,
                markersize=4, label=f"{label}: test {run[name]['test_accuracy']:.2f}")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training accuracy")
    ax.set_title("digits, SGD η = 0.5, 32 units per layer", fontsize=10)
    ax.legend(loc="center right", fontsize=8.5)
    ax.grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, §'Batch normalization': a batch before and after normalisation "
                 "(γ = 1, β = 0), and a deep net it lets train (measured, not in the source)")
    return fig


def augmentation():
    """§'Data augmentation': the library's transforms on scikit-learn's sample photo
    (:func:`nnbook.book.demos.galeone_2_regularisation.augmentation_gallery`), and the
    source's sanity check — a left-right flip turns a "right" arrow into a "left" one."""
    from nnbook.book.demos.galeone_2_regularisation import augmentation_gallery

    gallery = augmentation_gallery()
    shown = (("original", "original"), ("flip_left_right", "left-right flip"),
             ("flip_up_down", "up-down flip"), ("noise", "Gaussian noise"),
             ("brighter", "brightness +0.25"), ("desaturated", "saturation ×0.3"))
    arrows = gallery["arrows"]
    fig, axes = _subplots(2, 4, figsize=(14, 5.6))
    for ax, (key, title) in zip(axes.ravel(), shown):
        ax.imshow(np.clip(gallery[key], 0, 1))
        ax.set_title(title, fontsize=10)
    for ax, key, title in ((axes[1, 2], "right", 'an arrow labelled "right"'),
                           (axes[1, 3], "right flipped left-right",
                            'flipped left-right: a "left" arrow')):
        ax.imshow(arrows[key], cmap="gray_r")
        ax.set_title(title, fontsize=10)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"{SOURCE}, §'Data augmentation': the transforms, and a flip that changes "
                 "the label")
    return fig


def early_stopping(result=None):
    """§'Early stopping': training and validation accuracy and loss of a 64-64-10 net on 100
    digits (:func:`nnbook.book.demos.galeone_2_regularisation.early_stopping_demo`; ``result``
    its output, by default the one the tour's rows share), and where
    :class:`nnbook.train.callbacks.EarlyStopping` on the validation accuracy stops with
    patience 0 (the source's "as soon as it stops rising") and with patience 10."""
    from nnbook.book.worked_examples.galeone_2_regularisation import (
        early_stopping_result,
    )

    result = early_stopping_result() if result is None else result
    curves, runs = result["curves"], result["runs"]
    epochs = np.arange(1, len(curves["loss"]) + 1)
    fig, axes = _subplots(1, 2, figsize=(12, 3.9))
    for ax, key, label in ((axes[0], "accuracy", "accuracy"),
                           (axes[1], "loss", "cross-entropy loss")):
        ax.plot(epochs, curves[key], lw=2, label="training")
        ax.plot(epochs, curves[f"val_{key}"], lw=2, label="validation")
        for patience, style in zip(sorted(runs), (":", "--")):
            run = runs[patience]
            kept = f"keeps epoch {run['best_epoch']} ({run['best_val_accuracy']:.2f})"
            if run["stopped_epoch"] is None:        # the whole run without a stop
                ax.plot([], [], color="tab:red", ls=style,
                        label=f"patience {patience}: no stop in {len(epochs)} epochs, {kept}")
                continue
            ax.axvline(run["stopped_epoch"], color="tab:red", ls=style, lw=1.5,
                       label=f"patience {patience}: stops after epoch {run['stopped_epoch']}, "
                             f"{kept}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylim(0, 1.15)
    axes[0].legend(loc="lower right", fontsize=8)
    axes[1].set_yscale("log")
    fig.suptitle(f"{SOURCE}, §'Early stopping': {result['n_train']} training digits; "
                 "early stopping on the validation accuracy")
    return fig
