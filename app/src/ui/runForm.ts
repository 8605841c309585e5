// SPDX-License-Identifier: MIT
/** The form of a run: the algorithm and its settings (or let k be chosen), the seed, the backend. */
import { ALGORITHMS, algorithmSpec, type AlgorithmId, type Field, type Settings } from '../algorithmSettings.js';
import type { BackendChoice, RunRequest, Schema } from '../protocol.js';
import { WORKFLOW_DEFAULTS } from '../../../src/workflow/defaults.js';
import { h } from './dom.js';

export interface RunForm {
  /** The run the form describes, or a message saying which field is wrong. */
  request(schema: Schema, runId: number): RunRequest | string;
}

const BACKENDS: Array<[BackendChoice, string]> = [
  ['auto', 'auto (the fastest hardware backend; WASM when the GPU is a software one)'],
  ['webgpu', 'WebGPU'],
  ['webgl', 'WebGL'],
  ['wasm', 'WASM'],
  ['cpu', 'plain JavaScript (cpu)'],
];

function fieldInput(f: Field): HTMLInputElement | HTMLSelectElement {
  const id = `setting-${f.key}`;
  switch (f.type) {
    case 'number':
      return h('input', { id, type: 'number', min: f.min, max: f.max, step: f.integer ? 1 : 'any', value: f.value ?? '', placeholder: f.value === null ? 'auto' : undefined, 'data-key': f.key });
    case 'choice':
      return h('select', { id, 'data-key': f.key }, ...f.options.map((o) => h('option', { value: o, selected: o === f.value }, o)));
    case 'flag':
      return h('input', { id, type: 'checkbox', checked: f.value, 'data-key': f.key });
  }
}

function readField(f: Field, input: HTMLInputElement | HTMLSelectElement): number | string | boolean | null | { error: string } {
  switch (f.type) {
    case 'number': {
      const text = input.value.trim();
      if (text === '') return f.value === null ? null : { error: `${f.label} is empty` };
      const v = Number(text);
      if (!Number.isFinite(v) || (f.integer && !Number.isInteger(v))) return { error: `${f.label} must be ${f.integer ? 'an integer' : 'a number'}` };
      if (v < f.min || (f.max !== undefined && v > f.max)) return { error: `${f.label} must be in [${f.min}, ${f.max ?? '∞'}]` };
      return v;
    }
    case 'choice':
      return input.value;
    case 'flag':
      return (input as HTMLInputElement).checked;
  }
}

/**
 * Called each time the algorithm's fields are drawn, with the algorithm, its inputs by key and
 * the box under them (help with a field goes there), and the form's seed and backend inputs.
 */
export type FieldsShown = (id: AlgorithmId, inputs: ReadonlyMap<string, HTMLInputElement | HTMLSelectElement>, helpBox: HTMLElement, form: { seed: HTMLInputElement; backend: HTMLSelectElement }) => void;

export function renderRunForm(box: HTMLElement, onFields?: FieldsShown): RunForm {
  const algorithm = h('select', { id: 'algorithm' }, ...ALGORITHMS.map((a) => h('option', { value: a.id }, a.label)));
  const fieldsBox = h('div', { class: 'fields' });
  // The workflow's defaults: k chosen (k = 'auto') in kMin..kMax, the same seed as the CLI.
  const chooseK = h('input', { id: 'choose-k', type: 'checkbox', checked: WORKFLOW_DEFAULTS.k.value === 'auto' });
  const kMin = h('input', { id: 'k-min', 'aria-label': 'smallest k', type: 'number', min: 1, step: 1, value: WORKFLOW_DEFAULTS.kMin.value });
  const kMax = h('input', { id: 'k-max', 'aria-label': 'largest k', type: 'number', min: 1, step: 1, value: WORKFLOW_DEFAULTS.kMax.value });
  const chooseKBox = h('div', { class: 'fields' }, h('label', {}, chooseK, ' let it choose k, from '), kMin, h('span', {}, ' to '), kMax);
  const seed = h('input', { id: 'seed', type: 'number', step: 1, value: WORKFLOW_DEFAULTS.seed.value });
  const backend = h('select', { id: 'backend' }, ...BACKENDS.map(([v, label]) => h('option', { value: v }, label)));
  let inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const helpBox = h('div', { class: 'field-help' });

  const showFields = (): void => {
    const spec = algorithmSpec(algorithm.value as AlgorithmId);
    inputs = new Map(spec.fields.map((f) => [f.key, fieldInput(f)]));
    fieldsBox.replaceChildren(...spec.fields.map((f) => h('label', { title: f.help }, `${f.label} `, inputs.get(f.key) as HTMLElement)));
    helpBox.replaceChildren();
    onFields?.(spec.id, inputs, helpBox, { seed, backend });
    // Not `hidden`: the .fields rule's display:flex would override it.
    chooseKBox.style.display = spec.choosesK ? '' : 'none';
    syncK();
  };
  // While k is chosen, the segments field is not used: shown disabled, not silently ignored.
  const syncK = (): void => {
    const k = inputs.get('k');
    if (k !== undefined) k.disabled = algorithmSpec(algorithm.value as AlgorithmId).choosesK && chooseK.checked;
  };
  chooseK.addEventListener('change', syncK);
  algorithm.addEventListener('change', showFields);
  showFields();
  box.replaceChildren(
    h('div', { class: 'fields' }, h('label', {}, 'algorithm ', algorithm), h('label', {}, 'seed ', seed), h('label', {}, 'backend ', backend)),
    fieldsBox,
    helpBox,
    chooseKBox,
  );

  return {
    request(schema, runId) {
      const id = algorithm.value as AlgorithmId;
      const spec = algorithmSpec(id);
      const settings: Settings = {};
      for (const f of spec.fields) {
        const v = readField(f, inputs.get(f.key) as HTMLInputElement);
        if (typeof v === 'object' && v !== null) return v.error;
        settings[f.key] = v;
      }
      const s = Number(seed.value);
      if (!Number.isInteger(s)) return 'seed must be an integer';
      let range: RunRequest['chooseK'] = null;
      if (spec.choosesK && chooseK.checked) {
        const lo = Number(kMin.value);
        const hi = Number(kMax.value);
        if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo) return 'the range of k must be integers with 1 ≤ from ≤ to';
        range = { kMin: lo, kMax: hi };
      }
      return { runId, algorithm: id, settings, chooseK: range, backend: backend.value as BackendChoice, seed: s, schema };
    },
  };
}
