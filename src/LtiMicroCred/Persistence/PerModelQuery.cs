using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LtiMicroCred.Persistence;

/// <summary>
/// A query compiled with EF.CompileAsyncQuery, once per model. The hot launch path runs a few small queries on every
/// request, and building and matching their LINQ trees each time cost more CPU than the indexed reads themselves. EF
/// binds a compiled query to the first model that runs it, while one process can hold several models (each provider
/// builds its own; the tests run SQLite and PostgreSQL side by side), so each model gets its own compilation.
/// </summary>
public sealed class PerModelQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> compiled = [];

    public TQuery For(DbContext db) => compiled.GetValue(db.Model, _ => compile());
}
