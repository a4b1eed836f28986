/**
 * How many series a split query chart shows: the search asks for them and its Lens form (lens-markdown.ts)
 * declares the same. Apart from the search code so the Kibana export, which writes Lens forms, does not load
 * the Elasticsearch client.
 */
/** The chart's palette has ten colours: nine values and `other` keep every series distinguishable. */
export const MAX_SPLIT_SIZE = 9;
export const DEFAULT_SPLIT_SIZE = 5;
