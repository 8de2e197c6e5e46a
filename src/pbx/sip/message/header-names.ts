/** SIP header names: compact forms, canonical spelling and which headers may carry comma-separated lists. */

// RFC 3261 §7.3.3 plus the compact forms registered by later RFCs (IANA "Header Fields" registry).
const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

// Names whose conventional spelling is not plain "Word-Word" capitalisation, or that we want spelled exactly.
const KNOWN = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info', 'Event',
  'Expires', 'Flow-Timer', 'From', 'Identity', 'Identity-Info', 'In-Reply-To', 'Max-Forwards', 'Min-Expires',
  'Min-SE', 'MIME-Version', 'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route', 'Refer-To',
  'Referred-By', 'Reject-Contact', 'Replaces', 'Reply-To', 'Request-Disposition', 'Require', 'Retry-After', 'Route',
  'RSeq', 'Server', 'Service-Route', 'Session-Expires', 'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State',
  'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
];
const CANONICAL = new Map(KNOWN.map((name) => [name.toLowerCase(), name]));

// Headers whose ABNF is `value *(COMMA value)`: a comma at top level separates values. Everything else (notably
// the authentication headers, Date, and unknown extension headers) is kept as one value.
const LIST_HEADERS = new Set(
  [
    'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
    'Call-Info', 'Contact', 'Content-Encoding', 'Content-Language', 'Error-Info', 'In-Reply-To',
    'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Proxy-Require', 'Reason', 'Record-Route',
    'Reject-Contact', 'Request-Disposition', 'Require', 'Route', 'Service-Route', 'Supported', 'Unsupported', 'Via',
    'Warning',
  ].map((name) => name.toLowerCase()),
);

/** The lower-case key under which a header is stored: compact forms are expanded (`v` → `via`). */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  const long = COMPACT[lower];
  return long === undefined ? lower : long.toLowerCase();
}

/**
 * The spelling used when writing a header: the long form of compact names and the conventional spelling of known
 * headers; unknown extension headers keep the spelling they arrived with.
 */
export function canonicalHeaderName(name: string): string {
  const key = headerKey(name);
  return CANONICAL.get(key) ?? (COMPACT[name.toLowerCase()] === undefined ? name : key);
}

/** Whether the header's grammar allows several comma-separated values in one header line. */
export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}

/**
 * Splits a header value at commas that are outside quoted strings and angle brackets, trimming each part.
 * Empty parts are kept so that validation can reject values like `a,,b` where the grammar forbids them.
 */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') angle = true;
    else if (ch === '>') angle = false;
    else if (ch === ',' && !angle) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts;
}
