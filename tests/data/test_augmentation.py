"""nnbook.data.augmentation on real images (scikit-learn's photograph and 8×8 digits) and on
drawn arrows (Galeone ch. 2, §'Data augmentation').

Oracles: index reversal written out with slices, Python's colorsys for the HSV saturation
change, the clipping bounds, and the arrow drawn independently in each direction.
"""

import colorsys

import numpy as np
import pytest

from nnbook.data.augmentation import (
    add_gaussian_noise,
    add_noise,
    adjust_brightness,
    adjust_saturation,
    arrow_image,
    flip_left_right,
    flip_up_down,
    random_augment,
)


@pytest.fixture(scope="module")
def photo():
    """scikit-learn's temple photograph, every 8th pixel (54 × 80 × 3), in [0, 1]."""
    try:
        from nnbook.data.images import sample_photo
    except ImportError:                                       # pragma: no cover
        from sklearn.datasets import load_sample_image as sample_photo
    return np.asarray(sample_photo("china.jpg"))[::8, ::8] / 255.0


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    return load_digits().images[:20] / 16.0                      # (20, 8, 8) grey


def test_flips_reverse_columns_and_rows_in_every_layout(photo, digits):
    np.testing.assert_array_equal(flip_left_right(photo), photo[:, ::-1, :])
    np.testing.assert_array_equal(flip_up_down(photo), photo[::-1, :, :])
    np.testing.assert_array_equal(flip_left_right(digits[0]), digits[0][:, ::-1])   # (H, W)
    batch = np.stack([photo, photo[::-1]])                                         # NHWC
    np.testing.assert_array_equal(flip_left_right(batch), batch[:, :, ::-1, :])
    nchw = batch.transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(flip_left_right(nchw, layout="NCHW"), nchw[:, :, :, ::-1])
    np.testing.assert_array_equal(flip_up_down(nchw, layout="NCHW"), nchw[:, :, ::-1, :])
    np.testing.assert_array_equal(flip_left_right(flip_left_right(photo)), photo)


def test_functions_do_not_change_their_input_or_alias_it(photo):
    original = photo.copy()
    rng = np.random.default_rng(0)
    outputs = [flip_left_right(photo), flip_up_down(photo), add_gaussian_noise(photo, rng, 0.1),
               adjust_brightness(photo, 0.2), adjust_saturation(photo, 0.5),
               random_augment(photo, rng, saturation_prob=1.0, flip_up_down_prob=1.0)]
    for out in outputs:
        assert not np.shares_memory(out, photo)
        out[...] = 0.0
    np.testing.assert_array_equal(photo, original)


def test_noise_and_brightness_clip_to_the_unit_interval(photo):
    rng = np.random.default_rng(1)
    noisy = add_noise(photo, rng, sigma=0.05)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    inside = (photo > 0.25) & (photo < 0.75)                     # far from the clipping bounds
    residual = (noisy - photo)[inside]
    assert abs(residual.mean()) < 5 * 0.05 / np.sqrt(residual.size)
    assert abs(residual.std() - 0.05) < 0.002
    brighter = adjust_brightness(photo, 0.3)
    np.testing.assert_allclose(brighter, np.minimum(photo + 0.3, 1.0))
    np.testing.assert_allclose(adjust_brightness(photo, -0.3), np.maximum(photo - 0.3, 0.0))


@pytest.mark.parametrize("factor", [0.0, 0.4, 1.0, 2.5])
def test_saturation_equals_the_hsv_round_trip(photo, factor):
    pixels = photo[::6, ::6].reshape(-1, 3)
    expected = np.array([colorsys.hsv_to_rgb(h, min(s * factor, 1.0), v)
                         for h, s, v in (colorsys.rgb_to_hsv(*p) for p in pixels)])
    np.testing.assert_allclose(adjust_saturation(pixels[None], factor)[0], expected, atol=1e-12)
    if factor == 0.0:
        grey = adjust_saturation(photo, 0.0)
        np.testing.assert_allclose(grey, grey[..., :1].repeat(3, axis=-1))   # R = G = B


def test_random_augment_probabilities(digits):
    rng = np.random.default_rng(2)
    batch = digits[..., None]                      # a batch of grey images is (N, H, W, 1)
    none = random_augment(batch, rng, flip_left_right_prob=0, noise_prob=0, brightness_prob=0)
    np.testing.assert_array_equal(none, batch)
    many = np.repeat(batch[:1], 400, axis=0)
    flipped = random_augment(many, rng, flip_left_right_prob=0.5, noise_prob=0,
                             brightness_prob=0)[..., 0]
    is_flipped = np.all(flipped == digits[0][:, ::-1], axis=(1, 2))
    is_same = np.all(flipped == digits[0], axis=(1, 2))
    assert np.all(is_flipped ^ is_same)                          # each image one or the other
    assert abs(is_flipped.mean() - 0.5) < 5 * np.sqrt(0.25 / 400)
    rgb = random_augment(np.stack([np.full((4, 4, 3), 0.5)] * 3).transpose(0, 3, 1, 2),
                         rng, layout="NCHW", saturation_prob=1.0)
    assert rgb.shape == (3, 3, 4, 4) and rgb.min() >= 0 and rgb.max() <= 1


def test_a_left_right_flip_changes_the_label_of_an_arrow():
    right, left = arrow_image("right"), arrow_image("left")
    assert not np.array_equal(right, left)
    np.testing.assert_array_equal(flip_left_right(right), left)    # "→" becomes "←"
    np.testing.assert_array_equal(flip_up_down(right), right)      # label kept by this flip
    np.testing.assert_array_equal(flip_up_down(arrow_image("up", 11)), arrow_image("down", 11))
    np.testing.assert_array_equal(flip_left_right(arrow_image("up")), arrow_image("up"))
    assert right.shape == (9, 9) and set(np.unique(right)) == {0.0, 1.0}
    assert right[4, 1:8].all() and right[4, 0] == 0               # shaft across the centre


def test_bad_input_is_refused(photo):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        flip_left_right(photo * 255)
    with pytest.raises(ValueError, match="RGB"):
        adjust_saturation(photo[..., :2], 0.5)
    with pytest.raises(ValueError, match="NCHW"):
        flip_left_right(photo, layout="NCHW")
    with pytest.raises(ValueError, match="layout"):
        flip_left_right(photo, layout="NHCW")
    with pytest.raises(ValueError, match="shape"):
        flip_up_down(np.zeros(5))
    with pytest.raises(TypeError, match="Generator"):
        add_gaussian_noise(photo, 3, 0.1)
    with pytest.raises(ValueError, match="sigma"):
        add_gaussian_noise(photo, np.random.default_rng(), -1.0)
    with pytest.raises(ValueError, match="probability"):
        random_augment(photo, np.random.default_rng(), noise_prob=1.5)
    with pytest.raises(ValueError, match="saturation_prob=0"):
        random_augment(np.zeros((2, 8, 8, 1)), np.random.default_rng(), saturation_prob=0.5)
    with pytest.raises(ValueError, match="direction"):
        arrow_image("north")
    with pytest.raises(ValueError, match="odd"):
        arrow_image("left", size=8)


def test_a_saturation_range_that_is_not_a_pair_is_named():
    image = np.full((2, 2, 3), 0.5)
    for bad in (2.0, (1.0,), (0.5, 1.0, 1.5)):
        with pytest.raises(ValueError, match="saturation_range: expected"):
            random_augment(image, np.random.default_rng(0), saturation_range=bad)
