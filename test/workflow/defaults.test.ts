// SPDX-License-Identifier: MIT
/** The one table of defaults: README lists it as it is, and the CLI's help and the app's form take their defaults from it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, defaultSettings } from '../../app/src/algorithmSettings.js';
import { FIT_SPEC } from '../../src/cli/commands/fit.js';
import { MAX_CATEGORIES } from '../../src/data/inferKinds.js';
import { DEFAULT_FIXED_K, WORKFLOW_DEFAULTS, defaultsTable, optionsFor } from '../../src/workflow/defaults.js';
import { resolveOptions } from '../../src/workflow/options.js';

describe('the workflow defaults', () => {
  it("README.md's Defaults section is defaultsTable() as it is now", () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme).toContain(defaultsTable());
  });

  it("the app's form opens at the workflow's defaults, with the workflow's option names", () => {
    for (const spec of ALGORITHMS) {
      const own = new Set<string>(optionsFor(spec.id));
      for (const [key, value] of Object.entries(defaultSettings(spec.id))) {
        expect(own.has(key), `${spec.id}: ${key} is a workflow option of this algorithm`).toBe(true);
        const expected = key === 'k' ? DEFAULT_FIXED_K : (WORKFLOW_DEFAULTS as Record<string, { value: unknown }>)[key].value;
        expect(value, `${spec.id}.${key}`).toBe(expected);
      }
      // And the workflow accepts the form's settings as options.
      const settings = Object.fromEntries(Object.entries(defaultSettings(spec.id)).filter(([, v]) => v !== null));
      expect(() => resolveOptions({ ...settings, algorithm: spec.id })).not.toThrow();
    }
  });

  it("the CLI's help states the workflow's defaults", () => {
    expect(FIT_SPEC.flags['n-init'].help).toContain(`default ${WORKFLOW_DEFAULTS.nInit.value}`);
    expect(FIT_SPEC.flags['k-max'].help).toContain(`default ${WORKFLOW_DEFAULTS.kMax.value}`);
    expect(FIT_SPEC.flags.eps.help).toContain(`default ${WORKFLOW_DEFAULTS.eps.value}`);
    expect(FIT_SPEC.flags['search-rows'].help).toContain(`default ${WORKFLOW_DEFAULTS.searchRows.value}`);
  });

  it("inferKinds' own limit on category labels is the workflow's maxCategories (the app infers kinds before a run)", () => {
    expect(MAX_CATEGORIES).toBe(WORKFLOW_DEFAULTS.maxCategories.value);
  });

  it('resolveOptions fills every default and resolves k per algorithm', () => {
    const km = resolveOptions({});
    expect(km).toMatchObject({ algorithm: 'kmeans', k: 'auto', kMin: 2, kMax: 8, seed: 42, nInit: WORKFLOW_DEFAULTS.nInit.value, eps: 0.5 });
    expect(resolveOptions({ algorithm: 'agglomerative' }).k).toBe(5);
    expect(resolveOptions({ algorithm: 'spectral', k: 3 }).k).toBe(3);
  });
});
