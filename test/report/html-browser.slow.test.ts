/**
 * The HTML report in headless Chromium at 1280 px (`report --format html -o`, a real
 * process): nothing overflows even with long titles, samples and many streams; the
 * titles and the plot thumbnails show; each row's link leads to its file.
 */
import { describe, test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { composeRun } from '../../src/run/testing.js';
import { launchBrowser, openPage } from '../browser/launch.js';
import { nxlayoutIn } from '../cli/helpers.js';
import { screenshotPath } from '../view/helpers.js';
import { REPO, tempDir, writeLog } from './helpers.js';

const LONG_TITLE = 'calibration_' + 'x'.repeat(180) + ' and a few words after it';
const LONG_SAMPLE = 'silica nanoparticles 100 nm in glycerol/water 80:20, capillary 1.5 mm, ' + 'y'.repeat(90);

describe('the HTML report in a browser at 1280 px', { timeout: 300_000 }, () => {
  const tmp = tempDir('nxl-report-browser-');
  const out = path.join(tmp.dir, 'user dir');
  const html = path.join(tmp.dir, 'pages', 'report.html');
  let browser: Browser;

  before(async () => {
    const b = composeRun({
      scan_id: 99,
      plan_name: 'grid_scan_with_a_long_plan_name',
      title: LONG_TITLE,
      sample_name: LONG_SAMPLE,
      time: 1_700_000_000,
    });
    for (const s of ['primary', 'baseline', 'monitor_one', 'monitor_two', 'ring'])
      b.descriptor(s, { [`${s}_v`]: {} }).event({ [`${s}_v`]: 1 });
    b.stop();
    const log = writeLog(b, path.join(tmp.dir, 'long.jsonl'));
    const wrote = await nxlayoutIn(['write', path.join(REPO, 'examples', 'runs'), log, '--out', out]);
    assert.equal(wrote.status, 0, wrote.stderr);
    execFileSync('mkdir', ['-p', path.dirname(html)]);
    const reported = await nxlayoutIn(['report', out, '--format', 'html', '-o', html]);
    assert.equal(reported.status, 0, reported.stderr);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    tmp.remove();
  });

  test('fits 1280 px, shows the titles and a thumbnail per plot, links to the files', async (t) => {
    const { page, problems, requests } = await openPage(browser, pathToFileURL(html).href, {
      viewport: { width: 1280, height: 900 },
    });
    const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(scrollWidth <= 1280, `scrollWidth ${scrollWidth}`);
    for (const title of ['sample height scan', 'count 2', 'rel_scan 3'])
      assert.ok(await page.getByText(title, { exact: true }).isVisible(), title);
    assert.ok(await page.getByText(LONG_TITLE).isVisible(), 'the long title wraps inside its cell');
    assert.equal(await page.locator('tbody tr').count(), 4);
    assert.equal(
      await page.locator('td.plot svg.thumb polyline').count(),
      3,
      "1-D thumbnails (the long run's too: a single point)",
    );
    assert.ok((await page.locator('td.plot svg.thumb rect').count()) >= 80, "the 2-D run's heat map");
    // every cell stays inside the page
    const right = (await page.evaluate(
      'Math.max(...[...document.querySelectorAll("td, th")].map((e) => e.getBoundingClientRect().right))',
    )) as number;
    assert.ok(right <= 1280, `rightmost cell edge ${right}`);
    const hrefs = (await page.evaluate('[...document.querySelectorAll("a.file")].map((a) => a.href)')) as string[];
    assert.equal(hrefs.length, 4);
    for (const href of hrefs) assert.ok(existsSync(fileURLToPath(href)), `${href} leads to the file`);
    const file = screenshotPath('report-1280.png');
    await page.screenshot({ path: file, fullPage: true });
    t.diagnostic(`screenshot: ${file}`);
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(html).href], 'the page loads nothing else');
  });
});
