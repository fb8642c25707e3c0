using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OrderX.ServiceData.Tests;

public class DependencyFailureTests
{
    [Fact]
    public async Task A_postgres_server_that_does_not_answer_is_a_dependency_failure()
    {
        await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=x;Password=x;Timeout=2");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());

        Assert.True(DependencyFailures.Instance.IsTransient(error), error.GetType().Name);
    }

    [Fact]
    public void A_busy_sqlite_database_inside_a_failed_save_is_a_dependency_failure() =>
        Assert.True(DependencyFailures.Instance.IsTransient(
            new DbUpdateException("save failed", new SqliteException("database is locked", 5))));

    [Theory]
    [MemberData(nameof(Bugs))]
    public void A_programming_error_is_not_mistaken_for_an_outage(Exception error) =>
        Assert.False(DependencyFailures.Instance.IsTransient(error));

    public static TheoryData<Exception> Bugs() => new()
    {
        new ArgumentException("bad"),
        new NullReferenceException(),
        new DbUpdateException("unique violation", new SqliteException("UNIQUE constraint failed", 19)),
        new InvalidOperationException("no inner"),
    };
}
