/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium (or $CHROMIUM)
 * driven by playwright-core. Generic on purpose: launch, open a URL, collect what
 * the page logs, close. `--no-sandbox` only when running as root (CI containers).
 */
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // WebGL without a GPU: SwiftShader, which Chromium only allows when asked.
    args: [...(root ? ['--no-sandbox'] : []), '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests, as text. */
  problems: string[];
  /** Every request URL the page made. */
  requests: string[];
}

/** Opens `url` in a new context of `browser` (viewport 1280 × 800 unless given). */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => void requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

/** Runs in the page (the tests are compiled without DOM types, so it is kept as text). */
const PNG_STATS_SOURCE = `async (b64) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height).data;
  let coloured = 0;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4) {
    const r = d[i], g = d[i + 1], b = d[i + 2];
    if (Math.abs(r - g) > 40 || Math.abs(g - b) > 40 || Math.abs(r - b) > 40) coloured++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { pixels: d.length / 4, coloured, distinct: colours.size };
}`;

/**
 * Pixels of a PNG (e.g. a screenshot) decoded by the browser itself, summarised:
 * how many there are, how many are coloured (not grey: a channel differs from
 * another by more than 40) and how many distinct colours.
 */
export async function pngStats(
  browser: Browser,
  png: Buffer,
): Promise<{ pixels: number; coloured: number; distinct: number }> {
  const page = await browser.newPage();
  try {
    return (await page.evaluate(`(${PNG_STATS_SOURCE})(${JSON.stringify(png.toString('base64'))})`)) as {
      pixels: number;
      coloured: number;
      distinct: number;
    };
  } finally {
    await page.close();
  }
}
