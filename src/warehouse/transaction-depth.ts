/**
 * @module warehouse/transaction-depth
 * `Warehouse.transaction` over one connection, for every implementation that sends SQL: BEGIN, run,
 * COMMIT, or ROLLBACK on any error; a nested call joins the outer transaction.
 */
export class TransactionDepth {
  private depth = 0;

  async run<T>(exec: (sql: string) => Promise<void>, fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      this.depth++;
      try {
        return await fn();
      } finally {
        this.depth--;
      }
    }
    await exec('BEGIN TRANSACTION');
    this.depth = 1;
    try {
      const result = await fn();
      await exec('COMMIT');
      return result;
    } catch (err) {
      await exec('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      this.depth = 0;
    }
  }
}
