import type { LocaleModule } from '@lit/localize';

/**
 * Translations by message id: plain text, a `str` template with `${0}`-style placeholders for the original's
 * expressions, or an `html` template.
 */
export type LocaleTemplates = LocaleModule['templates'];
