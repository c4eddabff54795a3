import { PNG } from 'pngjs';
import { renderSliderCaptcha, SliderCaptchaImage } from './slider-image';

// Small seeded generator so every test is reproducible.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decode(base64: string): PNG {
  return PNG.sync.read(Buffer.from(base64, 'base64'));
}

function rgbaAt(png: PNG, x: number, y: number): [number, number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
}

function brightness(png: PNG, x: number, y: number): number {
  const [r, g, b] = rgbaAt(png, x, y);
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

// The piece's square body, well clear of its outline, knobs and socket (strip coordinates).
const BODY_CORE = { left: 10, right: 32, top: 15, bottom: 38 };

describe('renderSliderCaptcha', () => {
  let captcha: SliderCaptchaImage;
  let background: PNG;
  let piece: PNG;

  beforeAll(() => {
    captcha = renderSliderCaptcha(mulberry32(42));
    background = decode(captcha.originalImageBase64);
    piece = decode(captcha.jigsawImageBase64);
  });

  it('should report the AJ-Captcha blockPuzzle geometry', () => {
    expect(captcha).toMatchObject({ width: 310, height: 155, pieceWidth: 47 });
    expect(captcha.originalImageBase64).not.toMatch(/^data:/);
    expect(captcha.jigsawImageBase64).not.toMatch(/^data:/);
  });

  it('should encode both images as PNGs of the reported sizes', () => {
    expect(Buffer.from(captcha.originalImageBase64, 'base64').subarray(1, 4).toString()).toBe(
      'PNG',
    );
    expect([background.width, background.height]).toEqual([310, 155]);
    expect([piece.width, piece.height]).toEqual([47, 155]);
  });

  it('should leave the piece strip transparent above and below the piece', () => {
    const visible: string[] = [];
    for (let y = 0; y < piece.height; y++) {
      if (y >= captcha.y && y < captcha.y + 47) continue;
      for (let x = 0; x < piece.width; x++)
        if (rgbaAt(piece, x, y)[3] !== 0) visible.push(`${x},${y}`);
    }
    expect(visible).toEqual([]);
  });

  it('should draw the piece opaque inside its body', () => {
    const seeThrough: string[] = [];
    for (let y = BODY_CORE.top; y <= BODY_CORE.bottom; y++) {
      for (let x = BODY_CORE.left; x <= BODY_CORE.right; x++) {
        if (rgbaAt(piece, x, captcha.y + y)[3] !== 255) seeThrough.push(`${x},${y}`);
      }
    }
    expect(seeThrough).toEqual([]);
  });

  it('should leave the corners of the piece box transparent', () => {
    // The knobs are centred on the top and right edges, so the box's top-left and
    // bottom-right corners, and the outer side of the left socket, lie outside the piece.
    expect(rgbaAt(piece, 1, captcha.y + 1)[3]).toBe(0);
    expect(rgbaAt(piece, 45, captcha.y + 45)[3]).toBe(0);
    expect(rgbaAt(piece, 0, captcha.y + 26)[3]).toBe(0);
  });

  it('should darken the background inside the hole at x', () => {
    // The piece carries the untouched background pixels, so it is the reference for the hole.
    let hole = 0;
    let original = 0;
    for (let y = BODY_CORE.top; y <= BODY_CORE.bottom; y++) {
      for (let x = BODY_CORE.left; x <= BODY_CORE.right; x++) {
        hole += brightness(background, captcha.x + x, captcha.y + y);
        original += brightness(piece, x, captcha.y + y);
      }
    }
    expect(hole).toBeLessThan(original * 0.5);
  });

  it('should make the hole clearly darker than its surroundings', () => {
    const mean = (x0: number, x1: number, y0: number, y1: number): number => {
      let sum = 0;
      for (let y = y0; y <= y1; y++)
        for (let x = x0; x <= x1; x++) sum += brightness(background, x, y);
      return sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
    };
    const y0 = captcha.y + BODY_CORE.top;
    const y1 = captcha.y + BODY_CORE.bottom;
    const inside = mean(captcha.x + BODY_CORE.left, captcha.x + BODY_CORE.right, y0, y1);
    const leftOf = mean(captcha.x - 12, captcha.x - 3, y0, y1);
    expect(inside).toBeLessThan(leftOf * 0.6);
  });

  it('should keep x and y inside bounds over many seeded renders', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { x, y } = renderSliderCaptcha(mulberry32(seed));
      expect(Number.isInteger(x)).toBe(true);
      expect(Number.isInteger(y)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(47 + 10);
      expect(x).toBeLessThanOrEqual(310 - 47 - 5);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y + 47).toBeLessThanOrEqual(155);
    }
  });

  it('should hit both ends of the x range when random does', () => {
    expect(renderSliderCaptcha(() => 0).x).toBe(57);
    expect(renderSliderCaptcha(() => 0.999999).x).toBe(258);
  });

  it('should render identical images and answer for the same seed', () => {
    const a = renderSliderCaptcha(mulberry32(7));
    const b = renderSliderCaptcha(mulberry32(7));
    expect(b).toEqual(a);
  });

  it('should give different x for different seeds', () => {
    const xs = new Set<number>();
    for (let seed = 100; seed < 120; seed++) xs.add(renderSliderCaptcha(mulberry32(seed)).x);
    expect(xs.size).toBeGreaterThan(10);
    expect(renderSliderCaptcha(mulberry32(1)).originalImageBase64).not.toBe(
      renderSliderCaptcha(mulberry32(2)).originalImageBase64,
    );
  });

  it('should work with the default Math.random', () => {
    const r = renderSliderCaptcha();
    expect(decode(r.jigsawImageBase64).width).toBe(47);
  });
});
