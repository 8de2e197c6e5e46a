import type { LocaleTemplates } from './types.js';

/** German texts of the provider element(s), by message id. */
export const provider: LocaleTemplates = {};
