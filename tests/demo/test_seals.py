"""The demo's seals look like seals: a red ring, a star and the organisation's name in an arc,
on transparent paper (so they print over a signature as ink does)."""

import io

from PIL import Image

from wuxiao.demo.workflow import SEAL_RED, _seal_png


def red_pixels(img, box) -> int:
    region = img.crop(box)
    return sum(1 for px in region.get_flattened_data() if px[3] > 200 and px[:3] == SEAL_RED[:3])


def test_a_demo_seal_has_ring_star_and_name_on_transparent_paper():
    with Image.open(io.BytesIO(_seal_png("示例机械有限公司团委"))) as img:
        img = img.convert("RGBA")
        w, h = img.size
        assert img.getpixel((1, 1))[3] == 0  # paper outside the ring
        assert img.getpixel((w // 2, 10))[:3] == SEAL_RED[:3]  # the ring at the top
        assert img.getpixel((w // 2, h // 2))[:3] == SEAL_RED[:3]  # the star's centre
        # The name: red ink between the ring and the star at the top, none at the bottom.
        upper_band = red_pixels(img, (2 * w // 5, 32, 3 * w // 5, 75))
        lower_band = red_pixels(img, (2 * w // 5, h - 75, 3 * w // 5, h - 32))
        assert upper_band > 100 and lower_band == 0
    # One drawing per organisation name.
    assert _seal_png("示例机械有限公司团委") is _seal_png("示例机械有限公司团委")
    assert _seal_png("示例化工有限公司团委") != _seal_png("示例机械有限公司团委")
