/**
 * `nxlayout view` in a real browser (headless Debian chromium through playwright-core):
 * H5Web opens a written file, its tree shows `entry`, the default plot is drawn (a
 * curve for 1-D, a heat map for 2-D); the directory's run list fits 1280 px and
 * links to the viewer; the page requests nothing but the local server.
 */
import { describe, test, before, after, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, pngStats } from '../browser/launch.js';
import { tempDir } from '../report/helpers.js';
import { screenshotPath, startView, writeExamples, type ViewProcess } from './helpers.js';

/** This machine may be loaded: H5Web's first render can take seconds. */
const WAIT = { timeout: 90_000 };

async function plotStats(
  browser: Browser,
  page: Page,
): Promise<{ pixels: number; coloured: number; distinct: number }> {
  const canvas = page.locator('canvas').first();
  await canvas.waitFor({ state: 'visible', ...WAIT });
  // The canvas appears at the browser's default 300 × 150 and is sized to its panel a frame later:
  // wait for the size, not only for the element (on a fast machine the check came first).
  await page.waitForFunction(
    '(() => { const r = document.querySelector("canvas")?.getBoundingClientRect(); return r !== undefined && r.width > 200 && r.height > 200; })()',
    undefined,
    WAIT,
  );
  const box = await canvas.boundingBox();
  assert.ok(box !== null && box.width > 200 && box.height > 200, `the plot has room: ${JSON.stringify(box)}`);
  return pngStats(browser, await page.screenshot({ clip: box }));
}

async function saveScreenshot(t: TestContext, page: Page, name: string): Promise<void> {
  const file = screenshotPath(name);
  await page.screenshot({ path: file });
  t.diagnostic(`screenshot: ${file}`);
}

describe('nxlayout view in headless Chromium', { timeout: 600_000 }, () => {
  const tmp = tempDir('nxl-view-browser-');
  const out = path.join(tmp.dir, 'out');
  let view: ViewProcess;
  let browser: Browser;

  before(async () => {
    await writeExamples(out);
    view = await startView(out);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (view !== undefined && view.child.exitCode === null) await view.stop();
    tmp.remove();
  });

  test('a 1-D run: the tree shows entry, the default plot draws its curve', async (t) => {
    const { page, problems, requests } = await openPage(browser, `${view.url}view?file=00001_5c1a7e2d.nxs`);
    await page.getByRole('treeitem', { name: /^entry/ }).waitFor({ state: 'visible', ...WAIT });
    await page.getByRole('tab', { name: /NX Line/ }).waitFor(WAIT);
    // The axes are SVG: wait for the x axis label H5Web takes from the NXdata's @axes.
    await page.getByText('sample_z').first().waitFor(WAIT);
    const stats = await plotStats(browser, page);
    // The curve is the only coloured thing in the plot (axes and grid are grey).
    assert.ok(stats.coloured > 300, `the curve is drawn: ${JSON.stringify(stats)}`);
    await saveScreenshot(t, page, 'view-1d.png');
    assert.deepEqual(problems, []);
    const foreign = requests.filter(
      (u) => !u.startsWith(view.url) && !u.startsWith('blob:' + view.url.replace(/\/$/, '')) && !u.startsWith('data:'),
    );
    assert.deepEqual(foreign, [], 'the page asks nothing of any other server');
    assert.ok(requests.includes(`${view.url}files/00001_5c1a7e2d.nxs`));
    await page.context().close();
  });

  test('a 2-D run: the default plot is a heat map', async (t) => {
    const { page, problems } = await openPage(browser, `${view.url}view?file=00002_7d0e4b9a.nxs`);
    await page.getByRole('treeitem', { name: /^entry/ }).waitFor({ state: 'visible', ...WAIT });
    await page.getByRole('tab', { name: /NX Heatmap/ }).waitFor(WAIT);
    const stats = await plotStats(browser, page);
    assert.ok(stats.coloured > 20_000 && stats.distinct > 20, `the heat map is drawn: ${JSON.stringify(stats)}`);
    await saveScreenshot(t, page, 'view-2d.png');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('the directory page: the report fits 1280 px, shows titles and thumbnails, and opens the viewer', async (t) => {
    const { page, problems } = await openPage(browser, view.url);
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 1280, `scrollWidth ${width}`);
    for (const title of ['sample height scan', 'count 2', 'rel_scan 3'])
      assert.ok(await page.getByText(title, { exact: true }).isVisible(), title);
    assert.equal(await page.locator('td.plot svg polyline').count(), 2, 'two 1-D thumbnails');
    assert.ok((await page.locator('td.plot svg rect').count()) >= 5 * 16, 'a heat map of the 5 × 16 run');
    await saveScreenshot(t, page, 'view-index.png');
    await page.locator('a.view').first().click();
    await page.waitForURL(/\/view\?file=00001_5c1a7e2d\.nxs$/);
    await page.getByRole('treeitem', { name: /^entry/ }).waitFor({ state: 'visible', ...WAIT });
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('a file that is not served: the page says so', async () => {
    const { page } = await openPage(browser, `${view.url}view?file=missing.nxs`);
    await page.getByRole('alert').waitFor(WAIT);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Cannot load missing\.nxs: 404/);
    await page.context().close();
  });
});
