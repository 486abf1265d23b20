import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../devstack/devstack.js';

/** Debian's Chromium; scripts/install-system-packages.sh installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Chromium for the Web UI tests; fails with what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install the chromium package (scripts/install-system-packages.sh)`);
  }
  const args = ['--disable-background-networking'];
  // Chromium refuses to start its sandbox as root (containers, CI); nothing but the local UI is loaded.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

/**
 * Saves a full-page screenshot after each step of a browser test, and one of the page as it was when
 * a step failed, under test-results/<dir>/ numbered in order.
 */
export class ScreenshotSteps {
  private count = 0;
  constructor(
    private readonly page: Page,
    private readonly dir: string,
  ) {}

  async step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const file = `${String(++this.count).padStart(2, '0')}-${name}`;
    try {
      const result = await run();
      await this.save(`${file}.png`);
      return result;
    } catch (err) {
      await this.save(`${file}-failed.png`).catch(() => undefined);
      throw err;
    }
  }

  private async save(file: string): Promise<void> {
    const dir = join(projectRoot, 'test-results', this.dir);
    await mkdir(dir, { recursive: true });
    await this.page.screenshot({ path: join(dir, file), fullPage: true });
  }
}

/**
 * Reloads the page until `ready` answers true, for what the UI shows from eventually consistent
 * sources (the visibility store, a workflow's current details fetched once per page load).
 */
export async function reloadUntil(
  page: Page,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`the Web UI did not show ${what} within ${timeoutMs} ms`);
    await page.reload();
  }
}

/** Whether `locator` becomes visible within `timeoutMs` (Playwright's auto-wait, bounded). */
export async function becomesVisible(locator: Locator, timeoutMs = 3_000): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout: timeoutMs }).then(
    () => true,
    () => false,
  );
}

/** Runs a visibility query from the workflow list's query box, as a user types it. */
export async function searchWorkflows(page: Page, query: string): Promise<void> {
  await page.getByTestId('toggle-manual-query').click();
  await page.getByTestId('manual-search-input').fill(query);
  await page.getByTestId('manual-search-button').click();
  await page.waitForURL((url) => url.searchParams.get('query') === query);
}

/** The rendered markdown of the workflow's current details (tab "User Metadata"). */
export function currentDetails(page: Page): FrameLocator {
  // The UI renders the markdown in a sandboxed frame next to the "Current Details" heading.
  return page
    .getByRole('heading', { name: 'Current Details', exact: true })
    .locator('xpath=ancestor::div[.//iframe][1]//iframe')
    .contentFrame();
}

/**
 * Sends a signal from the workflow page: More Actions → Send a Signal, picks `name` from the
 * signals the workflow declares, submits without input, and waits for the UI's confirmation.
 * Returns the signal names the dialog offered.
 */
export async function sendSignalFromWorkflowPage(page: Page, name: string): Promise<string[]> {
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('signal-select-button').click();
  const options = dialog.getByRole('option');
  await options.first().waitFor();
  const offered = (await options.locator('span').allInnerTexts()).map((text) => text.trim());
  await options.filter({ has: page.getByText(name, { exact: true }) }).click();
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Workflow signaled').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  return offered;
}
