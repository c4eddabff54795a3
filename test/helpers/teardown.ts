/**
 * What a test stack started, in order, with how to stop each. A stack whose later step fails
 * (a missing Chromium, a port in use, a gateway that does not start) must still stop what it had
 * started, or jest waits forever on a redis-server or a listening socket: `guard()` does that.
 */
export class Teardown {
  private readonly steps: Array<() => unknown> = [];

  /** Records `resource` with its stop function; returns the resource. */
  add<T>(resource: T, stop: (resource: T) => unknown): T {
    this.steps.push(() => stop(resource));
    return resource;
  }

  /** Stops everything recorded, newest first; one failing stop does not keep the others running. */
  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Builds a stack with `build`; if it throws, stops what it had started and rethrows. */
  static async guard<T>(build: (teardown: Teardown) => Promise<T>): Promise<T> {
    const teardown = new Teardown();
    try {
      return await build(teardown);
    } catch (err) {
      await teardown.run().catch(() => undefined);
      throw err;
    }
  }
}
