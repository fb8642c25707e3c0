using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;
using OrderX.ServiceData;

namespace OrderX.Messaging.Tests;

/// <summary>
/// The unit of work's save on each provider: rows only added are written as plain INSERTs and read back exactly as
/// EF Core's own save writes them; the save stays all or nothing, its after-commit interceptors see it, and anything
/// else is still EF Core's.
/// </summary>
public abstract class UnitOfWorkSaveTests : IAsyncLifetime
{
    private readonly OutboxSignal _signal = new();

    protected abstract void ConfigureDatabase(DbContextOptionsBuilder options);

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await db.Database.EnsureCreatedAsync();
    }

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Rows_only_added_read_back_as_entity_framework_writes_them()
    {
        var plain = NewReceipt();
        var byEntityFramework = NewReceipt();
        await using (var db = NewContext())
        {
            // The lines are added before their receipt: the receipt's row must still go in first.
            db.Lines.AddRange(plain.Lines);
            db.Receipts.Add(plain);
            Assert.Equal(3, await db.SaveUnitOfWorkAsync(CancellationToken.None));
            Assert.Empty(db.ChangeTracker.Entries());
        }
        await using (var db = NewContext())
        {
            db.Receipts.Add(byEntityFramework);
            await db.SaveChangesAsync();
        }

        await using var check = NewContext();
        var saved = await check.Receipts.AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == plain.Id);
        var reference = await check.Receipts.AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == byEntityFramework.Id);
        Assert.Equal(Describe(reference), Describe(saved));
        Assert.Equal(DateTimeKind.Utc, saved.IssuedAt.Kind);
        Assert.Equal(plain.IssuedAt, saved.IssuedAt);
        Assert.Null(saved.Note);
        Assert.Equal(ReceiptKind.Refund, saved.Kind);
        Assert.Equal(2, saved.Lines.Select(l => l.Id).Distinct().Count());
        Assert.All(saved.Lines, l => Assert.True(l.Id > 0, "the database did not number the line"));
    }

    [Fact]
    public async Task Many_rows_of_one_table_in_one_unit_of_work_each_keep_their_own_values()
    {
        // Rows of one table share a statement; each must still be written with its own values, notes set or not.
        var receipts = Enumerable.Range(0, 5).Select(i =>
        {
            var receipt = NewReceipt();
            receipt.Amount = 10m + i;
            receipt.Note = i % 2 == 0 ? $"note {i}" : null;
            receipt.Lines[0].Name = $"a{i}";
            return receipt;
        }).ToList();
        await using (var db = NewContext())
        {
            db.Receipts.AddRange(receipts);
            Assert.Equal(15, await db.SaveUnitOfWorkAsync(CancellationToken.None));
        }

        await using var check = NewContext();
        var ids = receipts.Select(r => r.Id).ToList();
        var saved = await check.Receipts.AsNoTracking().Include(r => r.Lines).Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id);
        Assert.All(receipts, expected =>
        {
            var actual = saved[expected.Id];
            Assert.Equal((expected.Amount, expected.Note), (actual.Amount, actual.Note));
            Assert.Equal(expected.Lines.Select(l => l.Name).Order(), actual.Lines.Select(l => l.Name).Order());
        });
        Assert.Equal(10, saved.Values.SelectMany(r => r.Lines).Select(l => l.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_row_that_fails_takes_every_row_of_the_unit_of_work_back()
    {
        var receipt = NewReceipt();
        receipt.Lines[1].Name = "far too long";
        await using (var db = NewContext())
        {
            db.Receipts.Add(receipt);
            new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "test" }), TimeProvider.System)
                .Add(db, new OrderCompleted(receipt.Id, Guid.NewGuid(), "ada@example.com", receipt.Amount, receipt.Currency));

            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveUnitOfWorkAsync(CancellationToken.None));
            Assert.IsAssignableFrom<System.Data.Common.DbException>(error.InnerException);
        }

        await using var check = NewContext();
        Assert.False(await check.Receipts.AnyAsync(r => r.Id == receipt.Id), "the receipt was committed without its lines");
        Assert.False(await check.Set<OutboxMessage>().AnyAsync(), "the outbox row was committed without the receipt");
        Assert.Empty(_signal.Take(10));
    }

    [Fact]
    public async Task A_message_handled_before_is_refused_by_its_inbox_key()
    {
        var messageId = Guid.NewGuid();
        await using (var db = NewContext())
        {
            db.Set<InboxMessage>().Add(InboxRow(messageId));
            await db.SaveUnitOfWorkAsync(CancellationToken.None);
        }
        await using (var db = NewContext())
        {
            var effect = NewReceipt();
            db.Receipts.Add(effect);
            db.Set<InboxMessage>().Add(InboxRow(messageId));

            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveUnitOfWorkAsync(CancellationToken.None));
            await using var check = NewContext();
            Assert.False(await check.Receipts.AnyAsync(r => r.Id == effect.Id), "a repeated message's effect was kept");
        }
    }

    [Fact]
    public async Task The_relay_is_handed_the_outbox_rows_once_they_are_committed()
    {
        var receipt = NewReceipt();
        OutboxMessage row;
        await using (var db = NewContext())
        {
            db.Receipts.Add(receipt);
            row = new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "test" }), TimeProvider.System)
                .Add(db, new OrderCompleted(receipt.Id, Guid.NewGuid(), "ada@example.com", receipt.Amount, receipt.Currency));
            await db.SaveUnitOfWorkAsync(CancellationToken.None);
        }

        Assert.Equal([row.Id], _signal.Take(10).Select(m => m.Id));
        await using var check = NewContext();
        var stored = await check.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == row.Id);
        // PostgreSQL keeps microseconds, SQLite every tick.
        static long Microseconds(DateTime at) => at.Ticks / 10;
        Assert.Equal((row.Type, row.Subject, row.Payload, Microseconds(row.CreatedAt), Microseconds(row.NextAttemptAt)),
            (stored.Type, stored.Subject, stored.Payload, Microseconds(stored.CreatedAt), Microseconds(stored.NextAttemptAt)));
        Assert.Null(stored.SentAt);
        Assert.True(stored.Sequence > 0);
    }

    [Fact]
    public async Task A_changed_row_is_updated_in_its_changed_columns_with_the_rows_added_beside_it()
    {
        var receipt = await SavedReceiptAsync();
        await using (var db = NewContext())
        {
            var stored = await db.Receipts.Include(r => r.Lines).SingleAsync(r => r.Id == receipt.Id);
            stored.Note = "amended";
            stored.Version++;
            stored.Lines.Add(new ReceiptLine { ReceiptId = receipt.Id, Name = "c" });
            Assert.Equal(2, await db.SaveUnitOfWorkAsync(CancellationToken.None));
            Assert.Empty(db.ChangeTracker.Entries());
        }

        await using var check = NewContext();
        var amended = await check.Receipts.AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == receipt.Id);
        Assert.Equal(("amended", 2, 3, ReceiptKind.Refund, 1234.56m), (amended.Note, amended.Version, amended.Lines.Count, amended.Kind, amended.Amount));
    }

    [Fact]
    public async Task An_update_of_a_row_changed_since_it_was_read_keeps_nothing_of_its_unit_of_work()
    {
        var (receipt, late, stale) = await StaleReceiptAsync(firstNote: "first");
        await using var _ = late;

        stale.Note = "late";
        stale.Version++;
        late.Lines.Add(new ReceiptLine { ReceiptId = receipt.Id, Name = "late" });
        new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "test" }), TimeProvider.System)
            .Add(late, new OrderCompleted(receipt.Id, Guid.NewGuid(), "ada@example.com", receipt.Amount, receipt.Currency));
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => late.SaveUnitOfWorkAsync(CancellationToken.None));

        Assert.Empty(_signal.Take(10));
        await using var check = NewContext();
        var kept = await check.Receipts.AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == receipt.Id);
        Assert.Equal(("first", 2, 2), (kept.Note, kept.Version, kept.Lines.Count));
        Assert.False(await check.Set<OutboxMessage>().AnyAsync(m => m.Subject == receipt.Id.ToString()), "the outbox row was committed without its update");
    }

    [Fact]
    public async Task Inside_the_callers_transaction_a_stale_update_fails_the_save_and_the_caller_keeps_nothing()
    {
        var (receipt, late, stale) = await StaleReceiptAsync(firstNote: null);
        await using var _ = late;

        await using (var transaction = await late.Database.BeginTransactionAsync())
        {
            late.Lines.Add(new ReceiptLine { ReceiptId = receipt.Id, Name = "late" });
            stale.Note = "late";
            stale.Version++;
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => late.SaveUnitOfWorkAsync(CancellationToken.None));
            await transaction.RollbackAsync();
        }

        Assert.Empty(_signal.Take(10));
        await using var check = NewContext();
        var kept = await check.Receipts.AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == receipt.Id);
        Assert.Equal((null, 2, 2), (kept.Note, kept.Version, kept.Lines.Count));
    }

    [Fact]
    public async Task Inside_the_callers_transaction_the_rows_commit_or_roll_back_with_it()
    {
        var kept = NewReceipt();
        var discarded = NewReceipt();
        var writer = new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "test" }), TimeProvider.System);
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Receipts.Add(discarded);
            writer.Add(db, new OrderCompleted(discarded.Id, Guid.NewGuid(), "ada@example.com", discarded.Amount, discarded.Currency));
            await db.SaveUnitOfWorkAsync(CancellationToken.None);
            await transaction.RollbackAsync();
        }
        Assert.Empty(_signal.Take(10));
        OutboxMessage row;
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Receipts.Add(kept);
            row = writer.Add(db, new OrderCompleted(kept.Id, Guid.NewGuid(), "ada@example.com", kept.Amount, kept.Currency));
            await db.SaveUnitOfWorkAsync(CancellationToken.None);
            Assert.Empty(_signal.Take(10));
            await transaction.CommitAsync();
        }

        Assert.Equal([row.Id], _signal.Take(10).Select(m => m.Id));
        await using var check = NewContext();
        Assert.False(await check.Receipts.AnyAsync(r => r.Id == discarded.Id), "a rolled-back transaction's rows were kept");
        Assert.Equal(2, await check.Lines.CountAsync(l => l.ReceiptId == kept.Id));
    }

    [Fact]
    public async Task Saved_with_its_commit_in_the_callers_transaction_the_rows_are_kept_and_the_relay_handed_them()
    {
        var receipt = NewReceipt();
        OutboxMessage row;
        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Receipts.Add(receipt);
            row = new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "test" }), TimeProvider.System)
                .Add(db, new OrderCompleted(receipt.Id, Guid.NewGuid(), "ada@example.com", receipt.Amount, receipt.Currency));
            await db.SaveAndCommitAsync(CancellationToken.None);

            Assert.Null(db.Database.CurrentTransaction);
            Assert.Equal([row.Id], _signal.Take(10).Select(m => m.Id));
            // The context goes on with its connection as after any commit (the transaction's disposal above rolls nothing back).
            Assert.Equal(2, await db.Lines.CountAsync(l => l.ReceiptId == receipt.Id));
        }

        await using var check = NewContext();
        Assert.Equal(2, await check.Lines.CountAsync(l => l.ReceiptId == receipt.Id));
        Assert.True(await check.Set<OutboxMessage>().AnyAsync(m => m.Id == row.Id), "the outbox row was not committed");
    }

    [Fact]
    public async Task Saved_with_its_commit_a_stale_update_keeps_nothing_and_the_caller_ends_its_transaction()
    {
        var (receipt, late, stale) = await StaleReceiptAsync(firstNote: null);
        await using var _ = late;

        await using (await late.Database.BeginTransactionAsync())
        {
            late.Lines.Add(new ReceiptLine { ReceiptId = receipt.Id, Name = "late" });
            stale.Note = "late";
            stale.Version++;
            new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "test" }), TimeProvider.System)
                .Add(late, new OrderCompleted(receipt.Id, Guid.NewGuid(), "ada@example.com", receipt.Amount, receipt.Currency));
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => late.SaveAndCommitAsync(CancellationToken.None));
            Assert.NotNull(late.Database.CurrentTransaction);
        }

        Assert.Empty(_signal.Take(10));
        await using var check = NewContext();
        var kept = await check.Receipts.AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == receipt.Id);
        Assert.Equal((null, 2, 2), (kept.Note, kept.Version, kept.Lines.Count));
        Assert.False(await check.Set<OutboxMessage>().AnyAsync(m => m.Subject == receipt.Id.ToString()), "the outbox row was committed without its update");
    }

    [Fact]
    public async Task Saved_with_its_commit_outside_a_transaction_it_is_a_unit_of_work_of_its_own()
    {
        var receipt = NewReceipt();
        await using (var db = NewContext())
        {
            db.Receipts.Add(receipt);
            await db.SaveAndCommitAsync(CancellationToken.None);
        }

        await using var check = NewContext();
        Assert.Equal(2, await check.Lines.CountAsync(l => l.ReceiptId == receipt.Id));
    }

    [Fact]
    public async Task A_unit_of_work_that_deletes_a_row_is_saved_by_entity_framework()
    {
        var receipt = await SavedReceiptAsync();
        await using (var db = NewContext())
        {
            db.Lines.Remove(await db.Lines.Where(l => l.ReceiptId == receipt.Id).OrderBy(l => l.Name).FirstAsync());
            db.Lines.Add(new ReceiptLine { ReceiptId = receipt.Id, Name = "c" });
            await db.SaveUnitOfWorkAsync(CancellationToken.None);
            // EF Core's save leaves the row it added tracked; the plain one tracks nothing.
            Assert.NotEmpty(db.ChangeTracker.Entries());
        }

        await using var check = NewContext();
        Assert.Equal(["b", "c"], (await check.Lines.Where(l => l.ReceiptId == receipt.Id).Select(l => l.Name).ToListAsync()).Order());
    }

    private async Task<Receipt> SavedReceiptAsync()
    {
        var receipt = NewReceipt();
        await using var db = NewContext();
        db.Receipts.Add(receipt);
        await db.SaveUnitOfWorkAsync(CancellationToken.None);
        return receipt;
    }

    // A saved receipt as `late` read it, before another unit of work changed it (its note, and its version): `late`'s copy is stale.
    private async Task<(Receipt Receipt, UnitOfWorkContext Late, Receipt Stale)> StaleReceiptAsync(string? firstNote)
    {
        var receipt = await SavedReceiptAsync();
        var late = NewContext();
        var stale = await late.Receipts.SingleAsync(r => r.Id == receipt.Id);
        await using (var first = NewContext())
        {
            var fresh = await first.Receipts.SingleAsync(r => r.Id == receipt.Id);
            fresh.Note = firstNote;
            fresh.Version++;
            await first.SaveUnitOfWorkAsync(CancellationToken.None);
        }
        _signal.Take(10);
        return (receipt, late, stale);
    }

    private UnitOfWorkContext NewContext()
    {
        var options = new DbContextOptionsBuilder<UnitOfWorkContext>();
        ConfigureDatabase(options);
        options.AddInterceptors(new OutboxCommitInterceptor(_signal));
        return new UnitOfWorkContext(options.Options);
    }

    private static Receipt NewReceipt()
    {
        var receipt = new Receipt
        {
            Id = Guid.CreateVersion7(),
            // Local time on purpose: the model's converter stores it as UTC, whichever save writes it.
            IssuedAt = new DateTime(2026, 12, 4, 5, 6, 7, 891, DateTimeKind.Utc).ToLocalTime(),
            Amount = 1234.56m,
            Currency = "EUR",
            Kind = ReceiptKind.Refund,
            Version = 1,
        };
        receipt.Lines.AddRange([new ReceiptLine { ReceiptId = receipt.Id, Name = "a" }, new ReceiptLine { ReceiptId = receipt.Id, Name = "b" }]);
        return receipt;
    }

    private static InboxMessage InboxRow(Guid messageId) =>
        new() { MessageId = messageId, Consumer = "test", Type = "order.completed", ProcessedAt = DateTime.UtcNow };

    private static string Describe(Receipt receipt) =>
        $"{receipt.IssuedAt.TimeOfDay} {receipt.Note ?? "null"} {receipt.Amount} {receipt.Currency} {receipt.Kind} v{receipt.Version} "
        + string.Join(",", receipt.Lines.OrderBy(l => l.Name).Select(l => l.Name));
}

/// <summary>A receipt and its lines (identity keys, a foreign key, a check constraint), beside the outbox and inbox.</summary>
public sealed class UnitOfWorkContext(DbContextOptions<UnitOfWorkContext> options) : ServiceDbContext(options)
{
    public DbSet<Receipt> Receipts => Set<Receipt>();
    public DbSet<ReceiptLine> Lines => Set<ReceiptLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Receipt>(receipt =>
        {
            receipt.ToTable("receipts");
            receipt.Property(r => r.Amount).HasPrecision(18, 2);
            receipt.Property(r => r.Version).IsConcurrencyToken();
            // Stored by name: a value written without the model's converter would not read back.
            receipt.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            receipt.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.ReceiptId);
        });
        modelBuilder.Entity<ReceiptLine>(line =>
        {
            line.ToTable("receipt_lines", t => t.HasCheckConstraint("name_is_short", "length(\"Name\") < 5"));
        });
        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class Receipt
{
    public Guid Id { get; set; }
    public DateTime IssuedAt { get; set; }
    public string? Note { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public ReceiptKind Kind { get; set; }
    public int Version { get; set; }
    public List<ReceiptLine> Lines { get; } = [];
}

public enum ReceiptKind { Sale, Refund }

public sealed class ReceiptLine
{
    public long Id { get; set; }
    public Guid ReceiptId { get; set; }
    public required string Name { get; set; }
}
