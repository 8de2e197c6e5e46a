/**
 * A defensive XML reader for the small documents of SIP presence (dialog-info, PIDF).
 *
 * Documents come from the network, so everything here assumes hostile input: the text is checked for size,
 * forbidden constructs (DTDs, entity declarations), nesting depth and element count in one linear pass before
 * fast-xml-parser sees it; names are then resolved against their namespaces and character references are decoded by
 * this module, never by the library. Failures are {@link CentrexError}s with code `invalid-xml`.
 *
 * @packageDocumentation
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CentrexError } from '../errors.js';

/** Limits applied to every presence document before and while it is parsed. */
export interface PresenceDocumentLimits {
  /** Largest accepted document, in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Deepest accepted element nesting; the root element is depth 1. */
  readonly maxDepth: number;
  /** Most elements accepted in one document. */
  readonly maxElements: number;
}

/**
 * The default {@link PresenceDocumentLimits}: 256 KiB, 32 levels, 10 000 elements.
 *
 * Real dialog-info and PIDF bodies are a few KiB and about six levels deep; the defaults leave room for large
 * resource lists while keeping the cost of a hostile document small.
 */
export const PRESENCE_DOCUMENT_LIMITS: PresenceDocumentLimits = Object.freeze({
  maxBytes: 256 * 1024,
  maxDepth: 32,
  maxElements: 10_000,
});

/**
 * The largest `maxDepth` a caller may ask for. The element tree is built recursively, and this bound keeps the
 * recursion far from any JavaScript engine's stack limit.
 */
export const MAX_PRESENCE_DOCUMENT_DEPTH = 1000;

/** Options of the presence document parsers: any limit given here replaces the default of {@link PRESENCE_DOCUMENT_LIMITS}. */
export type PresenceParseOptions = Readonly<Partial<PresenceDocumentLimits>>;

/** An element of a parsed document with its namespace resolved. */
export interface XmlElement {
  /** The namespace URI of the element; `''` when it has none. */
  readonly namespace: string;
  /** The name without prefix. */
  readonly localName: string;
  /** Attribute values (references decoded), keyed by {@link attributeKey}; namespace declarations are not included. */
  readonly attributes: ReadonlyMap<string, string>;
  /** The child elements in document order. */
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA, not that of its children), references decoded. */
  readonly text: string;
}

/** The namespace bound to the `xml` prefix by the XML specification (for `xml:lang`). */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** The key of an attribute in {@link XmlElement.attributes}: the local name, or `{namespace}local` when namespaced. */
export function attributeKey(localName: string, namespace = ''): string {
  return namespace === '' ? localName : `{${namespace}}${localName}`;
}

/** The value of an attribute, or `undefined` when the element does not have it. */
export function attributeOf(element: XmlElement, localName: string, namespace = ''): string | undefined {
  return element.attributes.get(attributeKey(localName, namespace));
}

/** The child elements with the given namespace and local name. */
export function childrenNamed(element: XmlElement, namespace: string, localName: string): XmlElement[] {
  return element.children.filter((child) => child.namespace === namespace && child.localName === localName);
}

/** The first child element with the given namespace and local name, if any. */
export function childNamed(element: XmlElement, namespace: string, localName: string): XmlElement | undefined {
  return element.children.find((child) => child.namespace === namespace && child.localName === localName);
}

/**
 * Shortens text taken from a document before it goes into an error message, so that a hostile document cannot put
 * kilobytes of its own content into logs.
 */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Throws `invalid-xml` with a reason code in the details. */
function fail(reason: string, message: string, extra: Readonly<Record<string, unknown>> = {}, cause?: unknown): never {
  throw new CentrexError('invalid-xml', message, {
    details: { reason, ...extra },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Merges caller limits over the defaults, rejecting limits that are not positive integers. */
export function resolveLimits(options: PresenceParseOptions | undefined): PresenceDocumentLimits {
  if (options === undefined) return PRESENCE_DOCUMENT_LIMITS;
  if (options === null || typeof options !== 'object') {
    throw new CentrexError('invalid-argument', 'Pass the parse options as an object, e.g. { maxBytes: 65536 }.', {
      details: { field: 'options' },
    });
  }
  const limits = { ...PRESENCE_DOCUMENT_LIMITS };
  for (const key of ['maxBytes', 'maxDepth', 'maxElements'] as const) {
    const value: unknown = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new CentrexError('invalid-argument', `The limit ${key} must be a positive whole number.`, {
        details: { field: key, value },
      });
    }
    if (key === 'maxDepth' && value > MAX_PRESENCE_DOCUMENT_DEPTH) {
      throw new CentrexError('invalid-argument', `The limit maxDepth can be at most ${MAX_PRESENCE_DOCUMENT_DEPTH}.`, {
        details: { field: key, value },
      });
    }
    limits[key] = value;
  }
  return limits;
}

/** Counts the UTF-8 bytes of a string without allocating an encoded copy. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Rejects input that is not a string or is larger than `maxBytes` (UTF-8).
 *
 * @param kind - the document kind, for messages (e.g. `'dialog-info'`)
 */
export function checkInputSize(input: unknown, maxBytes: number, kind: string): asserts input is string {
  if (typeof input !== 'string') {
    throw new CentrexError('invalid-argument', `Pass the ${kind} document as a string (the SIP message body).`, {
      details: { field: 'document', type: input === null ? 'null' : typeof input },
    });
  }
  // A UTF-8 encoding is never shorter than the UTF-16 length, so this cheap test rejects huge input before counting.
  if (input.length > maxBytes || utf8ByteLength(input) > maxBytes) {
    fail('too-large', `The ${kind} document is larger than ${maxBytes} bytes; raise maxBytes only if such documents are legitimate.`, {
      maxBytes,
    });
  }
}

// Characters XML 1.0 forbids anywhere in a document (controls, lone surrogates, U+FFFE/U+FFFF).
const FORBIDDEN_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NON_WHITESPACE = /[^ \t\n]/;

/**
 * One linear pass over the text that enforces what fast-xml-parser does not: no DTD or other markup declaration,
 * the depth and element limits, exactly one root element with nothing but whitespace, comments and processing
 * instructions around it, no `<` inside attribute values and no `]]>` in text.
 */
function scanStructure(text: string, limits: PresenceDocumentLimits): void {
  const length = text.length;
  let index = 0;
  let elements = 0;
  let rootSeen = false;
  // Names of the open elements; never longer than maxDepth.
  const open: string[] = [];
  while (index < length) {
    const start = text.indexOf('<', index);
    const textEnd = start < 0 ? length : start;
    if (textEnd > index) {
      const segment = text.slice(index, textEnd);
      if (open.length === 0 && NON_WHITESPACE.test(segment)) fail('text-outside-root', 'The document has text outside its root element.');
      if (segment.includes(']]>')) fail('not-well-formed', 'The document contains "]]>" in text.');
    }
    if (start < 0) break;
    if (text.startsWith('<!--', start)) {
      index = skipPast(text, '-->', start + 4, 'an unterminated comment');
    } else if (text.startsWith('<![CDATA[', start)) {
      if (open.length === 0) fail('text-outside-root', 'The document has a CDATA section outside its root element.');
      index = skipPast(text, ']]>', start + 9, 'an unterminated CDATA section');
    } else if (text.startsWith('<?', start)) {
      index = skipPast(text, '?>', start + 2, 'an unterminated processing instruction');
    } else if (text.charCodeAt(start + 1) === 0x21 /* ! */) {
      // <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST: SIP presence documents never need a DTD, and refusing them outright
      // makes entity expansion attacks (billion laughs, external entities) impossible instead of merely limited.
      fail('dtd-forbidden', 'The document contains a DOCTYPE or other markup declaration, which presence documents never need.');
    } else if (text.charCodeAt(start + 1) === 0x2f /* / */) {
      const close = skipPast(text, '>', start + 2, 'an unterminated end tag');
      const name = text.slice(start + 2, close - 1).trimEnd();
      const expected = open.pop();
      if (expected === undefined) fail('not-well-formed', `The document closes </${clip(name)}>, which was never opened.`);
      if (name !== expected) fail('not-well-formed', `The document closes </${clip(name)}> where </${clip(expected)}> was expected.`);
      index = close;
    } else {
      if (open.length === 0 && rootSeen) fail('not-well-formed', 'The document has more than one root element.');
      const close = endOfStartTag(text, start + 1);
      elements++;
      if (elements > limits.maxElements) {
        fail('too-many-elements', `The document has more than ${limits.maxElements} elements.`, { maxElements: limits.maxElements });
      }
      rootSeen = true;
      if (text.charCodeAt(close - 1) !== 0x2f /* / */) {
        if (open.length >= limits.maxDepth) {
          fail('too-deep', `The document nests elements deeper than ${limits.maxDepth} levels.`, { maxDepth: limits.maxDepth });
        }
        open.push(startTagName(text, start + 1, close));
      }
      index = close + 1;
    }
  }
  if (!rootSeen) fail('no-root', 'The document has no root element.');
  if (open.length > 0) fail('truncated', `The document ends before </${clip(open[open.length - 1] ?? '')}>; it may be truncated.`);
}

/** The name of a start tag: everything up to the first blank, `/` or the closing `>`. */
function startTagName(text: string, from: number, close: number): string {
  let end = from;
  while (end < close) {
    const code = text.charCodeAt(end);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x2f) break;
    end++;
  }
  return text.slice(from, end);
}

/** The index just after the next `terminator` at or after `from`. */
function skipPast(text: string, terminator: string, from: number, what: string): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) fail('truncated', `The document ends inside ${what}; it may be truncated.`);
  return at + terminator.length;
}

/** The index of the `>` that ends a start tag, skipping quoted attribute values. */
function endOfStartTag(text: string, from: number): number {
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) quote = 0;
      else if (code === 0x3c /* < */) fail('not-well-formed', 'An attribute value contains "<".');
    } else if (code === 0x22 || code === 0x27) quote = code;
    else if (code === 0x3e /* > */) return i;
    else if (code === 0x3c) fail('not-well-formed', 'A start tag is not closed before the next "<".');
  }
  return fail('truncated', 'The document ends inside a start tag; it may be truncated.');
}

// The parser's options; its own nesting limit is set per call to the caller's maxDepth (already enforced above).
const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // References are decoded by decodeReferences(), which knows only the five predefined entities: nothing the document
  // says can define more.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
} as const;

/** A node of fast-xml-parser's `preserveOrder` output. */
type OrderedNode = Record<string, unknown>;

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));|&/g;

/** Decodes character and predefined entity references; anything else after `&` is not well-formed. */
function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(REFERENCE, (match, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? '';
    if (hex === undefined && decimal === undefined) {
      return fail('undeclared-entity', 'The document uses "&" that is not a character reference or one of &lt; &gt; &amp; &quot; &apos;.', {
        near: match,
      });
    }
    const code = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal ?? '', 10);
    if (code > 0x10ffff) fail('invalid-character', 'The document references a character beyond Unicode.');
    const character = String.fromCodePoint(code);
    if (FORBIDDEN_CHARACTER.test(character)) fail('invalid-character', 'The document references a character XML does not allow.');
    return character;
  });
}

/** Normalizes an attribute value as XML requires (literal whitespace becomes a space) and decodes its references. */
function attributeValue(raw: string): string {
  return decodeReferences(raw.replace(/[\t\n]/g, ' '));
}

/** Splits a qualified name into prefix and local part. */
function splitName(name: string): readonly [string, string] {
  const colon = name.indexOf(':');
  if (colon < 0) return ['', name];
  const prefix = name.slice(0, colon);
  const local = name.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':')) fail('bad-name', `The name "${clip(name)}" is not a valid qualified name.`);
  return [prefix, local];
}

/** Builds the namespaced element tree from one element node, resolving prefixes through `scope`. */
function toElement(node: OrderedNode, scope: ReadonlyMap<string, string>): XmlElement {
  const qualified = Object.keys(node).find((key) => key !== ':@');
  if (qualified === undefined) fail('not-well-formed', 'The document has an element without a name.');
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;

  // Namespace declarations first: they apply to the element's own name and attributes.
  let inScope = scope;
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const uri = attributeValue(value);
    const prefix = name === 'xmlns' ? '' : name.slice(6);
    if (prefix === 'xml' ? uri !== XML_NAMESPACE : uri === XML_NAMESPACE || uri === XMLNS_NAMESPACE || prefix === 'xmlns') {
      fail('bad-namespace', `The namespace declaration ${clip(name)}="${clip(uri)}" is not allowed.`);
    }
    if (prefix !== '' && uri === '') fail('bad-namespace', `The prefix "${clip(prefix)}" cannot be bound to an empty namespace.`);
    if (inScope === scope) inScope = new Map(scope);
    (inScope as Map<string, string>).set(prefix, uri);
  }

  const resolve = (prefix: string, name: string): string => {
    const uri = inScope.get(prefix);
    if (uri === undefined) fail('undeclared-prefix', `The prefix of "${clip(name)}" is not declared.`, { prefix: clip(prefix) });
    return uri;
  };
  const [prefix, localName] = splitName(qualified);
  const namespace = prefix === '' ? (inScope.get('') ?? '') : resolve(prefix, qualified);

  const attributes = new Map<string, string>();
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const [attributePrefix, attributeLocal] = splitName(name);
    // Unprefixed attributes have no namespace, whatever the default namespace is.
    const key = attributeKey(attributeLocal, attributePrefix === '' ? '' : resolve(attributePrefix, name));
    if (attributes.has(key)) fail('duplicate-attribute', `The attribute "${clip(name)}" appears twice on one element.`);
    attributes.set(key, attributeValue(value));
  }

  const children: XmlElement[] = [];
  let text = '';
  const content = node[qualified];
  for (const child of Array.isArray(content) ? (content as OrderedNode[]) : []) {
    if (typeof child['#text'] === 'string') text += decodeReferences(child['#text']);
    else if (Array.isArray(child['#cdata'])) {
      // CDATA is literal: no references to decode.
      for (const part of child['#cdata'] as OrderedNode[]) if (typeof part['#text'] === 'string') text += part['#text'];
    } else children.push(toElement(child, inScope));
  }
  return { namespace, localName, attributes, children, text };
}

const INITIAL_SCOPE: ReadonlyMap<string, string> = new Map([['xml', XML_NAMESPACE]]);

/**
 * Parses a presence XML document into a namespaced element tree, enforcing the limits.
 *
 * @param input - the document text (anything else is `invalid-argument`)
 * @param options - limits replacing the {@link PRESENCE_DOCUMENT_LIMITS} defaults
 * @param kind - the document kind, for error messages
 * @returns the root element
 * @throws {@link CentrexError} `invalid-argument` for non-string input or bad options; `invalid-xml` when the
 *   document is too large, too deep, has too many elements, contains a DTD, or is not well-formed
 */
export function parseXmlDocument(input: unknown, options: PresenceParseOptions | undefined, kind: string): XmlElement {
  const limits = resolveLimits(options);
  checkInputSize(input, limits.maxBytes, kind);
  // XML treats CRLF and lone CR as LF; doing that first keeps every later check simple.
  const text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  if (FORBIDDEN_CHARACTER.test(text)) fail('invalid-character', 'The document contains a character XML does not allow.');
  scanStructure(text, limits);

  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    fail('not-well-formed', `The ${kind} document is not well-formed XML: ${msg}`, { line, column: col });
  }

  let nodes: unknown;
  try {
    nodes = new XMLParser({ ...PARSER_OPTIONS, maxNestedTags: limits.maxDepth + 1 }).parse(text);
  } catch (error) {
    fail('not-well-formed', `The ${kind} document could not be parsed.`, {}, error);
  }
  const roots = Array.isArray(nodes) ? (nodes as OrderedNode[]).filter((node) => !('#text' in node)) : [];
  if (roots.length !== 1) fail('no-root', `The ${kind} document must have exactly one root element.`);
  return toElement(roots[0] as OrderedNode, INITIAL_SCOPE);
}

/**
 * Checks that a parsed document has the expected root element and namespace.
 *
 * @throws {@link CentrexError} `unexpected-document` naming what was expected and what was found
 */
export function expectRoot(root: XmlElement, namespace: string, localName: string, kind: string): void {
  if (root.namespace !== namespace || root.localName !== localName) {
    throw new CentrexError(
      'unexpected-document',
      `Expected a ${kind} document (<${localName}> in namespace ${namespace}) but got <${clip(root.localName)}>` +
        (root.namespace === '' ? ' without a namespace.' : ` in namespace ${clip(root.namespace, 80)}.`),
      {
        details: {
          expected: { namespace, localName },
          found: { namespace: clip(root.namespace, 200), localName: clip(root.localName, 200) },
        },
      },
    );
  }
}

/** Throws `unexpected-document`: the document is XML of the right kind but breaks a rule of its format. */
export function invalidDocument(kind: string, message: string, details: Readonly<Record<string, unknown>> = {}): never {
  throw new CentrexError('unexpected-document', `The ${kind} document is not valid: ${message}`, { details });
}
