// The opt-in Prometheus endpoint of this window (promptCacheLab.metrics.port; off when unset),
// bound to 127.0.0.1 and fed every record as it is made. A port in use is one warning, never a
// crash; each window labels its series with its own instance id, so two never share one.
import * as vscode from 'vscode';
import type { RequestRecord } from '../../core/ledger/record';
import type { MetricsServer } from '../../node/metrics';
import { readSettings } from '../config';
import type { Logger } from '../log';

export class MetricsService implements vscode.Disposable {
  private server: Promise<MetricsServer | undefined> | undefined;
  private port: number | null = null;

  constructor(private readonly log: Logger) {
    this.apply();
  }

  /** Starts, stops or moves the endpoint to match the setting. */
  apply(): void {
    const port = readSettings()['metrics.port'];
    if (port === this.port) return;
    const old = this.server;
    this.port = port;
    this.server = port ? this.start(port, old) : old?.then((s) => s?.close()).then(() => undefined);
  }

  observe(record: RequestRecord): void {
    void this.server?.then((s) => s?.observe(record));
  }

  /** The endpoint's URL while it serves (tests, the README's scrape config). */
  async url(): Promise<string | undefined> {
    return (await this.server)?.url;
  }

  private async start(port: number, old: Promise<MetricsServer | undefined> | undefined): Promise<MetricsServer | undefined> {
    await (await old)?.close();
    try {
      const { startMetricsServer } = await import('../../node/bundle');
      const s = await startMetricsServer({ port, instance: vscode.env.sessionId.slice(0, 8), onWarning: (m) => this.log.warn(m) });
      this.log.info(`metrics: serving ${s.url}`);
      return s;
    } catch (err) {
      const message = (err as Error).message;
      this.log.warn(`metrics: ${message}`);
      void vscode.window.showWarningMessage(`Prompt Cache Lab: ${message}`, 'Open Settings').then((c) => c && void vscode.commands.executeCommand('workbench.action.openSettings', 'promptCacheLab.metrics.port'));
      return undefined;
    }
  }

  dispose(): void {
    void this.server?.then((s) => s?.close());
  }
}
