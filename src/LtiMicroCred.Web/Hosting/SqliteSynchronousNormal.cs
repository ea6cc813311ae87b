using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LtiMicroCred.Web.Hosting;

/// <summary>
/// With write-ahead logging, SQLite's default synchronous=FULL flushes the log to disk at every commit. Under launch
/// load that flush cost about as much CPU as the statements themselves, and it happened while the writer held the
/// <see cref="Persistence.SqliteWriteGate"/>, so every other writer waited for it. synchronous=NORMAL, which SQLite
/// recommends for WAL, keeps the database consistent after any crash and durable when the process dies; only a power
/// loss or an operating system crash can undo the last commits before a checkpoint. SQLite is the trial and
/// development database; districts run PostgreSQL or SQL Server. The setting belongs to a connection, so it is made
/// once per physical connection of Microsoft.Data.Sqlite's pool.
/// </summary>
public sealed class SqliteSynchronousNormal : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous=NORMAL;";
    private readonly ConditionalWeakTable<object, object> configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private bool IsNew(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && configured.TryAdd(handle, this);
}
