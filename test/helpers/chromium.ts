/**
 * Debian's Chromium driven by playwright-core, for the browser suites: the path, the flags that
 * keep it off the network, and a launch in a fresh profile that is removed on close.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; FACELIVE_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.FACELIVE_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a closed network: without the background-networking ones Chromium keeps calling Google's hosts. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A launched browser with one page. */
export interface ChromiumSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions and console errors of the page. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /** Flags besides {@link CHROMIUM_FLAGS}, e.g. a fake camera. */
  readonly extraArgs?: readonly string[];
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** Launches Chromium in a fresh temporary profile; fails with the install command when it is missing. */
export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (Debian; .ci/run does)`);
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'facelive-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(options.extraArgs ?? [])],
    viewport: options.viewport ?? { width: 1000, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
