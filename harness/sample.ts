/** One measurement: the metric's value plus free-form details kept in the bench's JSON report. */
export interface Sample {
  readonly value: number;
  readonly detail?: Readonly<Record<string, number | string | boolean>>;
}
