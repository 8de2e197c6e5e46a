import type { LocaleTemplates } from './types.js';

/** German texts of the favorites element(s), by message id. */
export const favorites: LocaleTemplates = {};
