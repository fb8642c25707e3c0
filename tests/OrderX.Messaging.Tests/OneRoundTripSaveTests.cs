using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>Saves in one round trip on a real PostgreSQL, and stay all or nothing.</summary>
public sealed class OneRoundTripSaveTests : IAsyncLifetime
{
    private readonly string _connectionString = $"{TestInfrastructure.PostgresServer};Database=orderx_test_roundtrip_{TestInfrastructure.UniqueSuffix()}";
    private readonly RoundTrips _roundTrips = new();

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await db.Database.EnsureCreatedAsync();
        await using var generated = NewGeneratedKeysContext();
        await generated.Database.ExecuteSqlRawAsync(generated.Database.GenerateCreateScript());
    }

    [Fact]
    public async Task On_postgresql_a_save_that_only_inserts_rows_into_several_tables_is_one_command_without_a_transaction()
    {
        var parent = new Parent { Id = Guid.NewGuid() };
        await using (var db = NewContext())
        {
            db.Parents.Add(parent);
            db.Children.AddRange(new Child { ParentId = parent.Id, Name = "a" }, new Child { ParentId = parent.Id, Name = "b" });
            _roundTrips.Reset();

            Assert.Equal(3, await db.SaveInOneRoundTripAsync(CancellationToken.None));
        }

        Assert.Equal((1, 0), (_roundTrips.Commands, _roundTrips.Transactions));
        await using var check = NewContext();
        Assert.Equal(2, await check.Children.CountAsync(c => c.ParentId == parent.Id));
    }

    [Fact]
    public async Task A_statement_that_fails_late_in_the_round_trip_takes_the_rows_before_it_back()
    {
        var parent = new Parent { Id = Guid.NewGuid() };
        await using (var db = NewContext())
        {
            db.Parents.Add(parent);
            // The children are inserted after their parent; the second breaks the table's check.
            db.Children.AddRange(new Child { ParentId = parent.Id, Name = "fine" }, new Child { ParentId = parent.Id, Name = "far too long" });
            _roundTrips.Reset();

            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveInOneRoundTripAsync(CancellationToken.None));
            Assert.Equal((1, 0), (_roundTrips.Commands, _roundTrips.Transactions));
        }

        await using var check = NewContext();
        Assert.False(await check.Parents.AnyAsync(p => p.Id == parent.Id), "the parent was committed without its children");
        Assert.False(await check.Children.AnyAsync(c => c.ParentId == parent.Id));
    }

    [Fact]
    public async Task Rows_that_need_a_key_the_database_generates_for_another_row_are_saved_in_a_transaction()
    {
        await using (var db = NewGeneratedKeysContext())
        {
            var parent = new NumberedParent();
            db.Add(parent);
            db.Add(new NumberedChild { Parent = parent });
            _roundTrips.Reset();

            await db.SaveInOneRoundTripAsync(CancellationToken.None);
        }

        Assert.Equal((2, 1), (_roundTrips.Commands, _roundTrips.Transactions));
    }

    [Fact]
    public async Task Inside_the_callers_transaction_the_save_commits_with_it()
    {
        var parent = new Parent { Id = Guid.NewGuid() };
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Parents.Add(parent);
            await db.SaveInOneRoundTripAsync(CancellationToken.None);
            await transaction.RollbackAsync();
        }

        await using var check = NewContext();
        Assert.False(await check.Parents.AnyAsync(p => p.Id == parent.Id));
    }

    [Fact]
    public async Task A_save_that_updates_a_row_another_save_changed_first_keeps_none_of_its_rows()
    {
        var parent = new Parent { Id = Guid.NewGuid() };
        await using (var db = NewContext())
        {
            db.Parents.Add(parent);
            await db.SaveInOneRoundTripAsync(CancellationToken.None);
        }
        await using var late = NewContext();
        var stale = await late.Parents.SingleAsync(p => p.Id == parent.Id);
        await using (var first = NewContext())
        {
            (await first.Parents.SingleAsync(p => p.Id == parent.Id)).Version++;
            await first.SaveInOneRoundTripAsync(CancellationToken.None);
        }

        // The update finds its version gone, which PostgreSQL does not count as an error: only a transaction takes
        // the insert beside it back.
        stale.Version++;
        late.Children.Add(new Child { ParentId = parent.Id, Name = "late" });
        _roundTrips.Reset();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => late.SaveInOneRoundTripAsync(CancellationToken.None));

        Assert.Equal(1, _roundTrips.Transactions);
        await using var check = NewContext();
        Assert.False(await check.Children.AnyAsync(c => c.ParentId == parent.Id), "the insert committed without the update it came with");
    }

    [Fact]
    public async Task A_tracked_row_changed_after_it_was_read_is_saved()
    {
        var parent = new Parent { Id = Guid.NewGuid() };
        await using (var db = NewContext())
        {
            db.Parents.Add(parent);
            db.Children.Add(new Child { ParentId = parent.Id, Name = "a" });
            await db.SaveInOneRoundTripAsync(CancellationToken.None);
        }
        await using (var db = NewContext())
        {
            (await db.Children.SingleAsync(c => c.ParentId == parent.Id)).Name = "b";
            await db.SaveInOneRoundTripAsync(CancellationToken.None);
            Assert.True(db.ChangeTracker.AutoDetectChangesEnabled, "the save left change detection off");
        }

        await using var check = NewContext();
        Assert.Equal("b", (await check.Children.SingleAsync(c => c.ParentId == parent.Id)).Name);
    }

    private RoundTripContext NewContext() =>
        new(new DbContextOptionsBuilder<RoundTripContext>().UseNpgsql(_connectionString).AddInterceptors(_roundTrips).Options);

    private GeneratedKeysContext NewGeneratedKeysContext() =>
        new(new DbContextOptionsBuilder<GeneratedKeysContext>().UseNpgsql(_connectionString).AddInterceptors(_roundTrips).Options);

    public Task DisposeAsync() => TestDatabases.DropAsync(new Npgsql.NpgsqlConnectionStringBuilder(_connectionString).Database!);

    private sealed class RoundTrips : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private int _commands;
        private int _transactions;

        public int Commands => _commands;
        public int Transactions => _transactions;

        public void Reset() => (_commands, _transactions) = (0, 0);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _transactions);
            return ValueTask.FromResult(result);
        }

        public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            Interlocked.Increment(ref _transactions);
            return result;
        }
    }
}

public sealed class RoundTripContext(DbContextOptions<RoundTripContext> options) : DbContext(options)
{
    public DbSet<Parent> Parents => Set<Parent>();
    public DbSet<Child> Children => Set<Child>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Child>(child =>
        {
            child.HasOne<Parent>().WithMany().HasForeignKey(c => c.ParentId);
            child.ToTable(t => t.HasCheckConstraint("name_is_short", "length(\"Name\") < 5"));
        });
}

public sealed class Parent
{
    public Guid Id { get; set; }

    [System.ComponentModel.DataAnnotations.ConcurrencyCheck]
    public int Version { get; set; }
}

public sealed class Child
{
    public long Id { get; set; }
    public Guid ParentId { get; set; }
    public required string Name { get; set; }
}

/// <summary>A parent whose key is an identity column: its child can only be inserted once the parent's insert returned it.</summary>
public sealed class GeneratedKeysContext(DbContextOptions<GeneratedKeysContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<NumberedParent>().ToTable("numbered_parents");
        modelBuilder.Entity<NumberedChild>().ToTable("numbered_children");
    }
}

public sealed class NumberedParent
{
    public long Id { get; set; }
}

public sealed class NumberedChild
{
    public long Id { get; set; }
    public long ParentId { get; set; }
    public NumberedParent? Parent { get; set; }
}
