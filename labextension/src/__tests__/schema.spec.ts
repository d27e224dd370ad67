import { ServerConnection } from '@jupyterlab/services';

import { LintClient, SchemaVersionError, checkSchema } from '../client';
import { LintController } from '../controller';
import { LensModel } from '../model';
import { renderPanel } from '../render';
import { statusText } from '../statusbar';
import { SCHEMA_VERSION } from '../tokens';
import { CATALOG, CREDENTIALS, result } from './fixtures';

function clientAnswering(body: string): LintClient {
  const fetchImpl = async () => new Response(body, { status: 200 });
  return new LintClient(
    ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/', fetch: fetchImpl as any })
  );
}

const noActions = {
  reveal: () => undefined,
  ignoreHere: () => undefined,
  ignoreInNotebook: () => undefined,
  restoreNotebookIgnore: () => undefined,
  lint: () => undefined,
  ignoreHereBlocker: () => null,
  fixPreview: () => ({ diffs: [], blocker: null }),
  applyFix: () => undefined,
  fixAllSafe: () => undefined
};

describe('findings schema version', () => {
  it('accepts the version this panel reads', () => {
    expect(SCHEMA_VERSION).toBe(1);
    expect(checkSchema(result(CREDENTIALS)).findings).toHaveLength(1);
  });

  it.each([[2], ['1'], [null], [undefined]])('refuses version %p with one message naming both', version => {
    const error = (() => {
      try {
        checkSchema({ version, findings: [], errors: [] });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect(error!.message).toContain(`this panel reads version ${SCHEMA_VERSION}`);
    expect(error!.message).toContain('restart the server and reload this page');
  });

  it('is checked on every lint answer', async () => {
    const client = clientAnswering('{"version": 2, "results": []}');
    await expect(client.lint('nb.ipynb', {})).rejects.toThrow('schema version 2');
  });

  it('shows one clear message in the panel, no stale findings, no header', async () => {
    const model = new LensModel();
    model.catalog = CATALOG;
    const controller = new LintController(model, {
      lint: () => Promise.reject(new SchemaVersionError(2)),
      rules: () => Promise.resolve(CATALOG)
    });
    const target = { path: 'nb.ipynb', content: () => ({ cells: [] }) };
    controller.follow(target);
    model.setResult(result(CREDENTIALS));
    await controller.lint(target);
    expect(model.status).toBe('incompatible');
    expect(model.findings).toEqual([]);

    const node = renderPanel(model, noActions);
    const alerts = node.querySelectorAll('[role="alert"]');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].textContent).toContain('Version mismatch.');
    expect(alerts[0].textContent).toContain('schema version 2, but this panel reads version 1');
    expect(node.querySelectorAll('.jp-mllens-finding, .jp-mllens-pillars, .jp-mllens-empty')).toHaveLength(0);
    expect(statusText(model)).toBe('ML Lens: version mismatch');
    controller.dispose();
  });
});
