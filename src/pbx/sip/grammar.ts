/**
 * sip.js's generated (peggy) SIP grammar, loaded so that its bytecode table is built once per process.
 *
 * The generated `peg$parse` decodes its ~1000-entry bytecode table from strings on every call, and sip.js calls it
 * once per header, so a plain `Grammar.parse` spends most of its time rebuilding the same table. The table is a local
 * of `peg$parse`, out of reach from outside, so this module reads the installed grammar file, hoists that one array
 * into a lazily filled variable of the enclosing scope and evaluates the result. node_modules is never written to; if
 * the file does not have the expected shape (another sip.js version), the stock, uncached `Grammar.parse` is used
 * and {@link grammarCacheActive} says so.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import { Grammar, NameAddrHeader, URI } from 'sip.js/lib/grammar/index.js';

/** A start rule of sip.js's SIP grammar that this package uses. */
export type GrammarRule =
  | 'Request_Response'
  | 'SIP_URI'
  | 'Via'
  | 'From'
  | 'To'
  | 'Call_ID'
  | 'CSeq'
  | 'Max_Forwards'
  | 'Contact'
  | 'Record_Route'
  | 'Content_Length'
  | 'Content_Type'
  | 'Name_Addr_Header';

/** Parses `input` with one start rule; `-1` when it does not match (sip.js's own convention). */
export type GrammarParse = (input: string, rule: GrammarRule) => unknown;

interface PegOptions {
  startRule: string;
  data?: unknown;
}
type PegParse = (input: string, options: PegOptions) => unknown;

const GRAMMAR_MODULE = 'sip.js/lib/grammar/pegjs/dist/grammar.js';
const TABLE_START = 'const peg$bytecode = [';
const TABLE_END = '\n    ];';
const EXPECTED_IMPORTS = [
  'import { NameAddrHeader } from "../../name-addr-header.js";',
  'import { URI } from "../../uri.js";',
];

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/**
 * Rewrites the generated grammar module into a function body returning `peg$parse`, with the bytecode table built
 * on first use only. Returns undefined when the source is not shaped as expected.
 */
export function rewriteGrammarSource(source: string): string | undefined {
  if (countOf(source, TABLE_START) !== 1) return undefined;
  if (countOf(source, 'export const parse = peg$parse;') !== 1) return undefined;
  if (countOf(source, 'export class SyntaxError') !== 1) return undefined;
  for (const line of EXPECTED_IMPORTS) if (countOf(source, line) !== 1) return undefined;
  // Any other import or export would be lost by the rewrite below.
  if (countOf(source, '\nimport ') + (source.startsWith('import ') ? 1 : 0) !== EXPECTED_IMPORTS.length) return undefined;
  if (countOf(source, 'export ') !== 2) return undefined;

  const start = source.indexOf(TABLE_START);
  const end = source.indexOf(TABLE_END, start);
  if (end < 0) return undefined;
  let body =
    source.slice(0, start) +
    'const peg$bytecode = peg$bytecodeCache || (peg$bytecodeCache = [' +
    source.slice(start + TABLE_START.length, end) +
    '\n    ]);' +
    source.slice(end + TABLE_END.length);
  for (const line of EXPECTED_IMPORTS) body = body.replace(line, '');
  body = body.replace('export class SyntaxError', 'class SyntaxError');
  body = body.replace('export const parse = peg$parse;', 'return peg$parse;');
  return `(function (NameAddrHeader, URI) {\n"use strict";\nlet peg$bytecodeCache;\n${body}\n})`;
}

function loadCachedParser(): PegParse | undefined {
  try {
    const path = fileURLToPath(import.meta.resolve(GRAMMAR_MODULE));
    const rewritten = rewriteGrammarSource(readFileSync(path, 'utf8'));
    if (rewritten === undefined) return undefined;
    const factory = runInThisContext(rewritten, { filename: `${path} (bytecode cached)` }) as (
      nameAddr: typeof NameAddrHeader,
      uri: typeof URI,
    ) => PegParse;
    return factory(NameAddrHeader, URI);
  } catch {
    return undefined;
  }
}

const cachedParser = loadCachedParser();

/** Whether {@link parseGrammar} runs with the cached bytecode table (false: fell back to stock sip.js). */
export const grammarCacheActive: boolean = cachedParser !== undefined;

/** sip.js's stock `Grammar.parse`, which rebuilds the bytecode table on every call (kept for the benchmark). */
export const parseGrammarUncached: GrammarParse = (input, rule) => Grammar.parse(input, rule) as unknown;

/**
 * Parses `input` with one rule of sip.js's grammar, using the cached table when available.
 * Returns what sip.js's `Grammar.parse` returns: the rule's data, or `-1` when the input does not match.
 */
export const parseGrammar: GrammarParse =
  cachedParser === undefined
    ? parseGrammarUncached
    : (input, rule) => {
        // Same contract as sip.js's Grammar.parse: actions write their result into options.data.
        const options: PegOptions = { startRule: rule };
        try {
          cachedParser(input, options);
        } catch {
          return -1;
        }
        return options.data;
      };
