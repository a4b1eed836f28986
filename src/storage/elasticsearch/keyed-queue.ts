/**
 * Runs tasks one at a time per key, in arrival order. The store queues writes to one case behind each other
 * within a process: two of them from the same version would conflict in Elasticsearch anyway, and waiting turns
 * the loser's staging, failed commit and rollback into one cheap read that finds the version moved.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once its last task is done, so the map holds only cases being written right now.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
