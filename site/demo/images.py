"""Backstage-looking pictures drawn with Pillow: light cones, crew silhouettes, bokeh, grain.

Every picture comes from a seed, so the same key always gives the same bytes and a demo
site built twice looks the same. Nothing is downloaded.
"""

import io
import math
import random
import zlib
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

KINDS = ("lamps", "bokeh", "dolly", "monitor", "window", "crane", "portrait")

# Frame proportions a set photographer works with: 3:2 stills, 16:9 video, 2.39:1 scope, 4:5.
FRAMES = {
    "still": (1536, 1024),
    "still-small": (1440, 960),
    "video": (1536, 864),
    "scope": (1600, 670),
    "upright": (960, 1440),
    "tall": (1080, 1350),
}


@dataclass(frozen=True)
class Palette:
    """The colours of one film's set: sky/top, floor/bottom, the key light and an accent."""

    top: tuple
    bottom: tuple
    light: tuple
    accent: tuple


def seed_for(key):
    return zlib.crc32(key.encode())


def frame_size(frame, scale=1.0):
    """Width and height of a frame at a scale, kept even (video encoders need even sizes)."""
    width, height = FRAMES[frame]
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def _gradient(size, top, bottom, curve=1.0):
    width, height = size
    ramp = Image.linear_gradient("L").resize((1, height), Image.Resampling.BILINEAR)
    if curve != 1.0:
        ramp = ramp.point(lambda v: round(255 * (v / 255) ** curve))
    ramp = ramp.resize((width, height))
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp)


def _tint(mask, color):
    """An RGB layer of one colour whose brightness follows an L mask."""
    return Image.merge("RGB", [mask.point(lambda v, c=c: v * c // 255) for c in color])


def _scaled(color, factor):
    return tuple(max(0, min(255, round(c * factor))) for c in color)


class Scene:
    """One picture under construction: a soft light layer and a sharp silhouette layer."""

    LIGHT_SCALE = 4  # light is drawn small and blurred, then enlarged: soft and fast

    def __init__(self, size, palette, rng):
        self.size = size
        self.width, self.height = size
        self.palette = palette
        self.rng = rng
        self.unit = min(size)  # lengths are drawn relative to the short side
        small = (max(1, self.width // self.LIGHT_SCALE), max(1, self.height // self.LIGHT_SCALE))
        self.light = Image.new("L", small, 0)
        self.light_draw = ImageDraw.Draw(self.light)
        self.glow = Image.new("RGB", small, (0, 0, 0))
        self.glow_draw = ImageDraw.Draw(self.glow)
        self.shapes = Image.new("L", size, 0)
        self.shapes_draw = ImageDraw.Draw(self.shapes)
        self.far_shapes = Image.new("L", size, 0)
        self.far_draw = ImageDraw.Draw(self.far_shapes)
        self.floor_y = round(self.height * rng.uniform(0.74, 0.86))

    # Light -----------------------------------------------------------------------------

    def _s(self, *values):
        return [round(v / self.LIGHT_SCALE) for v in values]

    def cone(self, x, y, target_x, spread, strength=170):
        """A beam from a lamp at (x, y) down to the floor around target_x."""
        floor = self.floor_y + self.height * 0.08
        points = [(x, y), (target_x - spread, floor), (target_x + spread, floor)]
        self.light_draw.polygon(
            [tuple(self._s(px, py)) for px, py in points], fill=round(strength * 0.55)
        )
        pool_w, pool_h = spread * 1.1, self.height * 0.05
        self.light_draw.ellipse(
            self._s(target_x - pool_w, floor - pool_h * 2, target_x + pool_w, floor),
            fill=strength,
        )
        self.lamp(x, y, self.unit * 0.025)

    def lamp(self, x, y, radius, strength=255):
        self.light_draw.ellipse(
            self._s(x - radius, y - radius, x + radius, y + radius), fill=strength
        )

    def rectangle_light(self, box, strength=230):
        self.light_draw.rectangle(self._s(*box), fill=strength)

    def bokeh(self, count, area, colors):
        """Out-of-focus points of light: discs with a brighter rim, as a fast lens draws them."""
        x0, y0, x1, y1 = area
        for _ in range(count):
            radius = self.unit * self.rng.uniform(0.012, 0.06)
            x, y = self.rng.uniform(x0, x1), self.rng.uniform(y0, y1)
            color = _scaled(self.rng.choice(colors), self.rng.uniform(0.25, 0.7))
            rim = _scaled(color, 1.35)
            box = self._s(x - radius, y - radius, x + radius, y + radius)
            self.glow_draw.ellipse(box, fill=color, outline=rim, width=1)

    # Silhouettes -----------------------------------------------------------------------

    def _draw(self, far):
        return self.far_draw if far else self.shapes_draw

    def figure(self, x, base_y, height, pose="stand", far=False):
        """A crew member seen against the light."""
        draw = self._draw(far)
        h = height
        head_r = h * 0.068
        head_y = base_y - h + head_r
        draw.ellipse([x - head_r, head_y - head_r, x + head_r, head_y + head_r], fill=255)
        if self.rng.random() < 0.4:  # a cap
            draw.rectangle(
                [x - head_r, head_y - head_r * 1.05, x + head_r * 1.6, head_y - head_r * 0.35],
                fill=255,
            )
        shoulder_y, hip_y = base_y - h * 0.8, base_y - h * 0.47
        half = h * 0.12
        # Shoulders wider than the waist, a neck, a jacket hanging loose.
        draw.polygon(
            [
                (x - half * 0.85, hip_y),
                (x - half * 1.05, shoulder_y + half * 0.35),
                (x - half * 0.75, shoulder_y),
                (x + half * 0.75, shoulder_y),
                (x + half * 1.05, shoulder_y + half * 0.35),
                (x + half * 0.85, hip_y),
            ],
            fill=255,
        )
        draw.rectangle([x - head_r * 0.45, head_y, x + head_r * 0.45, shoulder_y + 2], fill=255)
        stride = h * self.rng.uniform(0.02, 0.12)
        leg = h * 0.085
        for side in (-1, 1):
            top = x + side * half * 0.5
            foot = x + side * (half * 0.4 + stride)
            draw.polygon(
                [
                    (top - leg / 2, hip_y - 2),
                    (top + leg / 2, hip_y - 2),
                    (foot + leg / 2.4, base_y),
                    (foot - leg / 2.4, base_y),
                ],
                fill=255,
            )
        arm = h * 0.06
        if pose == "camera":  # a camera on the shoulder beside the head, lens forward
            side = self.rng.choice((-1, 1))
            near_edge = x + side * head_r * 0.6
            far_edge = x + side * h * 0.2
            body_top, body_bottom = head_y - head_r * 0.7, head_y + head_r * 1.5
            draw.rectangle(
                [min(near_edge, far_edge), body_top, max(near_edge, far_edge), body_bottom],
                fill=255,
            )
            lens_end = far_edge + side * h * 0.1
            draw.rectangle(
                [
                    min(far_edge, lens_end),
                    head_y - head_r * 0.3,
                    max(far_edge, lens_end),
                    head_y + head_r * 1.1,
                ],
                fill=255,
            )
            handle = [
                (near_edge, body_top),
                (near_edge, body_top - head_r * 0.5),
                (far_edge, body_top - head_r * 0.5),
                (far_edge, body_top),
            ]
            draw.line(handle, fill=255, width=max(2, round(h * 0.012)))
            draw.line(
                [(x + side * half * 0.8, shoulder_y + arm / 2), (x + side * h * 0.16, body_bottom)],
                fill=255,
                width=round(arm),
            )
        elif pose == "point":  # directing: one arm raised towards the set
            side = self.rng.choice((-1, 1))
            draw.line(
                [
                    (x + side * half * 0.8, shoulder_y + arm / 2),
                    (x + side * h * 0.42, shoulder_y - h * 0.12),
                ],
                fill=255,
                width=round(arm),
            )
            draw.line(
                [(x - side * half * 0.9, shoulder_y + arm / 2), (x - side * half * 1.1, hip_y)],
                fill=255,
                width=round(arm),
            )
        elif pose == "boom":  # a boom pole held high over the scene
            side = self.rng.choice((-1, 1))
            tip = (x + side * h * 1.1, base_y - h * 1.45)
            draw.line(
                [(x - side * h * 0.15, shoulder_y + h * 0.05), tip],
                fill=255,
                width=max(2, round(h * 0.018)),
            )
            draw.line(
                [
                    (x + side * half * 0.8, shoulder_y + arm / 2),
                    (x + side * h * 0.25, shoulder_y - h * 0.2),
                ],
                fill=255,
                width=round(arm),
            )
            mic = h * 0.09
            draw.ellipse(
                [tip[0] - mic * 1.6, tip[1] - mic * 0.6, tip[0] + mic * 1.6, tip[1] + mic * 0.6],
                fill=255,
            )
        else:
            for side in (-1, 1):
                draw.line(
                    [
                        (x + side * half * 0.9, shoulder_y + arm / 2),
                        (x + side * half * 1.15, hip_y + h * 0.02),
                    ],
                    fill=255,
                    width=round(arm),
                )

    def tripod_camera(self, x, base_y, height, far=False):
        draw = self._draw(far)
        head_y = base_y - height
        width = max(2, round(height * 0.035))
        for dx in (-0.32, 0.05, 0.3):
            draw.line([(x, head_y), (x + dx * height, base_y)], fill=255, width=width)
        body_w, body_h = height * 0.38, height * 0.2
        draw.rectangle([x - body_w / 2, head_y - body_h, x + body_w / 2, head_y], fill=255)
        direction = self.rng.choice((-1, 1))
        lens_x = x + direction * body_w / 2
        draw.rectangle(
            [
                min(lens_x, lens_x + direction * height * 0.14),
                head_y - body_h * 0.8,
                max(lens_x, lens_x + direction * height * 0.14),
                head_y - body_h * 0.2,
            ],
            fill=255,
        )
        box_x = lens_x + direction * height * 0.14
        draw.polygon(
            [
                (box_x, head_y - body_h * 0.75),
                (box_x + direction * height * 0.07, head_y - body_h * 1.05),
                (box_x + direction * height * 0.07, head_y + body_h * 0.05),
                (box_x, head_y - body_h * 0.25),
            ],
            fill=255,
        )

    def light_stand(self, x, base_y, height, aim_x, far=False):
        """A stand with a lamp head; returns the point the light leaves from."""
        draw = self._draw(far)
        top = base_y - height
        width = max(2, round(height * 0.025))
        draw.line([(x, base_y - height * 0.12), (x, top)], fill=255, width=width)
        for dx in (-0.16, 0.16):
            draw.line(
                [(x, base_y - height * 0.12), (x + dx * height, base_y)], fill=255, width=width
            )
        head = height * 0.12
        direction = 1 if aim_x >= x else -1
        draw.polygon(
            [
                (x - head * 0.6, top - head * 0.5),
                (x + head * 0.3, top - head * 0.5),
                (x + head * 0.3 + direction * head * 0.3, top + head * 0.6),
                (x - head * 0.6, top + head * 0.5),
            ],
            fill=255,
        )
        return x + direction * head * 0.5, top + head * 0.3

    def crane(self, base_x, base_y, reach):
        draw = self.shapes_draw
        pivot = (base_x, base_y - reach * 0.35)
        angle = math.radians(self.rng.uniform(20, 40))
        direction = self.rng.choice((-1, 1))
        tip = (pivot[0] + direction * reach * math.cos(angle), pivot[1] - reach * math.sin(angle))
        tail = (
            pivot[0] - direction * reach * 0.35 * math.cos(angle),
            pivot[1] + reach * 0.35 * math.sin(angle),
        )
        draw.line([tail, tip], fill=255, width=max(3, round(reach * 0.025)))
        draw.line([(base_x, base_y), pivot], fill=255, width=max(4, round(reach * 0.04)))
        draw.rectangle(
            [base_x - reach * 0.12, base_y - reach * 0.05, base_x + reach * 0.12, base_y], fill=255
        )
        weight = reach * 0.06
        draw.rectangle(
            [tail[0] - weight, tail[1] - weight, tail[0] + weight, tail[1] + weight], fill=255
        )
        cam = reach * 0.07
        draw.rectangle([tip[0] - cam, tip[1], tip[0] + cam, tip[1] + cam * 1.2], fill=255)

    def rails(self):
        """Dolly track running towards the vanishing point, catching the light."""
        draw = self.shapes_draw
        vanish_x = self.width * self.rng.uniform(0.35, 0.65)
        vanish_y = self.floor_y - self.height * 0.12
        for offset in (-0.16, 0.16):
            start = (self.width * (0.5 + offset * 1.8), self.height)
            draw.line(
                [start, (vanish_x + offset * self.width * 0.1, self.floor_y)],
                fill=150,
                width=max(2, round(self.unit * 0.008)),
            )
        for step in range(1, 12):
            t = (step / 12) ** 1.8
            y = self.height - (self.height - self.floor_y) * (1 - t)
            half = self.width * 0.29 * t + self.width * 0.02
            if y > vanish_y:
                draw.line(
                    [(vanish_x - half, y), (vanish_x + half, y)],
                    fill=90,
                    width=max(1, round(self.unit * 0.004 * t + 1)),
                )

    # Putting it together ---------------------------------------------------------------

    def render(self, letterbox=False, grain=0.02):
        palette, size = self.palette, self.size
        small = self.light.size
        image = _gradient(size, palette.top, palette.bottom, curve=self.rng.uniform(0.6, 1.6))
        floor = Image.new("L", small, 0)
        ImageDraw.Draw(floor).rectangle([0, self.floor_y // self.LIGHT_SCALE, *small], fill=255)
        floor = floor.filter(ImageFilter.GaussianBlur(1)).resize(size, Image.Resampling.BILINEAR)
        image = Image.composite(Image.new("RGB", size, _scaled(palette.bottom, 0.55)), image, floor)

        # Beams, their haze and the bokeh are soft: mixed small, enlarged once.
        blur = self.unit / self.LIGHT_SCALE
        light = self.light.filter(ImageFilter.GaussianBlur(blur * 0.02))
        haze = light.filter(ImageFilter.BoxBlur(blur * 0.05))
        glow = self.glow.filter(ImageFilter.GaussianBlur(max(1, blur * 0.006)))
        lit = ImageChops.screen(
            _tint(light, palette.light), _tint(haze, _scaled(palette.light, 0.55))
        )
        lit = ImageChops.screen(lit, glow).resize(size, Image.Resampling.BILINEAR)
        image = ImageChops.screen(image, lit)

        # Crew far from the lens is out of focus and veiled by haze; near crew is sharp.
        half = (max(1, self.width // 2), max(1, self.height // 2))
        far = self.far_shapes.resize(half, Image.Resampling.BILINEAR)
        far = far.filter(ImageFilter.GaussianBlur(self.unit * 0.002)).point(lambda v: v * 6 // 10)
        far = far.resize(size, Image.Resampling.BILINEAR)
        veil = _gradient(size, _scaled(palette.top, 0.5), _scaled(palette.bottom, 0.3))
        image = Image.composite(veil, image, far)
        near = self.shapes.filter(ImageFilter.BoxBlur(1))
        image = Image.composite(Image.new("RGB", size, _scaled(palette.bottom, 0.12)), image, near)

        vignette = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
        vignette = vignette.point(lambda v: 255 - min(255, max(0, v - 90)) * 2 // 3)
        image = ImageChops.multiply(image, Image.merge("RGB", (vignette,) * 3))

        if grain:
            noise_size = (max(1, self.width // 2), max(1, self.height // 2))
            noise = Image.frombytes(
                "L", noise_size, self.rng.randbytes(noise_size[0] * noise_size[1])
            )
            noise = noise.resize(size, Image.Resampling.BILINEAR)
            image = Image.blend(image, Image.merge("RGB", (noise,) * 3), grain)

        if letterbox:  # a 2.39:1 frame line, as the monitor shows it
            bar = max(0, round((self.height - self.width / 2.39) / 2))
            if bar:
                draw = ImageDraw.Draw(image)
                draw.rectangle([0, 0, self.width, bar], fill=(6, 6, 6))
                draw.rectangle([0, self.height - bar, self.width, self.height], fill=(6, 6, 6))
        return image


def _crew(scene, count, far=False, poses=("stand", "stand", "camera", "point", "boom")):
    rng = scene.rng
    for _ in range(count):
        depth = rng.uniform(0.0, 1.0) if far else rng.uniform(0.6, 1.0)
        height = scene.height * (0.22 + 0.35 * depth)
        base = scene.floor_y + (scene.height - scene.floor_y) * depth * 0.7
        scene.figure(
            rng.uniform(0.05, 0.95) * scene.width, base, height, rng.choice(poses), far=far
        )


def _compose(kind, scene):
    rng, w, h, palette = scene.rng, scene.width, scene.height, scene.palette
    colors = (palette.light, palette.accent, _scaled(palette.light, 0.8))
    if kind == "lamps":
        for _ in range(rng.randint(1, 3)):
            x = rng.uniform(0.1, 0.9) * w
            aim = rng.uniform(0.2, 0.8) * w
            lamp = scene.light_stand(
                x, scene.floor_y - h * 0.02, h * rng.uniform(0.45, 0.7), aim, far=True
            )
            scene.cone(*lamp, aim, w * rng.uniform(0.08, 0.2))
        scene.bokeh(rng.randint(6, 16), (0, 0, w, h * 0.5), colors)
        _crew(scene, rng.randint(2, 5), far=True)
        _crew(scene, rng.randint(1, 2))
    elif kind == "bokeh":
        scene.bokeh(rng.randint(40, 80), (0, 0, w, h), colors)
        scene.lamp(rng.uniform(0.2, 0.8) * w, h * 0.3, scene.unit * 0.05, 120)
        _crew(scene, 1, poses=("camera", "stand"))
    elif kind == "dolly":
        scene.rails()
        lamp = scene.light_stand(
            w * rng.choice((0.12, 0.88)), scene.floor_y, h * 0.6, w / 2, far=True
        )
        scene.cone(*lamp, w / 2, w * 0.18)
        scene.tripod_camera(w * rng.uniform(0.4, 0.6), scene.floor_y + h * 0.1, h * 0.35)
        _crew(scene, rng.randint(1, 3), far=True)
        scene.bokeh(rng.randint(4, 10), (0, 0, w, h * 0.4), colors)
    elif kind == "monitor":
        for index in range(rng.randint(1, 2)):
            mw, mh = w * 0.22, w * 0.13
            mx = w * (0.3 + 0.36 * index) + rng.uniform(-0.05, 0.05) * w
            my = h * 0.38
            scene.rectangle_light((mx - mw / 2, my - mh / 2, mx + mw / 2, my + mh / 2), 200)
            scene.shapes_draw.rectangle(
                [mx - mw / 2, my - mh / 2, mx + mw / 2, my - mh / 2 + 6], fill=255
            )
            scene.shapes_draw.line(
                [(mx, my + mh / 2), (mx, scene.floor_y)], fill=255, width=max(3, round(w * 0.006))
            )
        scene.bokeh(rng.randint(5, 12), (0, 0, w, h * 0.3), colors)
        for _ in range(rng.randint(2, 3)):  # heads and shoulders in front of the screens
            x = rng.choice((rng.uniform(0.02, 0.25), rng.uniform(0.75, 0.98))) * w
            scene.figure(x, h * 1.2, h * rng.uniform(0.6, 0.75), "stand")
    elif kind == "window":
        wx, ww = rng.uniform(0.1, 0.5) * w, w * rng.uniform(0.25, 0.4)
        top, bottom = h * 0.12, scene.floor_y - h * 0.15
        scene.rectangle_light((wx, top, wx + ww, bottom), 240)
        for column in range(1, 3):
            x = wx + ww * column / 3
            scene.far_draw.line([(x, top), (x, bottom)], fill=255, width=max(2, round(w * 0.006)))
        scene.far_draw.line(
            [(wx, (top + bottom) / 2), (wx + ww, (top + bottom) / 2)],
            fill=255,
            width=max(2, round(w * 0.006)),
        )
        shaft = wx + ww / 2 + rng.uniform(0.1, 0.3) * w
        scene.cone(wx + ww / 2, (top + bottom) / 2, shaft, ww * 0.8, 140)
        _crew(scene, rng.randint(1, 3))
    elif kind == "crane":
        scene.crane(rng.uniform(0.3, 0.7) * w, scene.floor_y + h * 0.05, h * rng.uniform(0.7, 0.95))
        scene.lamp(rng.uniform(0.1, 0.9) * w, h * rng.uniform(0.15, 0.3), scene.unit * 0.08, 150)
        _crew(scene, rng.randint(2, 4), far=True)
        scene.bokeh(rng.randint(5, 10), (0, h * 0.4, w, scene.floor_y), colors)
    elif kind == "portrait":
        scene.lamp(w * rng.uniform(0.55, 0.8), h * rng.uniform(0.2, 0.35), scene.unit * 0.16, 200)
        scene.bokeh(rng.randint(15, 30), (0, 0, w, h * 0.7), colors)
        scene.figure(w * rng.uniform(0.38, 0.55), h * 1.02, h * 0.88, "camera")
    else:
        raise ValueError(f"Unknown kind of picture: {kind}")


def render(kind, frame, palette, key, scale=1.0, letterbox=False):
    """A picture of a kind of backstage moment, the same every time for the same key."""
    rng = random.Random(seed_for(key))  # noqa: S311 - seeded on purpose: same key, same picture
    scene = Scene(frame_size(frame, scale), palette, rng)
    _compose(kind, scene)
    return scene.render(letterbox=letterbox)


def render_wide(kind, size, palette, key):
    """A picture of any size (the video pans across one)."""
    rng = random.Random(seed_for(key))  # noqa: S311 - seeded on purpose: same key, same picture
    scene = Scene(size, palette, rng)
    _compose(kind, scene)
    return scene.render(grain=0.015)


def jpeg_bytes(image, quality=88):
    buffer = io.BytesIO()
    # Baseline, not progressive: every rendition decodes the original again, and a
    # baseline JPEG decodes in half the time.
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
