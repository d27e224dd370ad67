/**
 * The two server calls, through JupyterLab's `ServerConnection` so the token, XSRF
 * header and base URL are those of every other JupyterLab request.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { ICatalog, ILintResult, SCHEMA_VERSION } from './tokens';

/** The server extension is not installed or not enabled (404 on its routes). */
export class ServerMissingError extends Error {
  constructor() {
    super(
      'The ML Lens server extension is not available. Install jupyter_mllens in the ' +
        'environment that runs the Jupyter server, check that `jupyter server extension ' +
        'list` shows it enabled, and restart the server.'
    );
    this.name = 'ServerMissingError';
  }
}

/** Any other failed request, with the server's own message when it sent one. */
export class LintRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null
  ) {
    super(message);
    this.name = 'LintRequestError';
  }
}

/**
 * The server answered in a findings schema this panel does not read: the server extension
 * and the JupyterLab extension come from different jupyter_mllens releases.
 */
export class SchemaVersionError extends Error {
  constructor(readonly received: unknown) {
    super(
      `The ML Lens server sent findings in schema version ${describeVersion(received)}, ` +
        `but this panel reads version ${SCHEMA_VERSION}. The Jupyter server and JupyterLab ` +
        'use different jupyter_mllens releases: install one release of jupyter_mllens in ' +
        'the environment that runs the Jupyter server, restart the server and reload this page.'
    );
    this.name = 'SchemaVersionError';
  }
}

function describeVersion(version: unknown): string {
  if (version === undefined || version === null) {
    return '(none)';
  }
  const text = typeof version === 'string' ? version : JSON.stringify(version);
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

/** The result as sent, or `SchemaVersionError` when its `version` is not the one this panel reads. */
export function checkSchema(data: unknown): ILintResult {
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== SCHEMA_VERSION) {
    throw new SchemaVersionError(version);
  }
  return data as ILintResult;
}

export interface ILintClient {
  lint(path: string, notebook: object): Promise<ILintResult>;
  rules(): Promise<ICatalog>;
}

export class LintClient implements ILintClient {
  constructor(
    private readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  async lint(path: string, notebook: object): Promise<ILintResult> {
    const data = await this.request<unknown>('lint', {
      method: 'POST',
      body: JSON.stringify({ path, notebook })
    });
    return checkSchema(data);
  }

  rules(): Promise<ICatalog> {
    return this.request<ICatalog>('rules', { method: 'GET' });
  }

  private async request<T>(route: string, init: RequestInit): Promise<T> {
    const url = URLExt.join(this.serverSettings.baseUrl, 'mllens', route);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, this.serverSettings);
    } catch (error) {
      throw new LintRequestError(
        `cannot reach the Jupyter server (${(error as Error).message ?? error})`,
        null
      );
    }
    if (response.status === 404) {
      throw new ServerMissingError();
    }
    const text = await response.text();
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      const detail = data?.message || response.statusText || 'no details';
      throw new LintRequestError(
        `the server answered ${response.status}: ${detail}`,
        response.status
      );
    }
    if (data === null) {
      throw new LintRequestError(
        'the server sent a response that is not JSON',
        response.status
      );
    }
    return data as T;
  }
}
