// SPDX-License-Identifier: MIT
/**
 * The selected segment: one state for the page. Every view that shows segments follows it (the
 * charts through a Vega signal, the tables through a class on their rows, the member table by
 * asking the worker for that segment's rows), and any of them changes it: a click on a segment
 * selects it, a second click or Escape clears it.
 */

/** A segment of the run shown: its id and the label its charts use (unique within the run). */
export interface SegmentRef {
  id: number;
  label: string;
}

type Listener = (selected: SegmentRef | null) => void;

interface Subscription {
  owner: Element;
  listener: Listener;
  /** Whether `owner` has been in the page: once it has left it, the subscription ends. */
  seen: boolean;
}

/** The selected segment of the run shown, and the views that follow it. */
export class SegmentSelection {
  private runId: number | null = null;
  private segments: readonly SegmentRef[] = [];
  private current: number | null = null;
  private subscriptions: Subscription[] = [];

  /**
   * The segments of the run now shown. Another run clears the selection; the same run drawn again
   * (after a rename) keeps it, under the new label.
   */
  use(runId: number, segments: readonly SegmentRef[]): void {
    const sameRun = runId === this.runId;
    this.runId = runId;
    this.segments = segments.map((s) => ({ id: s.id, label: s.label }));
    if (!sameRun || (this.current !== null && !this.segments.some((s) => s.id === this.current))) this.current = null;
    this.notify();
  }

  /** The selected segment, or null when none is. */
  get selected(): SegmentRef | null {
    return this.segments.find((s) => s.id === this.current) ?? null;
  }

  /** The segment a chart labels `label`, if the run has one. */
  byLabel(label: unknown): SegmentRef | undefined {
    return this.segments.find((s) => s.label === label);
  }

  /** The label of segment `id` (`segment id` for an id the run does not have). */
  labelOf(id: number): string {
    return this.segments.find((s) => s.id === id)?.label ?? `segment ${id}`;
  }

  /** Selects segment `id` (null: none). An id the run does not have selects none. */
  select(id: number | null): void {
    const next = id !== null && this.segments.some((s) => s.id === id) ? id : null;
    if (next === this.current) return;
    this.current = next;
    this.notify();
  }

  /** Selects segment `id`, or clears the selection when it is the one selected. */
  toggle(id: number): void {
    this.select(this.current === id ? null : id);
  }

  /**
   * Calls `listener` after each change, for as long as `owner` is in the page: a view that was
   * replaced (another run, a rename) stops listening at the next change.
   */
  subscribe(owner: Element, listener: Listener): void {
    this.subscriptions.push({ owner, listener, seen: owner.isConnected });
  }

  private notify(): void {
    const selected = this.selected;
    const kept: Subscription[] = [];
    for (const sub of this.subscriptions) {
      if (sub.owner.isConnected) sub.seen = true;
      else if (sub.seen) continue;
      kept.push(sub);
    }
    this.subscriptions = kept;
    for (const sub of kept) if (sub.owner.isConnected) sub.listener(selected);
  }
}

/** The page's one selection. */
export const selection = new SegmentSelection();

if (typeof document !== 'undefined') {
  document.addEventListener('keydown', (e) => {
    // Escape in a field belongs to the field (a search box clears itself).
    if (e.key === 'Escape' && selection.selected !== null && !(e.target instanceof Element && e.target.closest('input, textarea, select') !== null)) selection.select(null);
  });
}

/**
 * Makes the elements `selector` of a table (by default its rows `tr[data-segment]`) select their
 * segment on click (or Enter, or Space, when focused) and show the selection: the selected one
 * marked, the others dimmed. Clicks in a field or a button inside (a segment's name being
 * edited) are left alone.
 */
export function linkSegmentRows(table: HTMLElement, selector = 'tr[data-segment]'): void {
  const rows = Array.from(table.querySelectorAll<HTMLElement>(selector));
  for (const row of rows) {
    const id = Number(row.dataset.segment);
    row.classList.add('selectable');
    row.tabIndex = 0;
    row.title = 'Click to show this segment in every chart and list its rows';
    row.addEventListener('click', (e) => {
      if ((e.target as Element).closest('input, button, select, a') === null) selection.toggle(id);
    });
    row.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target === row) {
        e.preventDefault();
        selection.toggle(id);
      }
    });
  }
  const show = (selected: SegmentRef | null): void => {
    for (const row of rows) {
      const on = selected !== null && Number(row.dataset.segment) === selected.id;
      row.classList.toggle('selected', on);
      row.classList.toggle('dimmed', selected !== null && !on);
      row.setAttribute('aria-current', String(on));
    }
  };
  show(selection.selected);
  selection.subscribe(table, show);
}
