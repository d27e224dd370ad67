import { ServerConnection } from '@jupyterlab/services';

import { LintClient, LintRequestError, ServerMissingError } from '../client';

function clientAnswering(status: number, body: string, seen: Request[] = []): LintClient {
  const fetchImpl = async (input: RequestInfo, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(body, { status });
  };
  return new LintClient(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/base/',
      token: 'secret-token',
      fetch: fetchImpl as any
    })
  );
}

describe('LintClient', () => {
  it('posts path and notebook to /mllens/lint with the token', async () => {
    const seen: Request[] = [];
    const client = clientAnswering(200, '{"version": 1, "findings": [], "errors": []}', seen);
    const answer = await client.lint('dir/nb.ipynb', { cells: [] });
    expect(answer.findings).toEqual([]);
    expect(new URL(seen[0].url).pathname).toBe('/base/mllens/lint');
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers.get('Authorization')).toBe('token secret-token');
    expect(await seen[0].json()).toEqual({ path: 'dir/nb.ipynb', notebook: { cells: [] } });
  });

  it('turns 404 into ServerMissingError', async () => {
    await expect(clientAnswering(404, 'not found').rules()).rejects.toBeInstanceOf(
      ServerMissingError
    );
  });

  it('carries the server’s message on other failures', async () => {
    const failure = clientAnswering(413, '{"message": "request body is 9 bytes; the limit is 5"}').lint(
      'nb.ipynb',
      {}
    );
    await expect(failure).rejects.toBeInstanceOf(LintRequestError);
    await expect(failure).rejects.toThrow('413: request body is 9 bytes; the limit is 5');
  });

  it('rejects a non-JSON success', async () => {
    await expect(clientAnswering(200, '<html>').rules()).rejects.toThrow('not JSON');
  });
});
