// SPDX-License-Identifier: MIT
/** Where the tests find the real datasets: byte-for-byte copies of ../shared/data in the repo. */
import { fileURLToPath } from 'node:url';

/** The folder, with a trailing slash. */
export const DATA_DIR = fileURLToPath(new URL('../fixtures/data/', import.meta.url));

/** The real data files, as named in ../shared/data/SOURCES.md. */
export const DATA_FILES = [
  'Mall_Customers.csv',
  'social_media_wellbeing_test.csv',
  'social_media_wellbeing_train.csv',
  'tiktok_profilesData.csv',
  'user_profiles_for_ads.csv',
] as const;

/** The path of one real data file. */
export function dataPath(name: (typeof DATA_FILES)[number]): string {
  return DATA_DIR + name;
}
