// The API key must never reach a message, a log line or a stored error. Every string that leaves
// a backend passes through a Redactor built with the key(s) in use; structured values (SDK log
// arguments, objects about to be logged) go through redactDeep first.

export type Redactor = (text: string) => string;

const MASK = '[redacted]';

/** Anthropic key shapes, redacted even when we were not told the value (e.g. echoed by a proxy). */
const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]{8,}/g;
/** A credential after an auth scheme anywhere in free text. */
const BEARER_PATTERN = /\b(Bearer\s+)[^\s"',;]+/gi;
const BASIC_PATTERN = /\b(Basic\s+)[A-Za-z0-9+/=._-]{4,}/gi;
/** `Authorization: <scheme> <value>` (and Proxy-Authorization): the scheme stays readable. */
const AUTH_HEADER_PATTERN = /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:([A-Za-z][A-Za-z0-9_-]*)\s+)?[^\s"',;]+/gi;
/** Header-style `name: value` / `name=value` for key-carrying headers. */
const KEY_HEADER_PATTERN = /\b((?:x-api-key|api-key|x-goog-api-key|x-auth-token|anthropic-api-key)["']?\s*[:=]\s*["']?)[^\s"',;]+/gi;
/** Query-string or form parameters that carry credentials: `?key=…`, `&api_key=…`, `token=…`. */
const PARAM_PATTERN =
  /(?<![A-Za-z0-9_-])((?:key|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token|id[_-]?token|token|auth|secret|client[_-]?secret|password|passwd|sig|signature|x-api-key)=)[^&#\s"',;]+/gi;
/** The same names as JSON properties: `"api_key": "…"` (escapes inside the value included). */
const JSON_PROPERTY_PATTERN =
  /("(?:key|api[_-]?key|apikey|x-api-key|access[_-]?token|refresh[_-]?token|auth[_-]?token|token|secret|client[_-]?secret|password|passwd|authorization)"\s*:\s*")(?:[^"\\]|\\.)*"/gi;
/** Userinfo in a URL: `scheme://user:password@host` keeps the user; `scheme://token@host` loses it all. */
const URL_USERINFO_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@[\]]+)(?::([^\s/?#@]*))?@/gi;

function hexClass(digit: string): string {
  return /[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit;
}

function hexPattern(code: number, width: number): string {
  return [...code.toString(16).padStart(width, '0')].map(hexClass).join('');
}

/**
 * A regex matching `secret` however a layer on the way escaped it, one character at a time: as
 * itself, JSON's `\/`, a `\uXXXX` escape (any case) or `%XX` URL encoding, in any mix.
 */
function escapedForms(secret: string): RegExp {
  const parts = [...secret].map((ch) => {
    const code = ch.codePointAt(0) as number;
    const alts = [ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')];
    if (code <= 0xffff) alts.push(`\\\\u${hexPattern(code, 4)}`);
    if (code < 0x80) alts.push(`%${hexPattern(code, 2)}`);
    if (ch === '/') alts.push('\\\\/');
    return `(?:${alts.join('|')})`;
  });
  return new RegExp(parts.join(''), 'g');
}

function redactUserinfo(_m: string, scheme: string, user: string, password: string | undefined): string {
  return password === undefined ? `${scheme}${MASK}@` : `${scheme}${user}:${MASK}@`;
}

/** The shape rules: credentials recognised by where they stand, whatever their value. */
function redactShapes(text: string): string {
  return text
    .replace(KEY_PATTERN, MASK)
    .replace(AUTH_HEADER_PATTERN, (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ''}${MASK}`)
    .replace(BEARER_PATTERN, `$1${MASK}`)
    .replace(BASIC_PATTERN, `$1${MASK}`)
    .replace(KEY_HEADER_PATTERN, `$1${MASK}`)
    .replace(JSON_PROPERTY_PATTERN, `$1${MASK}"`)
    .replace(PARAM_PATTERN, `$1${MASK}`)
    .replace(URL_USERINFO_PATTERN, redactUserinfo);
}

export function createRedactor(secrets: Array<string | undefined | null>): Redactor {
  // Longest first so a key that contains another secret is removed whole.
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
  const forms = known.map(escapedForms);
  return (text: string) => {
    let out = String(text);
    for (const s of known) out = out.split(s).join(MASK);
    for (const re of forms) out = out.replace(re, MASK);
    return redactShapes(out);
  };
}

/** Property names whose values are credentials, whatever the value looks like. */
const SENSITIVE_NAME =
  /^(?:authorization|proxy-authorization|x-api-key|api[-_]?key|apikey|anthropic-api-key|x-auth-token|auth[-_]?token|access[-_]?token|refresh[-_]?token|id[-_]?token|token|secret|client[-_]?secret|password|passwd|cookie|set-cookie|webhook[-_]?key)$/i;

/** Deeper than this, a value is replaced by a marker (logging must never overflow the stack). */
const MAX_DEPTH = 32;

/**
 * A redacted copy of a JSON-like value for logging: every string passes `redact`, property names
 * too; values of credential-named properties become '[redacted]' whatever they hold; a value
 * that contains itself becomes '[circular]'; Errors keep their name and message.
 */
export function redactDeep<T>(value: T, redact: Redactor): T {
  return walk(value, redact, new Set(), 0) as T;
}

function walk(value: unknown, redact: Redactor, ancestors: Set<object>, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (!value || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, redact, ancestors, depth + 1));
    const out: Record<string, unknown> = {};
    if (value instanceof Error) {
      out.name = redact(value.name);
      out.message = redact(value.message);
    }
    for (const [k, v] of Object.entries(value)) {
      out[redact(k)] = SENSITIVE_NAME.test(k) && v !== null && v !== undefined && v !== '' ? MASK : walk(v, redact, ancestors, depth + 1);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
