import type { LocaleTemplates } from './types.js';

/** German texts of the dialer element(s), by message id. */
export const dialer: LocaleTemplates = {};
