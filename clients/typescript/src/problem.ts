/** An `application/problem+json` answer of the keystore; `type` is stable (`urn:near-tee-keystore:problem:<slug>`). */
export class KeystoreProblem extends Error {
  static readonly typePrefix = 'urn:near-tee-keystore:problem:';

  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string | undefined,
    readonly detail: string | undefined,
    readonly traceId: string | undefined,
    /** The whole problem, extensions included (e.g. `steps` of a 503 `not-ready`). */
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${type}: ${detail ?? title ?? ''}`);
    this.name = 'KeystoreProblem';
  }

  /** `invalid-transaction`, `not-account-owner`, … */
  get slug(): string {
    return this.type.startsWith(KeystoreProblem.typePrefix) ? this.type.slice(KeystoreProblem.typePrefix.length) : this.type;
  }

  /** For 403 `policy-denied`: the policy check that refused (`per-transaction`, `window:eth:1:daily`, `account-freeze`, …). */
  get rule(): string | undefined {
    return typeof this.body.rule === 'string' ? this.body.rule : undefined;
  }

  /** 429 and 503 (not ready, busy, rate-limited, NEAR unreachable) may succeed later; 4xx will not. */
  get retryable(): boolean {
    return this.status === 429 || this.status === 503;
  }
}
