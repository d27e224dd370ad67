import { ICatalog, IFinding, ILintResult } from '../tokens';

export function finding(overrides: Partial<IFinding> = {}): IFinding {
  return {
    path: 'nb.ipynb',
    cell_index: 2,
    cell_id: 'cell-2',
    line: 1,
    column: 15,
    end_line: 1,
    end_column: 34,
    code: 'MLL101',
    name: 'hardcoded-credentials',
    severity: 'high',
    pillars: ['security'],
    phase: 'data-processing',
    lens: ['MLSEC03-BP02'],
    message: "hard-coded secret 'Tr0u****' for `db_password`",
    ...overrides
  };
}

export const CREDENTIALS = finding();
export const UNVERSIONED = finding({
  cell_index: 3,
  cell_id: 'cell-3',
  line: 1,
  column: 6,
  code: 'MLL201',
  name: 'unversioned-data',
  severity: 'medium',
  pillars: ['reliability', 'operational-excellence'],
  phase: 'data-processing',
  lens: ['MLREL01-BP01'],
  message: '`pd.read_csv` reads a local file with no version pin'
});
export const NO_SPLIT = finding({
  cell_index: 4,
  cell_id: 'cell-4',
  line: 3,
  column: 7,
  code: 'MLL302',
  name: 'no-evaluation-split',
  severity: 'high',
  pillars: ['reliability', 'performance-efficiency'],
  phase: 'model-development',
  lens: ['MLPERF05-BP01'],
  message: '`model` is evaluated on the data it was fit on'
});
export const TRACKING = finding({
  cell_index: 4,
  cell_id: 'cell-4',
  line: 2,
  column: 1,
  code: 'MLL301',
  name: 'missing-experiment-tracking',
  severity: 'low',
  pillars: ['operational-excellence'],
  phase: 'model-development',
  lens: ['MLOE04-BP01'],
  message: 'model is trained but nothing records the run'
});

export function result(...findings: IFinding[]): ILintResult {
  return { version: 1, findings, errors: [] };
}

export const CATALOG: ICatalog = {
  rules: [
    {
      code: 'MLL101',
      name: 'hardcoded-credentials',
      title: 'Hard-coded credentials',
      severity: 'high',
      pillars: ['security'],
      phase: 'data-processing',
      lens: [
        {
          id: 'MLSEC03-BP02',
          title: 'Secure data and modeling environment',
          url: 'https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/mlsec03-bp02.html',
          legacy_id: 'MLSEC-04'
        }
      ],
      summary: 'Finds secrets written into a notebook.',
      why: 'Notebooks are shared, so a credential typed into a cell leaks with every copy.',
      fix: 'Read secrets at run time: `os.environ["NAME"]` or a secret manager.',
      examples: {
        bad: [{ title: 'A password', source: 'db_password = "hunter2"' }],
        good: [
          {
            title: 'Secrets read from the environment',
            source: '\nimport os\npassword = os.environ["DB_PASSWORD"]\n'
          }
        ]
      }
    }
  ],
  pillars: {
    'operational-excellence': {
      title: 'Operational excellence',
      short_title: 'Operations',
      description: 'Run and monitor.'
    },
    security: { title: 'Security', description: 'Protect data, models, credentials.' },
    reliability: { title: 'Reliability', description: 'Reproducible results.' },
    'performance-efficiency': { title: 'Performance efficiency', description: 'Use resources well.' },
    'cost-optimization': { title: 'Cost optimization', short_title: 'Cost', description: 'Avoid waste.' },
    sustainability: { title: 'Sustainability', description: 'Reduce impact.' }
  },
  phases: {
    'data-processing': { title: 'Data processing', description: 'Collect and prepare data.' },
    'model-development': { title: 'Model development', description: 'Train and tune.' }
  }
};
