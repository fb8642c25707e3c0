using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace OrderX.Messaging;

public static class DatabaseProvider
{
    // Kept per model: EF Core builds a model once for each provider a context type is configured with, while
    // ProviderName resolves the providers from the context's services on every read, 0.3–0.7% of each service's
    // profile when it was read once per save.
    private static readonly ConditionalWeakTable<IModel, StrongBox<bool>> PostgresModels = new();

    /// <summary>Whether the context runs on PostgreSQL (Npgsql), whose batches and row locks messaging relies on.</summary>
    public static bool IsPostgres(this DbContext db)
    {
        var model = db.Model;
        if (PostgresModels.TryGetValue(model, out var known))
            return known.Value;
        var isPostgres = db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
        return PostgresModels.GetValue(model, _ => new StrongBox<bool>(isPostgres)).Value;
    }
}
