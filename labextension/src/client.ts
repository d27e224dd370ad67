/**
 * The two server calls, through JupyterLab's `ServerConnection` so the token, XSRF
 * header and base URL are those of every other JupyterLab request.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { ICatalog, ILintResult } from './tokens';

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

export interface ILintClient {
  lint(path: string, notebook: object): Promise<ILintResult>;
  rules(): Promise<ICatalog>;
}

export class LintClient implements ILintClient {
  constructor(
    private readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  lint(path: string, notebook: object): Promise<ILintResult> {
    return this.request<ILintResult>('lint', {
      method: 'POST',
      body: JSON.stringify({ path, notebook })
    });
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
