import { OUTPUT_LIMITS, isSentMimeType, lintContent, omission, sourceFingerprint, truncate } from '../content';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function notebook(...cells: object[]): any {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3' } }, cells };
}

function code(outputs: object[], execution_count: number | null = 1, source = 'x = 1'): object {
  return { cell_type: 'code', id: 'c', metadata: {}, source, execution_count, outputs };
}

const sent = (nb: any) => JSON.stringify(lintContent(nb));

describe('lintContent', () => {
  it('sends text outputs and execution counts as nbformat outputs', () => {
    const nb = notebook(
      code(
        [
          { output_type: 'stream', name: 'stderr', text: ['UserWarning: ', 'X has feature names\n'] },
          {
            output_type: 'execute_result',
            execution_count: 7,
            metadata: {},
            data: { 'text/plain': ['0.97'], 'text/html': ['<b>0.97</b>'] }
          },
          {
            output_type: 'error',
            ename: 'KeyError',
            evalue: "'churned'",
            traceback: ['\u001b[0;31mKeyError\u001b[0m', "KeyError: 'churned'"]
          }
        ],
        7
      ),
      { cell_type: 'markdown', id: 'm', metadata: {}, source: '# Title', attachments: { 'a.png': { 'image/png': PNG } } }
    );
    const content = lintContent(nb) as any;
    const [cell, markdown] = content.cells;
    expect(cell.execution_count).toBe(7);
    expect(cell.outputs).toEqual([
      { output_type: 'stream', name: 'stderr', text: 'UserWarning: X has feature names\n' },
      { output_type: 'execute_result', execution_count: 7, metadata: {}, data: { 'text/plain': '0.97' } },
      {
        output_type: 'error',
        ename: 'KeyError',
        evalue: "'churned'",
        traceback: ["\u001b[0;31mKeyError\u001b[0m\nKeyError: 'churned'"]
      }
    ]);
    expect(markdown).toEqual({ cell_type: 'markdown', id: 'm', metadata: {}, source: '# Title' });
    expect(content.metadata).toEqual(nb.metadata);
  });

  it('never sends images or other binary data, nor an output left with nothing to send', () => {
    const nb = notebook(
      code([
        { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG, 'text/plain': '<Figure size 640x480>' } },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG } },
        { output_type: 'display_data', metadata: {}, data: { 'application/pdf': PNG, 'image/svg+xml': '<svg/>' } },
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'abc' }, 'text/plain': 'IntProgress(value=3)' }
        }
      ])
    );
    const body = sent(nb);
    expect(body).not.toContain(PNG);
    expect(body).not.toContain('svg');
    expect(body).not.toContain('model_id');
    expect((lintContent(nb) as any).cells[0].outputs).toEqual([
      { output_type: 'display_data', metadata: {}, data: { 'text/plain': '<Figure size 640x480>' } },
      { output_type: 'display_data', metadata: {}, data: { 'text/plain': 'IntProgress(value=3)' } }
    ]);
    expect(['text/plain', 'text/markdown', 'text/latex'].every(isSentMimeType)).toBe(true);
    expect(['text/html', 'image/png', 'image/svg+xml', 'application/json', 'application/pdf'].some(isSentMimeType)).toBe(false);
  });

  it('caps each output, keeping its beginning and end', () => {
    const log = 'W'.repeat(100) + 'x'.repeat(10_000) + 'E'.repeat(100);
    const limits = { perOutput: 1000, total: 100_000 };
    const content = lintContent(notebook(code([{ output_type: 'stream', name: 'stdout', text: log }])), limits) as any;
    const text: string = content.cells[0].outputs[0].text;
    expect(text.startsWith('W'.repeat(100))).toBe(true);
    expect(text.endsWith('E'.repeat(100))).toBe(true);
    expect(text).toContain(omission(log.length - 1000));
    expect(text.length).toBe(1000 + omission(log.length - 1000).length);
  });

  it('caps all outputs together: later outputs are cut, then left out', () => {
    const limits = { perOutput: 400, total: 1000 };
    const cells = Array.from({ length: 5 }, (_, i) =>
      code([{ output_type: 'stream', name: 'stdout', text: `${i}`.repeat(400) }], i + 1)
    );
    const content = lintContent(notebook(...cells), limits) as any;
    const kept = content.cells.map((c: any) => c.outputs.map((o: any) => o.text.replace(/\n\[…[^\]]*\]\n/, '').length));
    expect(kept).toEqual([[400], [400], [200], [], []]);
    expect(content.cells.map((c: any) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    const total = content.cells
      .flatMap((c: any) => c.outputs)
      .reduce((n: number, o: any) => n + o.text.length, 0);
    expect(total).toBeLessThanOrEqual(limits.total + 5 * omission(1000).length);
  });

  it('stays far below the server body limit for a notebook of huge outputs', () => {
    const big = 'y'.repeat(2_000_000);
    const cells = Array.from({ length: 50 }, () =>
      code([
        { output_type: 'stream', name: 'stdout', text: big },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': big } }
      ])
    );
    const body = sent(notebook(...cells));
    expect(body.length).toBeLessThan(OUTPUT_LIMITS.total + 100_000);
    expect(body.length).toBeLessThan(5 * 1024 * 1024);
  });

  it('reads odd outputs without failing: no outputs, junk entries, non-numeric counts', () => {
    const content = lintContent(
      notebook(
        { cell_type: 'code', id: 'a', metadata: {}, source: 'x' },
        { cell_type: 'code', id: 'b', metadata: {}, source: 'y', outputs: [null, 3, { output_type: 'weird' }], execution_count: '4' }
      )
    ) as any;
    expect(content.cells.map((c: any) => [c.outputs, c.execution_count])).toEqual([
      [[], null],
      [[], null]
    ]);
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text to the limit plus the mark', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 4)).toBe('ab' + omission(6) + 'ij');
    expect(truncate('abc', 0)).toBe('');
  });
});

describe('sourceFingerprint', () => {
  it('changes with sources and metadata, not with outputs or execution counts', () => {
    const before = notebook(code([], 1, 'x = 1'));
    const ran = notebook(code([{ output_type: 'stream', name: 'stdout', text: 'hi' }], 2, 'x = 1'));
    const edited = notebook(code([], 1, 'x = 2'));
    expect(sourceFingerprint(lintContent(ran))).toBe(sourceFingerprint(lintContent(before)));
    expect(sourceFingerprint(lintContent(edited))).not.toBe(sourceFingerprint(lintContent(before)));
  });
});
