// Builds the official SDK client. Loaded lazily (the SDK is heavy and must not load at
// activation). Unless the user opts in, nothing from the user's ANTHROPIC_* environment leaks in:
// the key and base URL are passed explicitly (which stops the SDK reading ANTHROPIC_API_KEY,
// ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL and the profile/credential chain), the headers from
// ANTHROPIC_CUSTOM_HEADERS are nulled out, and ANTHROPIC_LOG / OpenTelemetry env are overridden.
import type AnthropicType from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { redactDeep, type Redactor } from '../redact';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface SdkClientOptions {
  apiKey: string;
  baseURL?: string;
  maxRetries?: number;
  timeoutMs?: number;
  useEnvironment?: boolean;
  log?: (line: string) => void;
  redact: Redactor;
  fetch?: typeof fetch;
}

type SdkModule = typeof import('@anthropic-ai/sdk');

let sdk: SdkModule | undefined;

export function loadSdk(): SdkModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('@anthropic-ai/sdk') as SdkModule;
  return sdk;
}

/** Header names set by ANTHROPIC_CUSTOM_HEADERS, mapped to null so the SDK drops them. */
export function customHeaderNulls(env: NodeJS.ProcessEnv = process.env): Record<string, null> {
  const out: Record<string, null> = {};
  for (const line of (env.ANTHROPIC_CUSTOM_HEADERS ?? '').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim()] = null;
  }
  return out;
}

function logger(opts: SdkClientOptions) {
  const emit = (level: string) => (msg: string, ...rest: unknown[]) => {
    // Structured arguments (request details with headers) lose credential-named values first.
    const extra = rest.length ? ` ${rest.map((r) => (typeof r === 'string' ? r : safeJson(redactDeep(r, opts.redact)))).join(' ')}` : '';
    opts.log?.(opts.redact(`[sdk ${level}] ${msg}${extra}`));
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function createSdkClient(opts: SdkClientOptions): AnthropicType {
  const { default: Anthropic } = loadSdk() as unknown as { default: new (o: ClientOptions) => AnthropicType };
  const common: ClientOptions = {
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 600_000,
    logger: logger(opts),
    ...(opts.fetch ? { fetch: opts.fetch as ClientOptions['fetch'] } : {}),
  };
  if (opts.useEnvironment) {
    return new Anthropic({
      ...common,
      ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    });
  }
  return new Anthropic({
    ...common,
    apiKey: opts.apiKey,
    authToken: null,
    webhookKey: null,
    baseURL: opts.baseURL || DEFAULT_BASE_URL,
    defaultHeaders: customHeaderNulls() as unknown as Record<string, string>,
    logLevel: 'warn',
    openTelemetry: false,
  });
}
