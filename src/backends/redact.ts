// The API key must never reach a message, a log line or a stored error. Every string that leaves
// a backend passes through a Redactor built with the key(s) in use.

/** Anthropic key shapes, redacted even when we were not told the value (e.g. echoed by a proxy). */
const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]{8,}/g;
const BEARER_PATTERN = /(Bearer\s+)[^\s"',]+/gi;
const HEADER_PATTERN = /(x-api-key["']?\s*[:=]\s*["']?)[^\s"',]+/gi;

export type Redactor = (text: string) => string;

export function createRedactor(secrets: Array<string | undefined | null>): Redactor {
  // Longest first so a key that contains another secret is removed whole.
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = String(text);
    for (const s of known) out = out.split(s).join('[redacted]');
    for (const s of known) {
      // Also a URL-encoded copy (query strings, error URLs).
      const enc = encodeURIComponent(s);
      if (enc !== s) out = out.split(enc).join('[redacted]');
    }
    return out.replace(KEY_PATTERN, '[redacted]').replace(BEARER_PATTERN, '$1[redacted]').replace(HEADER_PATTERN, '$1[redacted]');
  };
}

/** Redacts every string inside a JSON-like value (for logging objects). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
