using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace OrderX.Messaging;

public static class DatabaseProvider
{
    private enum Provider { Other, Postgres, Sqlite }

    // Kept per model: EF Core builds a model once for each provider a context type is configured with, while
    // ProviderName resolves the providers from the context's services on every read, 0.3–0.7% of each service's
    // profile when it was read once per save.
    private static readonly ConditionalWeakTable<IModel, StrongBox<Provider>> Providers = new();

    /// <summary>Whether the context runs on PostgreSQL (Npgsql), whose batches and row locks messaging relies on.</summary>
    public static bool IsPostgres(this DbContext db) => ProviderOf(db) == Provider.Postgres;

    /// <summary>Whether the context runs on SQLite (Microsoft.Data.Sqlite), the embedded default.</summary>
    public static bool IsSqlite(this DbContext db) => ProviderOf(db) == Provider.Sqlite;

    private static Provider ProviderOf(DbContext db)
    {
        var model = db.Model;
        if (Providers.TryGetValue(model, out var known))
            return known.Value;
        var name = db.Database.ProviderName ?? "";
        var provider = name.Contains("Npgsql", StringComparison.Ordinal) ? Provider.Postgres
            : name.EndsWith(".Sqlite", StringComparison.Ordinal) ? Provider.Sqlite
            : Provider.Other;
        return Providers.GetValue(model, _ => new StrongBox<Provider>(provider)).Value;
    }
}
