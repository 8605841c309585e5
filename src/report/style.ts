// SPDX-License-Identifier: MIT
/** The report's inline stylesheet: system fonts, a readable measure, tables and figures. */
import { FONT, GRID, INK, MUTED } from './theme.js';

export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: ${INK}; font: 15px/1.55 ${FONT}; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; background: #ffffff; min-height: 100vh; }
header { border-bottom: 1px solid ${GRID}; margin-bottom: 8px; padding-bottom: 12px; }
h1 { font-size: 28px; line-height: 1.25; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 36px 0 6px; padding-top: 8px; border-top: 1px solid ${GRID}; }
h3 { font-size: 16px; margin: 22px 0 6px; }
p { margin: 6px 0 10px; max-width: 75ch; }
.meta, .lede, figcaption, .note { color: ${MUTED}; }
.note { font-style: italic; padding: 8px 12px; border-left: 3px solid #cbd2d9; background: #f8f9fb; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; margin: 10px 0 0; font-size: 14px; }
a { color: #2b6cb0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 10px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 12px 4px 0; border-bottom: 1px solid ${GRID}; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #9aa5b1; font-weight: 600; }
td.num, th.num { text-align: right; padding-left: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 8px; vertical-align: -1px; }
section.warning { margin: 18px 0 8px; padding: 4px 16px 8px; border: 2px solid #b7791f; border-radius: 6px; background: #fffaf0; }
section.warning h2 { border-top: none; margin-top: 8px; color: #7b341e; }
.structure { color: ${MUTED}; }
.badge.tentative { color: #7b341e; border-color: #b7791f; }
.badge { font-size: 11px; color: ${MUTED}; border: 1px solid #cbd2d9; border-radius: 8px; padding: 0 6px; margin-left: 6px; }
figure { margin: 10px 0 18px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; margin-top: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(460px, 100%), 1fr)); gap: 8px 24px; }
.grid figure h3 { margin-top: 6px; }
details { margin: 10px 0; border: 1px solid ${GRID}; border-radius: 6px; padding: 6px 14px; }
summary { cursor: pointer; font-weight: 600; font-size: 16px; padding: 4px 0; }
.table-scroll { max-width: 100%; overflow-x: auto; }
td.reason { max-width: 48ch; font-size: 13px; color: ${MUTED}; }
.tables { display: flex; flex-wrap: wrap; gap: 0 36px; }
footer { margin-top: 40px; font-size: 13px; color: ${MUTED}; }
@media (max-width: 600px) { main { padding: 16px 14px 48px; } h1 { font-size: 22px; } table { display: block; max-width: 100%; overflow-x: auto; } dl.facts { grid-template-columns: 1fr; gap: 0; } dl.facts dd { margin-bottom: 6px; } }
@media print { body { background: #ffffff; } main { padding: 0; } details { break-inside: avoid; } details::details-content { content-visibility: visible; } }
`;
