// SPDX-License-Identifier: MIT
/** Readable column names and feature phrases. */
import { describe, expect, it } from 'vitest';
import type { DistinctiveFeature } from '../../src/profile/distinctive.js';
import { featurePhrase, readableColumn } from '../../src/profile/readable.js';

describe('readableColumn', () => {
  it.each([
    ['Click-Through Rates (CTR)', 'CTR'],
    ['Time Spent Online (hrs/weekend)', 'time spent online (weekend)'],
    ['Annual Income (k$)', 'annual income'],
    ['Spending Score (1-100)', 'spending score'],
    ['Ad Interaction Time (sec)', 'ad interaction time'],
    ['likes_receieved', 'likes receieved'],
    ['followerCount', 'followers'],
    ['videos_count', 'videos'],
    ['NumStorePurchases', 'store purchases'],
    ['NumWebVisitsMonth', 'web visits month'],
    ['MntWines', 'spending on wines'],
    ['MntMeatProducts', 'spending on meat products'],
    ['n_orders', 'orders'],
    ['TOTAL_SPEND', 'total spend'],
    ['CUSTOMER_ID', 'customer ID'],
    ['AGE', 'age'],
    ['HTMLVersion', 'HTML version'],
    ['Count', 'count'],
    ['num', 'num'],
    ['Likes and Reactions', 'likes and reactions'],
  ])('%s → %s', (name, want) => {
    expect(readableColumn(name)).toBe(want);
  });
});

describe('featurePhrase', () => {
  const numeric = (kind: 'number' | 'count', stdDiff: number): DistinctiveFeature => ({
    type: 'numeric',
    column: 'Likes and Reactions',
    kind,
    stdDiff,
    direction: stdDiff > 0 ? 'high' : 'low',
    mean: 0,
    score: Math.abs(stdDiff),
    phrase: '',
  });
  const value = (kind: 'category' | 'flag' | 'range' | 'list', column: string, v: string, share: number): DistinctiveFeature => ({
    type: kind === 'list' ? 'item' : 'value',
    column,
    kind,
    value: v,
    count: 10,
    share,
    lift: 2,
    score: 1,
    phrase: '',
  });

  it('words a numeric direction, with "very" from one std', () => {
    expect(featurePhrase(numeric('number', 0.5))).toBe('high likes and reactions');
    expect(featurePhrase(numeric('number', -1.2))).toBe('very low likes and reactions');
    expect(featurePhrase(numeric('count', 1))).toBe('very many likes and reactions');
    expect(featurePhrase(numeric('count', -0.3))).toBe('few likes and reactions');
  });

  it('words categories, ranges, flags and list items', () => {
    expect(featurePhrase(value('category', 'Location', 'Urban', 0.6))).toBe('mostly Urban');
    expect(featurePhrase(value('category', 'Location', 'Urban', 0.4))).toBe('often Urban');
    expect(featurePhrase(value('category', 'Plan', '3', 0.6))).toBe('mostly plan 3');
    expect(featurePhrase(value('range', 'Age', '25-34', 0.6))).toBe('mostly age 25-34');
    expect(featurePhrase(value('flag', 'is_verified', 'true', 0.9))).toBe('is verified');
    expect(featurePhrase(value('flag', 'Subscribed', 'No', 0.9))).toBe('not subscribed');
    expect(featurePhrase(value('list', 'Top Interests', 'Gaming', 0.3))).toBe('into Gaming');
  });
});
