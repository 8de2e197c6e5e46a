import type { LocaleTemplates } from './types.js';

/** German texts of the contacts element(s), by message id. */
export const contacts: LocaleTemplates = {};
