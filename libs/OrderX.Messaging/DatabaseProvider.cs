using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OrderX.Messaging;

internal static class DatabaseProvider
{
    /// <summary>Whether the context runs on PostgreSQL (Npgsql), whose batches and row locks messaging relies on.</summary>
    public static bool IsPostgres(this DatabaseFacade database) => database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
}
