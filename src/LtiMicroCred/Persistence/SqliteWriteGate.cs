using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LtiMicroCred.Persistence;

/// <summary>
/// SQLite allows one writer at a time. When two connections of this process try to write together, the loser gets
/// SQLITE_BUSY and Microsoft.Data.Sqlite retries it after a fixed sleep of a tenth of a second or more, which turns a
/// sub-millisecond insert into a long wait under load. This gate makes the writers of this process queue in memory
/// instead. A connection takes the gate when it begins a transaction or runs a writing command, and gives it back when
/// the transaction ends or the command finishes, and in any case when the connection closes, so an unusual exit path
/// (an exception EF reports through another event, a transaction disposed without commit) cannot keep it. Readers never
/// take it: write-ahead logging lets them read beside the writer. Registered only for SQLite; the server databases
/// handle concurrent writers themselves.
/// </summary>
public sealed class SqliteWriteGate : IDbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConditionalWeakTable<DbConnection, object> holders = [];

    // A committed transaction may no longer know its connection, so each one is remembered from its start.
    private readonly ConditionalWeakTable<DbTransaction, DbConnection> transactions = [];

    // ---- transactions: a transaction may write, so it holds the gate from begin to end

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await AcquireAsync(connection, cancellationToken);
        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Acquire(connection);
        return result;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        transactions.AddOrUpdate(result, connection);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        transactions.AddOrUpdate(result, connection);
        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        End(transaction);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => End(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        End(transaction);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => End(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        End(transaction);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => End(transaction);

    // ---- commands outside a transaction: bulk updates and deletes, and the single INSERT ... RETURNING of a SaveChanges

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await AcquireAsync(command.Connection!, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Acquire(command.Connection!);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ReleaseAfterCommand(command);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        ReleaseAfterCommand(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (IsWrite(command))
        {
            await AcquireAsync(command.Connection!, cancellationToken);
        }

        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (IsWrite(command))
        {
            Acquire(command.Connection!);
        }

        return result;
    }

    // A writing reader keeps its write lock until it is closed, so that is when the gate opens again.
    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ReleaseAfterCommand(command);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ReleaseAfterCommand(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        ReleaseAfterCommand(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => ReleaseAfterCommand(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAfterCommand(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => ReleaseAfterCommand(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAfterCommand(command);
        return Task.CompletedTask;
    }

    // ---- the safety net: whatever happened, a closed connection holds nothing

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    private static bool IsWrite(DbCommand command)
    {
        var text = command.CommandText.AsSpan().TrimStart();
        return !(text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase));
    }

    private async Task AcquireAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!holders.TryGetValue(connection, out _))
        {
            await gate.WaitAsync(cancellationToken);
            holders.Add(connection, this);
        }
    }

    private void Acquire(DbConnection connection)
    {
        if (!holders.TryGetValue(connection, out _))
        {
            gate.Wait();
            holders.Add(connection, this);
        }
    }

    // Inside a transaction the gate stays taken until the transaction ends.
    private void ReleaseAfterCommand(DbCommand command)
    {
        if (command.Transaction is null && command.Connection is { } connection)
        {
            Release(connection);
        }
    }

    private Task End(DbTransaction transaction) =>
        transactions.TryGetValue(transaction, out var connection) ? Release(connection) : Task.CompletedTask;

    private Task Release(DbConnection connection)
    {
        if (holders.Remove(connection))
        {
            gate.Release();
        }

        return Task.CompletedTask;
    }
}
