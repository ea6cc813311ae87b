using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LtiMicroCred.Web.Hosting;

/// <summary>
/// EF opens the connection before each query and closes it after. On SQLite every open, even of a pooled connection,
/// registers EF's SQL functions on it again, and a launch runs ten statements: about 4 % of the host's CPU per launch
/// went to opening the same connection over and over. With this interceptor the first open stays open until the
/// context is done (its request or job ends and it goes back to the context pool, which disposes the connection
/// into Microsoft.Data.Sqlite's pool). Nothing else changes: statements still run in autocommit, so an open
/// connection holds no lock between them, and the <see cref="Persistence.SqliteWriteGate"/> opens when each write's
/// command or transaction ends, as before (the persistence tests end writes abnormally in every way, including a
/// transaction disposed without a commit, and check that the next write goes through). Registered only for SQLite;
/// on PostgreSQL it made no difference (Npgsql's pool makes an open cheap).
/// </summary>
public sealed class SqliteConnectionPerContext : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());
}
