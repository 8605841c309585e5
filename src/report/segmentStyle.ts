// SPDX-License-Identifier: MIT
/**
 * How each segment is shown: the label charts use (its name, made unique) and its colour, looked
 * up by segment id. Built once per report so that every chart agrees.
 */
import { ParameterError } from '../errors.js';
import { NOISE_COLOR, segmentColor } from './colors.js';
import type { ReportSegment } from './types.js';

/** One segment's label and colour, and its position in the report's list. */
export interface SegmentStyle {
  id: number;
  /** The name, or `name (id)` when two segments share a name, or `segment id` when empty. */
  label: string;
  color: string;
  position: number;
}

/** Segment styles by id, with the labels and colours in list order for a chart's colour scale. */
export class SegmentStyles {
  private readonly byId = new Map<number, SegmentStyle>();
  readonly list: readonly SegmentStyle[];

  constructor(segments: readonly ReportSegment[], fn = 'renderReport') {
    const nameCount = new Map<string, number>();
    for (const s of segments) nameCount.set(s.name.trim(), (nameCount.get(s.name.trim()) ?? 0) + 1);
    this.list = segments.map((s, position) => {
      if (!Number.isFinite(s.id)) throw new ParameterError(fn, 'segments', `segments[${position}].id=${s.id} is not a number`);
      if (this.byId.has(s.id)) throw new ParameterError(fn, 'segments', `segment id ${s.id} appears twice in segments`);
      const name = s.name.trim();
      const label = name === '' ? `segment ${s.id}` : (nameCount.get(name) ?? 0) > 1 ? `${name} (${s.id})` : name;
      const style: SegmentStyle = { id: s.id, label, color: s.id < 0 ? NOISE_COLOR : segmentColor(position), position };
      this.byId.set(s.id, style);
      return style;
    });
  }

  /** The style of segment `id`; a ParameterError naming `argument` when the report has no such segment. */
  get(id: number, argument: string, fn = 'renderReport'): SegmentStyle {
    const style = this.byId.get(id);
    if (style === undefined) throw new ParameterError(fn, argument, `${argument} refers to segment ${id}, which is not in segments`);
    return style;
  }

  /** Labels in list order: the domain of a colour scale. */
  get labels(): string[] {
    return this.list.map((s) => s.label);
  }

  /** The colour of segment `id`, grey for an id not in the list. */
  colorOf(id: number): string {
    return this.byId.get(id)?.color ?? NOISE_COLOR;
  }

  /** Colours in list order: the range of a colour scale. */
  get colors(): string[] {
    return this.list.map((s) => s.color);
  }
}
