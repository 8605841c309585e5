// SPDX-License-Identifier: MIT
/**
 * Number formatting for the report, independent of the machine's locale so that the same input
 * gives the same file everywhere.
 */

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A number for a table cell: integers with thousands separators (`12,345`), other values with
 * 4 significant digits (`0.04213`, `3.142`, `1,234`), `n/a` for NaN or null.
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const sign = value < 0 ? '−' : '';
  const abs = Math.abs(value);
  if (Number.isInteger(abs) || abs >= 1000) return sign + groupThousands(Math.round(abs).toFixed(0));
  if (abs === 0) return '0';
  if (abs < 1e-4) return sign + abs.toExponential(2);
  const text = abs.toPrecision(4);
  return sign + (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
}

/** A share in [0, 1] as a percentage with one decimal: `0.1234` → `12.3 %`. */
export function formatShare(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : 'n/a';
}

/** A signed value with two decimals, for standardised differences: `+0.85`, `−1.20`. */
export function formatSigned(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const text = Math.abs(value).toFixed(2);
  if (Number(text) === 0) return '0.00';
  return (value < 0 ? '−' : '+') + text;
}

/** A ratio such as a lift: `×1.85`. */
export function formatLift(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `×${value.toFixed(2)}`;
}
