// SPDX-License-Identifier: MIT
/**
 * How the browser tests start Debian's Chromium through playwright-core: where it is, why it
 * cannot run here (the tests then skip, saying so), and its switches.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { TEST_DAWN_FEATURES } from './dawn.js';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null. */
export const CHROMIUM_MISSING = existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install -y chromium)`;

/** Every launch's switches: no sandbox (the tests may run as root), nothing fetched from outside. */
const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** WebGPU on SwiftShader, with the tests' Dawn toggles (dawn.ts). */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', `--enable-dawn-features=${TEST_DAWN_FEATURES}`];

/** Launches Chromium (headless) with the base switches and `extra`. */
export function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...extra] });
}
