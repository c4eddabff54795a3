import { PNG } from 'pngjs';

/**
 * One rendered slider ("blockPuzzle") captcha, shaped like the images AJ-Captcha hands to
 * Huawei OneAccess front ends.
 *
 * The piece image is as tall as the background and the piece sits at {@link y} inside it, so a
 * front end only ever slides it horizontally; the user solves the captcha by dragging it until
 * its left edge reaches {@link x}.
 */
export interface SliderCaptchaImage {
  /** PNG, base64 (no `data:` prefix): the background with the cut-out hole visible. */
  originalImageBase64: string;
  /** PNG, base64: the puzzle piece, `pieceWidth` x `height`, transparent except the piece. */
  jigsawImageBase64: string;
  /** Left edge of the cut-out in background pixels: where the piece must be dragged to. */
  x: number;
  /** Top edge of the piece inside the full-height piece strip. */
  y: number;
  /** Background width in pixels (310). */
  width: number;
  /** Background and piece-strip height in pixels (155). */
  height: number;
  /** Piece-strip width in pixels (47). */
  pieceWidth: number;
}

// AJ-Captcha's blockPuzzle sizes, which OneAccess front ends are laid out for.
const WIDTH = 310;
const HEIGHT = 155;
const PIECE_WIDTH = 47;
const PIECE_HEIGHT = 47;

// Piece geometry in strip coordinates (pixel centres at +0.5). A 40 px rounded square with
// knobs on the top and right and a socket on the left, which fills the 47x47 box exactly.
const BODY_LEFT = 0.5;
const BODY_RIGHT = 40.5;
const BODY_TOP = 6.5;
const BODY_BOTTOM = 46.5;
const BODY_CORNER = 3;
const KNOB_R = 5.5;
// The knob centre sits just outside the edge so the knob reads as a bulb with a neck.
const KNOB_OUT = 0.5;
const SOCKET_R = 5;

// How dark the hole is: 40% brightness is obvious to a person without looking like a black box.
const HOLE_BRIGHTNESS = 0.4;
// Width of the light outline that lets the piece and hole read against any scenery.
const OUTLINE = 1.4;

type Rgb = [number, number, number];

// Bound once at module scope: under Jest (and any vm context) every global lookup such as
// `Math.sqrt` goes through the sandbox's interceptor, which made the pixel loops ~30x slower.
const { abs, exp, floor, max, min, round, sin, sqrt, PI } = Math;

/**
 * Renders a new slider captcha: a procedural landscape with a jigsaw-shaped hole and the
 * matching piece.
 *
 * @param random - source of uniform numbers in [0, 1); pass a seeded generator for
 *   reproducible images (the same sequence always gives the same images and answer).
 * @returns both PNGs as base64 plus the answer `x` and the geometry the front end needs.
 */
export function renderSliderCaptcha(random: () => number = Math.random): SliderCaptchaImage {
  // Keep the hole clear of the piece's start position (left) so the puzzle is never pre-solved.
  const minX = PIECE_WIDTH + 10;
  const maxX = WIDTH - PIECE_WIDTH - 5;
  const x = minX + floor(random() * (maxX - minX + 1));
  const minY = 4;
  const maxY = HEIGHT - PIECE_HEIGHT - 4;
  const y = minY + floor(random() * (maxY - minY + 1));

  const bg = paintBackground(random);
  const out = Buffer.from(bg);
  const piece = new PNG({ width: PIECE_WIDTH, height: HEIGHT });
  piece.data.fill(0);

  for (let ly = 0; ly < PIECE_HEIGHT; ly++) {
    for (let lx = 0; lx < PIECE_WIDTH; lx++) {
      const d = pieceDistance(lx + 0.5, ly + 0.5);
      // Signed distance gives a one-pixel anti-aliased edge without supersampling.
      const cover = clamp01(0.5 - d);
      if (cover <= 0) continue;
      // The outline band lies just inside the edge, so the piece never grows past its box.
      const edge = clamp01(d + OUTLINE + 0.5);

      const bi = ((y + ly) * WIDTH + (x + lx)) * 3;
      const pi = ((y + ly) * PIECE_WIDTH + lx) * 4;
      for (let c = 0; c < 3; c++) {
        const orig = bg[bi + c];
        const pieceColour = orig + (250 - orig) * edge * 0.9;
        piece.data[pi + c] = round(pieceColour);
        const dark = orig * HOLE_BRIGHTNESS;
        const holeColour = dark + (235 - dark) * edge * 0.55;
        out[bi + c] = round(orig + (holeColour - orig) * cover);
      }
      piece.data[pi + 3] = round(255 * cover);
    }
  }

  return {
    originalImageBase64: encodeRgb(out, WIDTH, HEIGHT),
    jigsawImageBase64: PNG.sync.write(piece, { filterType: 1 }).toString('base64'),
    x,
    y,
    width: WIDTH,
    height: HEIGHT,
    pieceWidth: PIECE_WIDTH,
  };
}

// The background is opaque, so it is kept and written as 3-byte RGB: a smaller PNG, and pngjs
// skips its per-pixel RGBA->RGB conversion. The Sub filter alone is used because pngjs's
// adaptive choice tries all five filters on every row, costing more than painting the picture.
function encodeRgb(rgb: Buffer, width: number, height: number): string {
  // The packer reads only width, height and data, so skip allocating an RGBA buffer to discard.
  const png = new PNG({ width: 0, height: 0 });
  png.width = width;
  png.height = height;
  png.data = rgb;
  return PNG.sync
    .write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 1 })
    .toString('base64');
}

/** Signed distance from the piece outline: negative inside, positive outside. */
function pieceDistance(px: number, py: number): number {
  const cx = (BODY_LEFT + BODY_RIGHT) / 2;
  const cy = (BODY_TOP + BODY_BOTTOM) / 2;
  const hw = (BODY_RIGHT - BODY_LEFT) / 2 - BODY_CORNER;
  const hh = (BODY_BOTTOM - BODY_TOP) / 2 - BODY_CORNER;
  const qx = abs(px - cx) - hw;
  const qy = abs(py - cy) - hh;
  const outside = len(max(qx, 0), max(qy, 0));
  let d = outside + min(max(qx, qy), 0) - BODY_CORNER;
  d = min(d, len(px - cx, py - (BODY_TOP - KNOB_OUT)) - KNOB_R);
  d = min(d, len(px - (BODY_RIGHT + KNOB_OUT), py - cy) - KNOB_R);
  // The socket is cut after the union so it bites into the body.
  d = max(d, SOCKET_R - len(px - (BODY_LEFT - KNOB_OUT), py - cy));
  return d;
}

/**
 * Paints the landscape into an RGB buffer: gradient sky, a soft sun, a few clouds and three
 * rows of hills that fade into the haze with distance, plus grain. The variety and texture
 * are what let a person tell the hole from the scenery.
 */
function paintBackground(random: () => number): Buffer {
  const buf = Buffer.alloc(WIDTH * HEIGHT * 3);
  const between = (a: number, b: number): number => a + (b - a) * random();

  // Sky hue anywhere from morning blue to sunset orange; hills take a complementary-ish hue.
  const skyHue = between(0, 1) < 0.6 ? between(190, 225) : between(10, 40);
  const skyTop = hsl(skyHue, between(0.45, 0.7), between(0.45, 0.58));
  const skyBottom = hsl(skyHue + between(-25, 25), between(0.45, 0.75), between(0.8, 0.9));
  const hillHue = between(85, 165);
  const sunX = between(0.1, 0.9) * WIDTH;
  const sunY = between(0.12, 0.4) * HEIGHT;
  const sunR = between(10, 16);
  const clouds: Array<{ x: number; y: number; rx: number; ry: number }> = [];
  const cloudCount = 2 + floor(random() * 3);
  for (let i = 0; i < cloudCount; i++) {
    const cx = between(-20, WIDTH + 20);
    const cy = between(8, HEIGHT * 0.4);
    const lobes = 3 + floor(random() * 3);
    for (let j = 0; j < lobes; j++) {
      clouds.push({
        x: cx + between(-28, 28),
        y: cy + between(-5, 4),
        rx: between(14, 26),
        ry: between(6, 10),
      });
    }
  }

  // Three ridges, back to front: each is a sum of sines so the skyline is smooth but irregular.
  const layers = [0, 1, 2].map((i) => {
    const base = HEIGHT * (0.5 + i * 0.14);
    const waves = [0, 1, 2].map((k) => ({
      amp: between(4, 12) / (k + 1),
      freq: (between(0.8, 1.6) * (k + 1) * 2 * PI) / WIDTH,
      phase: between(0, 2 * PI),
    }));
    const colour = hsl(hillHue + between(-12, 12), between(0.3, 0.5), 0.42 - i * 0.09);
    // Distant ridges pick up the sky colour, which gives the picture depth.
    const haze = [0.55, 0.25, 0][i];
    const ridge = new Float64Array(WIDTH);
    for (let px = 0; px < WIDTH; px++) {
      let h = base;
      for (const w of waves) h += w.amp * sin(px * w.freq + w.phase);
      ridge[px] = h;
    }
    return { ridge, colour: mix(colour, skyBottom, haze) };
  });

  // A cheap xorshift seeded from `random` keeps the grain deterministic without spending one
  // `random()` call per pixel.
  let seed = (floor(random() * 0x7fffffff) | 1) >>> 0;
  const grain = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) / 0x100000000 - 0.5) * 8;
  };

  for (let py = 0; py < HEIGHT; py++) {
    const t = py / (HEIGHT - 1);
    const sky = mix(skyTop, skyBottom, t * t * (3 - 2 * t));
    for (let px = 0; px < WIDTH; px++) {
      let r = sky[0];
      let g = sky[1];
      let b = sky[2];

      const sd = len(px - sunX, py - sunY);
      const glow = max(0.9 * clamp01(sunR + 0.5 - sd), 0.45 * exp(-max(sd - sunR, 0) / 14));
      r += (255 - r) * glow;
      g += (248 - g) * glow;
      b += (225 - b) * glow;

      let cloud = 0;
      for (const c of clouds) {
        const dx = (px - c.x) / c.rx;
        const dy = (py - c.y) / c.ry;
        const q = dx * dx + dy * dy;
        if (q < 1) cloud = max(cloud, (1 - q) * (1 - q));
      }
      if (cloud > 0) {
        const a = min(1, cloud * 1.6) * 0.85;
        r += (255 - r) * a;
        g += (255 - g) * a;
        b += (255 - b) * a;
      }

      for (const layer of layers) {
        const depth = py - layer.ridge[px];
        if (depth <= -1) continue;
        // Soft one-pixel skyline, then a gentle darkening further down the slope.
        const a = clamp01(depth + 0.5);
        const shade = 1 - min(depth, 40) * 0.004;
        r += (layer.colour[0] * shade - r) * a;
        g += (layer.colour[1] * shade - g) * a;
        b += (layer.colour[2] * shade - b) * a;
      }

      const n = grain();
      const i = (py * WIDTH + px) * 3;
      buf[i] = clampByte(r + n);
      buf[i + 1] = clampByte(g + n);
      buf[i + 2] = clampByte(b + n);
    }
  }
  return buf;
}

function hsl(h: number, s: number, l: number): Rgb {
  const hue = (((h % 360) + 360) % 360) / 60;
  const c = (1 - abs(2 * l - 1)) * s;
  const x = c * (1 - abs((hue % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 1
      ? [c, x, 0]
      : hue < 2
        ? [x, c, 0]
        : hue < 3
          ? [0, c, x]
          : hue < 4
            ? [0, x, c]
            : hue < 5
              ? [x, 0, c]
              : [c, 0, x];
  return [(r + m) * 255, (g + m) * 255, (b + m) * 255];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// Math.hypot is several times slower than this in V8, and it runs for every pixel.
function len(dx: number, dy: number): number {
  return sqrt(dx * dx + dy * dy);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : round(v);
}
