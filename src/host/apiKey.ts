// The Anthropic API key lives in SecretStorage only: never in settings, state, logs or errors.
import * as vscode from 'vscode';

const SECRET_KEY = 'promptCacheLab.anthropicApiKey';

export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with whether a key is now set. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key !== SECRET_KEY) return;
      await this.load();
      this.changed.fire(Boolean(this.cached));
    });
  }

  /** A keyring that cannot be read must not stop activation: the emulator works without a key. */
  async load(onError: (message: string) => void = () => undefined): Promise<string | undefined> {
    try {
      this.cached = await this.secrets.get(SECRET_KEY);
    } catch (err) {
      onError(`could not read the API key from SecretStorage (${(err as Error).message}); using the offline emulator until one is set`);
      this.cached = undefined;
    }
    return this.cached;
  }

  /** The key as last loaded, for the log redactor. */
  known(): readonly string[] {
    return this.cached ? [this.cached] : [];
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key);
    this.cached = key;
    this.changed.fire(true);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
    this.changed.fire(false);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Checks the shape only; Anthropic itself decides validity (a 401 says so). */
export function validateKeyShape(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Enter a key, or press Escape to cancel.';
  if (/\s/.test(v)) return 'An API key has no spaces or line breaks.';
  if (!v.startsWith('sk-ant-')) return 'Anthropic API keys start with "sk-ant-".';
  if (v.length < 20) return 'That key is too short to be an Anthropic API key.';
  return undefined;
}
