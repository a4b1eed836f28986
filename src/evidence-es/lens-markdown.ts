/**
 * An Elasticsearch-sourced chart as a Lens visualization embedded in Kibana case markdown, so the chart opens live
 * in Kibana: `!{lens{"timeRange":{…},"attributes":{…}}}` (reference/kibana-cases.md §3; Kibana's serializer writes
 * `!{lens${JSON.stringify({timeRange, attributes})}}` and its parser balances the braces after `!{lens`).
 *
 * The attributes are written in the shape of Lens 8.1, because that is what they are migrated from: caseops
 * exports `cases-comments` declaring 8.1.0 (src/kibana/export/versions.ts), so on import Kibana runs every Lens
 * embeddable migration after 8.1.0 on them (8.2 … 8.9, including 8.6's rename of `datasourceStates.indexpattern`
 * to `formBased`). Those migrations read the 8.1 shape; handing them a newer one breaks the import. 8.1 facts
 * kept: the count column's `sourceField` is `___records___` (the 8.1.0 migration renamed it from `Records`), and
 * the data view is referenced by id through `references`, not held inline (ad-hoc data views came later).
 *
 * The data view defaults to Elastic Security's own, `security-solution-<space>`, which every space with Security
 * has and whose pattern covers `logs-*` and the space's alerts index; the chart's index pattern is then applied in
 * the query as `_index:<pattern>`, so the Lens chart counts the same documents as the PNG.
 */
import { formatDuration } from '../charts/duration';
import type { ChartRange } from '../charts/range';

import { DEFAULT_SPLIT_SIZE } from './split-series';
import type { QueryChartSpec } from './query-chart-source';
import { TIME_FIELD } from './time-grid';

export interface LensChartInput {
  readonly title: string;
  readonly range: ChartRange;
  readonly spec: QueryChartSpec;
  /** A Kibana data view whose pattern covers spec.index; default Security's default data view of `space`. */
  readonly dataViewId?: string;
  /** The Kibana space, for the default data view; default `default`. */
  readonly space?: string;
}

/** Fixed ids, so the same chart always exports the same markdown. */
const LAYER_ID = 'caseops-layer';
const TIME_COLUMN = 'caseops-time';
const COUNT_COLUMN = 'caseops-count';
const SPLIT_COLUMN = 'caseops-split';

/**
 * The chart as a markdown block. Kibana's parser is a block tokenizer, so the block must start a line (put it in a
 * paragraph of its own); it finds the block's end by counting braces without regard to JSON strings, so braces
 * inside strings (a Lucene range such as `[1 TO 5}`) are written as `\u007b`/`\u007d`, which JSON.parse reads back.
 */
export function lensMarkdown(input: LensChartInput): string {
  const timeRange = { from: input.range.from, to: input.range.to, mode: 'absolute' };
  return `!{lens${braceSafeJson({ timeRange, attributes: lensAttributes(input) })}}`;
}

/** Elastic Security's default data view in a space (Security Solution's `${DEFAULT_DATA_VIEW_ID}-${spaceId}`). */
export function securityDataViewId(space = 'default'): string {
  return `security-solution-${space}`;
}

function lensAttributes(input: LensChartInput): Record<string, unknown> {
  const dataViewId = input.dataViewId ?? securityDataViewId(input.space);
  const { split } = input.spec;
  const bucketColumns = split ? [SPLIT_COLUMN, TIME_COLUMN] : [TIME_COLUMN];
  const columns: Record<string, unknown> = {
    [TIME_COLUMN]: {
      label: TIME_FIELD,
      dataType: 'date',
      operationType: 'date_histogram',
      sourceField: TIME_FIELD,
      isBucketed: true,
      scale: 'interval',
      params: { interval: formatDuration(input.range.bucket) },
    },
    [COUNT_COLUMN]: {
      label: 'Count of records',
      dataType: 'number',
      operationType: 'count',
      sourceField: '___records___',
      isBucketed: false,
      scale: 'ratio',
    },
  };
  if (split) {
    columns[SPLIT_COLUMN] = {
      label: `Top values of ${split.field}`,
      dataType: 'string',
      operationType: 'terms',
      sourceField: split.field,
      isBucketed: true,
      scale: 'ordinal',
      params: { size: split.size ?? DEFAULT_SPLIT_SIZE, orderBy: { type: 'column', columnId: COUNT_COLUMN }, orderDirection: 'desc', otherBucket: true, missingBucket: false },
    };
  }
  return {
    title: input.title,
    description: '',
    visualizationType: 'lnsXY',
    type: 'lens',
    references: [
      { type: 'index-pattern', id: dataViewId, name: 'indexpattern-datasource-current-indexpattern' },
      { type: 'index-pattern', id: dataViewId, name: `indexpattern-datasource-layer-${LAYER_ID}` },
    ],
    state: {
      visualization: {
        legend: { isVisible: true, position: 'right' },
        valueLabels: 'hide',
        fittingFunction: 'None',
        preferredSeriesType: 'bar_stacked',
        layers: [
          {
            layerId: LAYER_ID,
            layerType: 'data',
            seriesType: 'bar_stacked',
            xAccessor: TIME_COLUMN,
            accessors: [COUNT_COLUMN],
            ...(split ? { splitAccessor: SPLIT_COLUMN } : {}),
          },
        ],
      },
      query: { query: `(${input.spec.query}) AND (${indexClause(input.spec.index)})`, language: 'lucene' },
      filters: [],
      datasourceStates: {
        indexpattern: {
          layers: { [LAYER_ID]: { columns, columnOrder: [...bucketColumns, COUNT_COLUMN], incompleteColumns: {} } },
        },
      },
    },
  };
}

/** `_index:logs-*` per pattern: Lucene wildcard terms on `_index`, which match data stream names too. */
function indexClause(pattern: string): string {
  return pattern
    .split(',')
    .map((part) => `_index:${part.trim().replace(/[+\-=&|><!(){}[\]^"~?:\\/]/g, (character) => `\\${character}`)}`)
    .join(' OR ');
}

function braceSafeJson(value: unknown): string {
  let inString = false;
  let escaped = false;
  let json = '';
  for (const character of JSON.stringify(value)) {
    if (inString && !escaped && (character === '{' || character === '}')) {
      json += character === '{' ? '\\u007b' : '\\u007d';
      continue;
    }
    if (character === '"' && !escaped) inString = !inString;
    escaped = inString && !escaped && character === '\\';
    json += character;
  }
  return json;
}
