"""nnbook.data.images: the offline photographs and the luminance weights."""

import numpy as np
import pytest

from nnbook.data.images import LUMA_WEIGHTS, SAMPLE_PHOTOS, sample_photo, to_gray


@pytest.mark.parametrize("name", SAMPLE_PHOTOS)
def test_sample_photos_are_real_colour_images(name):
    photo = sample_photo(name)
    assert photo.shape == (427, 640, 3) and photo.dtype == np.uint8
    # a photograph, not a constant or a synthetic pattern: many distinct values in every channel
    for channel in range(3):
        assert len(np.unique(photo[..., channel])) > 100


def test_to_gray_uses_the_luma_weights():
    assert LUMA_WEIGHTS.sum() == pytest.approx(1.0)
    pixel = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [10, 20, 30]]])
    np.testing.assert_allclose(to_gray(pixel)[0], [0.299 * 255, 0.587 * 255, 0.114 * 255, 255,
                                                   0.299 * 10 + 0.587 * 20 + 0.114 * 30])


def test_to_gray_keeps_the_shape_and_the_range_of_a_photo():
    photo = sample_photo()[:50, :60]
    gray = to_gray(photo)
    assert gray.shape == (50, 60) and gray.min() >= 0 and gray.max() <= 255
    # a grey image (R = G = B) is its own luminance
    np.testing.assert_allclose(to_gray(np.repeat(gray[..., None], 3, axis=-1)), gray)
    assert to_gray(np.stack([photo, photo])).shape == (2, 50, 60)


def test_errors_say_what_was_expected():
    with pytest.raises(ValueError, match="china.jpg"):
        sample_photo("lena.png")
    with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
        to_gray(np.ones((4, 4, 4)))
