/**
 * Debian's Chromium driven by playwright-core, for the suites that need a real browser (capture
 * page, HTML reports). `apt-get install -y chromium`; without it those suites fail, never skip.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; FACELIVE_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.FACELIVE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a closed network: without the background-networking ones Chromium keeps trying to
 * reach Google's hosts. The user-data dir is a fresh temporary one per launch.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A page in a fresh Chromium profile; `close` removes the profile. */
export async function openPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (Debian; .ci/run does)`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'facelive-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
