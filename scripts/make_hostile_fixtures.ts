// SPDX-License-Identifier: MIT
/**
 * Writes the hostile input files of test/fixtures/hostile/ (issue 13: formatted numbers, decimal
 * commas, encodings). Deterministic (seeded), so the files and the values the tests check come
 * from this script: run `npx tsx scripts/make_hostile_fixtures.ts` and commit the files.
 *
 * - customers_dollars.csv: 300 customers in three groups (150, 100, 50) set apart by revenue (`"$1,234.56"`),
 *   discount (`12.5%`) and items bought (`"1,234"`); `visits` is pure noise (uniform 1..20, the
 *   same in every group).
 * - decimal_comma.csv: `;`-separated, decimal commas (`0,438`, `4,5`, `2.245,71`).
 * - euro.csv: `;`-separated, `€1.200,50` and `1.200,50 €`.
 * - accounting.csv: negatives in parentheses `(1,234)`, spaces around values.
 * - cp1252.csv, latin1.csv, utf16le.csv, utf16be.csv: the same small table in other encodings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/random.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'hostile');
mkdirSync(OUT, { recursive: true });

const dollars = (x: number): string => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

// customers_dollars.csv: the groups and their centres are the truth the tests check against
{
  const rng = new Random(13);
  const groups = [
    { revenue: 1000, discount: 5, items: 300 },
    { revenue: 5000, discount: 20, items: 1500 },
    { revenue: 9000, discount: 35, items: 2700 },
  ];
  const lines = ['customer_id,revenue,discount,items_bought,visits'];
  for (let i = 0; i < 300; i++) {
    // 150, 100 and 50 customers: the middle group is not at the population's mean, so it has a side
    const g = groups[[0, 0, 0, 1, 1, 2][i % 6]];
    const revenue = Math.round(g.revenue * (0.9 + 0.2 * rng.next()) * 100) / 100;
    const discount = Math.round((g.discount + (rng.next() - 0.5) * 2) * 10) / 10;
    const items = Math.round(g.items * (0.9 + 0.2 * rng.next()));
    const visits = 1 + rng.int(20);
    lines.push(`C${String(i + 1).padStart(4, '0')},"${dollars(revenue)}",${discount.toFixed(1)}%,"${items.toLocaleString('en-US')}",${visits}`);
  }
  writeFileSync(join(OUT, 'customers_dollars.csv'), lines.join('\n') + '\n');
}

// decimal_comma.csv: ratio 0,xxx; amount with '.' thousands groups; score with one decimal
{
  const rng = new Random(7);
  const lines = ['id;ratio;amount;score;city'];
  const cities = ['Lyon', 'Lille', 'Nantes'];
  for (let i = 0; i < 60; i++) {
    const ratio = (rng.int(1000) / 1000).toFixed(3).replace('.', ',');
    const cents = 100000 + rng.int(900000);
    const euros = Math.floor(cents / 100);
    const amount = `${euros.toLocaleString('de-DE')},${String(cents % 100).padStart(2, '0')}`;
    const score = `${1 + rng.int(9)},${rng.int(10)}`;
    lines.push([i + 1, ratio, amount, score, cities[i % 3]].join(';'));
  }
  // the values the tests quote
  lines.push([61, '0,438', '2.245,71', '4,5', 'Lyon'].join(';'));
  writeFileSync(join(OUT, 'decimal_comma.csv'), lines.join('\n') + '\n');
}

// euro.csv: euro amounts before and after the number
{
  const lines = ['client;solde;frais'];
  for (let i = 0; i < 30; i++) {
    const x = 1000 + i * 37.5;
    const t = x.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    lines.push([`c${i}`, i % 2 ? `€${t}` : `${t} €`, `${(i % 7) + 1},${i % 10}0 €`].join(';'));
  }
  lines.push(['c30', '€1.200,50', '2,50 €'].join(';'));
  writeFileSync(join(OUT, 'euro.csv'), lines.join('\n') + '\n');
}

// accounting.csv: parentheses for negatives, padded cells, one cell that does not fit
{
  const lines = ['account,balance,note'];
  for (let i = 0; i < 30; i++) {
    const x = (i - 10) * 1234;
    const t = Math.abs(x).toLocaleString('en-US');
    lines.push(`a${i},"${x < 0 ? ` (${t}) ` : ` ${t} `}",n${i % 3}`);
  }
  lines.push('a30,lots,n0');
  writeFileSync(join(OUT, 'accounting.csv'), lines.join('\n') + '\n');
}

// encodings: the same table, with letters outside ASCII
{
  const rows = ['name,city,spend', 'Zoë,Zürich,12.5', 'José,São Paulo,7', 'Chloé,Besançon,3.25', 'Œdipe,Málaga,4'];
  const text = rows.join('\r\n') + '\r\n';
  // windows-1252 and latin1 (ISO-8859-1) by hand: code points up to 0xFF as one byte, and
  // windows-1252's 0x80-0x9F letters (Œ is 0x8C there; latin1 has no Œ, so its file leaves that row out)
  const cp1252Extra: Record<string, number> = { 'Œ': 0x8c, 'œ': 0x9c, '€': 0x80, 'Š': 0x8a, 'š': 0x9a };
  const single = (s: string, extra: Record<string, number>): Uint8Array =>
    Uint8Array.from([...s].map((ch) => {
      const cp = ch.codePointAt(0)!;
      if (cp <= 0x7f || (cp >= 0xa0 && cp <= 0xff)) return cp;
      const b = extra[ch];
      if (b === undefined) throw new Error(`no single byte for ${ch}`);
      return b;
    }));
  writeFileSync(join(OUT, 'cp1252.csv'), single(text, cp1252Extra));
  writeFileSync(join(OUT, 'latin1.csv'), single(rows.slice(0, 4).join('\r\n') + '\r\n', {}));
  const utf16 = (s: string, bigEndian: boolean): Uint8Array => {
    const out = new Uint8Array(2 + 2 * s.length);
    out[0] = bigEndian ? 0xfe : 0xff;
    out[1] = bigEndian ? 0xff : 0xfe;
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      out[2 + 2 * i] = bigEndian ? u >> 8 : u & 0xff;
      out[3 + 2 * i] = bigEndian ? u & 0xff : u >> 8;
    }
    return out;
  };
  writeFileSync(join(OUT, 'utf16le.csv'), utf16(text, false));
  writeFileSync(join(OUT, 'utf16be.csv'), utf16(text, true));
}

console.log(`wrote the hostile fixtures into ${OUT}`);
