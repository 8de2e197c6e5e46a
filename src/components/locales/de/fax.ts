import type { LocaleTemplates } from './types.js';

/** German texts of the fax element(s), by message id. */
export const fax: LocaleTemplates = {};
