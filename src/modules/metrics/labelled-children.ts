/** What prom-client's Counter and Histogram have in common: children bound to label values. */
interface Labelled<C> {
  labels(...values: string[]): C;
}

/**
 * The children of a labelled metric, bound once per label set and kept: a request then counts
 * with a Map lookup instead of prom-client hashing a label object each time. Only for metrics
 * whose label values are bounded (route templates, endpoints, status codes, policy names).
 */
export class LabelledChildren<C> {
  private readonly children = new Map<string, C>();

  constructor(private readonly metric: Labelled<C>) {}

  get(...values: string[]): C {
    const key = values.join('\u0000');
    let child = this.children.get(key);
    if (!child) {
      child = this.metric.labels(...values);
      this.children.set(key, child);
    }
    return child;
  }
}
