using OrderX.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Outbox;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

/// <summary>The relay's promises, on each database provider: order, confirm-before-sent, retry, wake-up on commit.</summary>
public abstract class OutboxRelayTests : IAsyncLifetime
{
    protected RecordingTransport Transport { get; } = new();

    protected abstract void ConfigureDatabase(DbContextOptionsBuilder options);

    protected ServiceProvider NewService(TimeSpan? pollInterval = null, TimeProvider? clock = null, bool pooled = false, Action<MessagingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<IMessageTransport>(Transport);
        services.Configure<MessagingOptions>(o =>
        {
            o.ServiceName = "relay-test";
            o.RelayBatchSize = 50;
            o.RelayPollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
            configure?.Invoke(o);
        });
        void Configure(IServiceProvider provider, DbContextOptionsBuilder o)
        {
            ConfigureDatabase(o);
            o.AddInterceptors(provider.GetRequiredService<OutboxCommitInterceptor>());
        }
        // A pool of one: every scope gets the same context instance, as a busy service's contexts are reused.
        if (pooled)
            services.AddDbContextPool<TestDbContext>(Configure, poolSize: 1);
        else
            services.AddDbContext<TestDbContext>(Configure);
        services.AddSingleton<OutboxRelay<TestDbContext>>();
        return services.BuildServiceProvider();
    }

    protected static async Task<List<Guid>> CommitEventsAsync(IServiceProvider services, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            var row = scope.ServiceProvider.GetRequiredService<OutboxWriter>().Add(db, new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"));
            db.Effects.Add(new Effect { MessageId = row.Id });
            await db.SaveChangesAsync();
            ids.Add(row.Id);
        }
        return ids;
    }

    protected static async Task<List<OutboxMessage>> RowsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TestDbContext>().Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Sequence).ToListAsync();
    }

    [Fact]
    public async Task Committed_events_are_published_in_commit_order_and_then_marked_sent()
    {
        await using var services = NewService();
        var ids = await CommitEventsAsync(services, 5);

        var claimed = await services.GetRequiredService<OutboxRelay<TestDbContext>>().PublishPendingAsync(default);

        Assert.Equal(5, claimed);
        Assert.Equal(ids, Transport.Published.Select(m => m.Id));
        Assert.All(await RowsAsync(services), r => Assert.NotNull(r.SentAt));
        Assert.Equal(OrderCompleted.EventType, Transport.Published.First().Type);
    }

    [Fact]
    public async Task An_event_the_broker_did_not_confirm_stays_unsent_and_is_published_once_its_back_off_is_over()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var services = NewService(clock: clock);
        var relay = services.GetRequiredService<OutboxRelay<TestDbContext>>();
        var ids = await CommitEventsAsync(services, 2);
        Transport.Refuse = m => m.Id == ids[0];

        await relay.PublishPendingAsync(default);

        var rows = await RowsAsync(services);
        Assert.Null(rows[0].SentAt);
        Assert.Equal(1, rows[0].Attempts);
        Assert.Contains("nacked", rows[0].LastError);
        Assert.True(rows[0].NextAttemptAt > clock.GetUtcNow().UtcDateTime, "a refused row waits for its back-off");
        Assert.NotNull(rows[1].SentAt);
        Assert.Equal(0, await relay.PublishPendingAsync(default));

        Transport.Refuse = _ => false;
        clock.Advance(TimeSpan.FromMinutes(1));
        await relay.PublishPendingAsync(default);

        Assert.All(await RowsAsync(services), r => Assert.NotNull(r.SentAt));
        Assert.Equal([ids[1], ids[0]], Transport.Published.Select(m => m.Id));
    }

    [Fact]
    public async Task An_event_whose_transaction_rolled_back_is_never_published()
    {
        await using var services = NewService();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<OutboxWriter>().Add(db, new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await services.GetRequiredService<OutboxRelay<TestDbContext>>().PublishPendingAsync(default));
        Assert.Empty(Transport.Published);
    }

    [Fact]
    public async Task Rows_of_a_process_that_died_before_publishing_them_are_published_by_another_once_the_hand_off_grace_is_over()
    {
        await using var died = NewService();
        var ids = await CommitEventsAsync(died, 3);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var survivor = NewService(clock: clock);
        var relay = survivor.GetRequiredService<OutboxRelay<TestDbContext>>();

        Assert.Equal(0, await relay.PublishPendingAsync(default));
        clock.Advance(new MessagingOptions().RelayHandoffGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(3, await relay.PublishPendingAsync(default));

        Assert.Equal(ids, Transport.Published.Select(m => m.Id));
        Assert.All(await RowsAsync(survivor), r => Assert.NotNull(r.SentAt));
    }

    [Fact]
    public async Task A_reused_context_never_hands_over_rows_of_a_transaction_it_dropped_without_a_commit()
    {
        await using var services = NewService(pooled: true);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            var transaction = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<OutboxWriter>().Add(db, new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"));
            await db.SaveChangesAsync();
            await transaction.DisposeAsync(); // no commit, no rollback call: a handler that threw, say
        }
        var committed = await CommitEventsAsync(services, 1);

        await services.GetRequiredService<OutboxRelay<TestDbContext>>().PublishPendingAsync(default);

        Assert.Equal(committed, Transport.Published.Select(m => m.Id));
        Assert.Equal(committed, (await RowsAsync(services)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_save_that_failed_never_hands_over_its_rows_with_a_later_save_of_the_same_context()
    {
        // The failure suite's find: a customer's cancellation lost a race with the order's payment (the save failed on
        // the order's version), yet its order.cancelled and payment.refund went out with the context's next save.
        await using var services = NewService(pooled: true);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            scope.ServiceProvider.GetRequiredService<OutboxWriter>().Add(db, new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"));
            db.Effects.Update(new Effect { Id = 987_654, MessageId = Guid.NewGuid() }); // a row no longer there: the save fails
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear(); // decide again, as the cancel endpoint does
            db.Effects.Add(new Effect { MessageId = Guid.NewGuid() });
            await db.SaveChangesAsync(); // a later save with no event of its own
        }

        await services.GetRequiredService<OutboxRelay<TestDbContext>>().PublishPendingAsync(default);

        Assert.Empty(Transport.Published);
        Assert.Empty(await RowsAsync(services));
    }

    [Fact]
    public async Task A_commit_wakes_the_relay_at_once_instead_of_waiting_for_its_poll()
    {
        await using var services = NewService(pollInterval: TimeSpan.FromMinutes(10));
        var relay = services.GetRequiredService<OutboxRelay<TestDbContext>>();
        await relay.StartAsync(default);
        try
        {
            await Task.Delay(500); // the relay has found nothing and is now asleep for up to ten minutes
            var ids = await CommitEventsAsync(services, 1);

            await Eventually.HoldsAsync(() => Transport.Published.Any(m => m.Id == ids[0]),
                "the relay did not wake up on commit", timeoutSeconds: 10);
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    [Fact]
    public async Task The_commit_of_an_explicit_transaction_wakes_the_relay_and_not_the_save_before_it()
    {
        await using var services = NewService(pollInterval: TimeSpan.FromMinutes(10));
        var relay = services.GetRequiredService<OutboxRelay<TestDbContext>>();
        await relay.StartAsync(default);
        try
        {
            await Task.Delay(500);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var row = scope.ServiceProvider.GetRequiredService<OutboxWriter>().Add(db, new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"));
            await db.SaveChangesAsync();
            await Task.Delay(300);
            Assert.Empty(Transport.Published);

            await transaction.CommitAsync();

            await Eventually.HoldsAsync(() => Transport.Published.Any(m => m.Id == row.Id),
                "the relay did not wake up on the transaction's commit", timeoutSeconds: 10);
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    // The hand-off grace well above the delay, so that its cap (a quarter of the grace) leaves the delay as set.
    private ServiceProvider NewServiceMarkingAfter(TimeSpan markSentDelay) =>
        NewService(pollInterval: TimeSpan.FromMinutes(10), configure: o =>
        {
            o.RelayHandoffGrace = markSentDelay * 10;
            o.RelayMarkSentDelay = markSentDelay;
        });

    [Fact]
    public async Task Batches_confirmed_within_the_mark_delay_are_marked_sent_together_each_at_its_own_confirmation_time()
    {
        await using var services = NewServiceMarkingAfter(TimeSpan.FromSeconds(5));
        var relay = services.GetRequiredService<OutboxRelay<TestDbContext>>();
        await relay.StartAsync(default);
        try
        {
            var first = await CommitEventsAsync(services, 1);
            await Eventually.HoldsAsync(() => Transport.Published.Any(m => m.Id == first[0]), "the first event was not published");
            await Task.Delay(50); // the second batch is confirmed at a later time than the first
            var second = await CommitEventsAsync(services, 1);
            await Eventually.HoldsAsync(() => Transport.Published.Any(m => m.Id == second[0]), "the second event was not published");
            var bothConfirmedBy = DateTime.UtcNow;

            Assert.All(await RowsAsync(services), r => Assert.Null(r.SentAt));
            var rows = await Eventually.ValueAsync(() => RowsAsync(services), rows => rows.All(r => r.SentAt is not null),
                "both rows marked sent once the delay passed", timeoutSeconds: 30);
            Assert.True(rows[0].SentAt < rows[1].SentAt, "each row keeps the time its own batch was confirmed");
            Assert.All(rows, r => Assert.True(r.SentAt <= bothConfirmedBy, "the confirmation time, not the later time of the mark"));
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_relay_that_stops_marks_what_the_broker_confirmed_before_it_goes()
    {
        await using var services = NewServiceMarkingAfter(TimeSpan.FromMinutes(1));
        var relay = services.GetRequiredService<OutboxRelay<TestDbContext>>();
        await relay.StartAsync(default);
        var ids = await CommitEventsAsync(services, 3);
        await Eventually.HoldsAsync(() => ids.All(id => Transport.Published.Any(m => m.Id == id)), "the events were not published");
        Assert.All(await RowsAsync(services), r => Assert.Null(r.SentAt));

        await relay.StopAsync(default);

        Assert.All(await RowsAsync(services), r => Assert.NotNull(r.SentAt));
    }

    public virtual async Task InitializeAsync()
    {
        await using var services = NewService();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.EnsureCreatedAsync();
    }

    public abstract Task DisposeAsync();
}
