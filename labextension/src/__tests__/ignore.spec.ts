import {
  applyEdit,
  cellIgnoreBlocker,
  cellIgnoreEdit,
  ignoreBlocker,
  ignoreEdit,
  notebookIgnores,
  withNotebookIgnore,
  withoutNotebookIgnore
} from '../ignore';

function ignored(source: string, line: number, rule: string, endLine = line): string {
  const edit = ignoreEdit(source, line, endLine, rule);
  return edit ? applyEdit(source, edit) : source;
}

describe('ignoreEdit', () => {
  it('appends the comment the engine honours to the finding’s line', () => {
    const source = 'import os\ndb_password = "x"\nprint(1)';
    expect(ignored(source, 2, 'hardcoded-credentials')).toBe(
      'import os\ndb_password = "x"  # mllens: ignore[hardcoded-credentials]\nprint(1)'
    );
  });

  it('drops trailing spaces before the comment', () => {
    expect(ignored('x = 1   ', 1, 'r')).toBe('x = 1  # mllens: ignore[r]');
  });

  it('adds to an existing ignore list instead of a second comment', () => {
    expect(ignored('x = 1  # mllens: ignore[a]', 1, 'b')).toBe('x = 1  # mllens: ignore[a, b]');
    expect(ignored('x = 1  # mllens: ignore[]', 1, 'b')).toBe('x = 1  # mllens: ignore[b]');
  });

  it('does nothing when the line is already silenced', () => {
    expect(ignoreEdit('x = 1  # mllens: ignore[a]', 1, 1, 'a')).toBeNull();
    expect(ignoreEdit('x = 1  # mllens: ignore', 1, 1, 'a')).toBeNull();
  });

  it('uses the last line when the first cannot take a comment', () => {
    const continued = 'token = "abc" \\\n    "def"';
    expect(ignored(continued, 1, 'r', 2)).toBe('token = "abc" \\\n    "def"  # mllens: ignore[r]');
    const triple = 'key = """\nsecret\n"""';
    expect(ignored(triple, 1, 'r', 3)).toBe('key = """\nsecret\n"""  # mllens: ignore[r]');
  });

  it('returns null for a line that no longer exists', () => {
    expect(ignoreEdit('x = 1', 5, 5, 'r')).toBeNull();
  });

  it('computes offsets for the edit, so the shared model gets one small insertion', () => {
    const edit = ignoreEdit('a\nbb\nccc', 2, 2, 'r')!;
    expect([edit.from, edit.to]).toEqual([4, 4]);
    expect(edit.line).toBe(2);
  });
});

describe('ignoreBlocker', () => {
  it('refuses line magics, whose argument would include the comment', () => {
    expect(ignoreBlocker('%env KEY=value', 1)).toContain('line magic');
    expect(ignoreBlocker('%%bash\nexport TOKEN=x', 2)).toBeNull();
    expect(ignoreBlocker('!git clone https://x', 1)).toBeNull();
    expect(ignoreBlocker('x = 1', 3)).toContain('no line 3');
  });
});

describe('cellIgnoreEdit (a finding in a saved output)', () => {
  const cellIgnored = (source: string, rule: string) => {
    const edit = cellIgnoreEdit(source, rule);
    return edit ? applyEdit(source, edit) : source;
  };

  it('adds the whole-cell comment the engine honours for outputs as a new first line', () => {
    expect(cellIgnored('print(token)', 'secret-in-output')).toBe(
      '# mllens: ignore[secret-in-output]\nprint(token)'
    );
    expect(cellIgnoreEdit('print(token)', 'r')).toEqual({ from: 0, to: 0, text: '# mllens: ignore[r]\n', line: 1 });
  });

  it('adds to a first-line ignore comment instead of a second one', () => {
    expect(cellIgnored('\n# mllens: ignore[a]\nprint(t)', 'b')).toBe('\n# mllens: ignore[a, b]\nprint(t)');
  });

  it('does nothing when the cell is already silenced', () => {
    expect(cellIgnoreEdit('# mllens: ignore[r]\nprint(t)', 'r')).toBeNull();
    expect(cellIgnoreEdit('# mllens: ignore\nprint(t)', 'r')).toBeNull();
  });

  it('does not mistake a trailing comment on the first line for a whole-cell one', () => {
    expect(cellIgnored('print(t)  # mllens: ignore[a]', 'r')).toBe(
      '# mllens: ignore[r]\nprint(t)  # mllens: ignore[a]'
    );
  });

  it('refuses a cell magic, which must stay on the first line', () => {
    expect(cellIgnoreBlocker('%%bash\nenv')).toContain('cell magic');
    expect(cellIgnoreBlocker('print(t)')).toBeNull();
  });
});

describe('notebook metadata', () => {
  it('adds a rule to mllens.ignore, keeping other keys', () => {
    expect(withNotebookIgnore(undefined, 'a')).toEqual({ mllens: { ignore: ['a'] }, changed: true });
    expect(withNotebookIgnore({ ignore: ['a'], other: 1 }, 'b')).toEqual({
      mllens: { ignore: ['a', 'b'], other: 1 },
      changed: true
    });
    expect(withNotebookIgnore({ ignore: ['a'] }, 'a').changed).toBe(false);
  });

  it('removes a rule, and the key when nothing is left', () => {
    expect(withoutNotebookIgnore({ ignore: ['a', 'b'] }, 'a')).toEqual({ ignore: ['b'] });
    expect(withoutNotebookIgnore({ ignore: ['a'] }, 'a')).toBeNull();
    expect(withoutNotebookIgnore({ ignore: ['a'], other: 1 }, 'a')).toEqual({ other: 1 });
  });

  it('reads the list defensively', () => {
    expect(notebookIgnores({ ignore: ['a', 3, 'b'] })).toEqual(['a', 'b']);
    expect(notebookIgnores('nope')).toEqual([]);
  });
});
