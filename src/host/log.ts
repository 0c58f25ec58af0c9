// The extension's log channel. Every line passes through the redactor so a secret handed to it
// by mistake (an error message echoing a header, say) never reaches the output; the same
// redactor serves every other user-facing text the host builds (error pop-ups, the panel).
import type * as vscode from 'vscode';
import { createRedactor, redactDeep, type Redactor } from '../backends/redact';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
  /** The last lines logged (already redacted), newest last. */
  recent(): readonly string[];
  /** `text` without the keys in use or anything shaped like a credential. */
  redact(text: string): string;
}

const RECENT_LINES = 200;

/** One redactor per set of secrets: rebuilt only when the keys change, not on every line. */
function redactorFor(secrets: () => readonly string[]): () => Redactor {
  let memo: { key: string; redactor: Redactor } | undefined;
  return () => {
    const list = [...secrets()];
    const key = JSON.stringify(list);
    if (memo?.key !== key) memo = { key, redactor: createRedactor(list) };
    return memo.redactor;
  };
}

/** A log argument as text: structured values are redacted before they are serialised. */
function asText(message: unknown, redact: Redactor): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  try {
    return JSON.stringify(redactDeep(message, redact)) ?? String(message);
  } catch {
    return String(message);
  }
}

export function createLogger(channel: vscode.LogOutputChannel, secrets: () => readonly string[]): Logger {
  const recent: string[] = [];
  const current = redactorFor(secrets);
  const write = (level: 'info' | 'warn' | 'error', message: unknown) => {
    const redact = current();
    const line = redact(asText(message, redact));
    recent.push(`${level}: ${line}`);
    if (recent.length > RECENT_LINES) recent.shift();
    channel[level](line);
  };
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    show: () => channel.show(true),
    recent: () => recent,
    redact: (text) => current()(text),
  };
}
