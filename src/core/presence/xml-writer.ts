/**
 * Writes the small XML documents of SIP presence with every text and attribute value escaped.
 *
 * The builders describe a document as plain {@link XmlNode} objects; {@link renderXmlDocument} turns them into text.
 * Values are checked for characters XML cannot carry, so a built document always parses again.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** An element to write: a qualified name, attributes in order, and either text or child elements. */
export interface XmlNode {
  /** The qualified name, e.g. `'dialog'` or `'rpid:busy'`. */
  readonly name: string;
  /** Attributes in the order they are written; `undefined` values are left out. */
  readonly attributes?: readonly (readonly [string, string | undefined])[];
  /** Child elements (ignored when {@link XmlNode.text} is given). */
  readonly children?: readonly XmlNode[];
  /** Character data of a leaf element. */
  readonly text?: string;
}

// Characters XML 1.0 cannot represent at all, not even as a character reference.
const UNREPRESENTABLE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Checks that a value can be written into an XML document.
 *
 * @param value - the value to write
 * @param field - the name of the field, for the error details
 * @throws {@link CentrexError} `invalid-argument` when the value is not a string or holds a control character, a
 *   lone surrogate or U+FFFE/U+FFFF
 */
export function checkXmlValue(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new CentrexError('invalid-argument', `The field ${field} must be a string.`, { details: { field } });
  }
  if (UNREPRESENTABLE.test(value)) {
    throw new CentrexError('invalid-argument', `The field ${field} contains a character XML cannot carry (a control character or lone surrogate).`, {
      details: { field },
    });
  }
  return value;
}

/** Escapes character data: `&`, `<`, `>` become references, and CR a character reference so it survives parsing. */
export function escapeXmlText(value: string): string {
  return value.replace(/[&<>\r]/g, (character) => ESCAPES[character] ?? character);
}

/** Escapes an attribute value for double quotes; whitespace other than space becomes a reference so it survives attribute normalization. */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (character) => ESCAPES[character] ?? character);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Writes one element and its descendants, indented by `depth` levels. */
function renderNode(node: XmlNode, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  let open = `${indent}<${node.name}`;
  for (const [name, value] of node.attributes ?? []) {
    if (value !== undefined) open += ` ${name}="${escapeXmlAttribute(value)}"`;
  }
  if (node.text !== undefined && node.text !== '') {
    out.push(`${open}>${escapeXmlText(node.text)}</${node.name}>`);
  } else if (node.text === undefined && node.children !== undefined && node.children.length > 0) {
    out.push(`${open}>`);
    for (const child of node.children) renderNode(child, depth + 1, out);
    out.push(`${indent}</${node.name}>`);
  } else {
    out.push(`${open}/>`);
  }
}

/** Writes a whole document: the XML declaration, then the root element, indented two spaces per level. */
export function renderXmlDocument(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  renderNode(root, 0, out);
  return out.join('\n') + '\n';
}
