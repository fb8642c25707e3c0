using Microsoft.Extensions.Options;
using OrderX.Orders.Data;
using OrderX.Orders.Idempotency;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

public sealed class IdempotencyStoreTests : IDisposable
{
    private readonly SqliteTestDatabase<OrdersDbContext> _database = SqliteTestDatabase<OrdersDbContext>.OnFile(o => new OrdersDbContext(o));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly Guid _customer = Guid.NewGuid();

    private IdempotencyStore Store(OrdersDbContext db) => new(db, Options.Create(new IdempotencyOptions()), _clock);

    private async Task<IdempotencyClaim> ClaimAsync(string key, string hash, Guid? customer = null)
    {
        await using var db = _database.NewContext();
        return await Store(db).ClaimAsync(customer ?? _customer, key, hash, CancellationToken.None);
    }

    private async Task CompleteAsync(IdempotencyClaim claim)
    {
        await using var db = _database.NewContext();
        var record = ((IdempotencyClaim.Granted)claim).Record;
        db.Attach(record);
        Store(db).Complete(record, 202, "/order/status/x", "{\"orderId\":\"x\"}");
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_completed_key_replays_the_first_response_for_the_same_request()
    {
        await CompleteAsync(await ClaimAsync("k1", "h1"));

        var replay = Assert.IsType<IdempotencyClaim.Replay>(await ClaimAsync("k1", "h1"));

        Assert.Equal((202, "/order/status/x", "{\"orderId\":\"x\"}"), (replay.Record.ResponseStatus, replay.Record.ResponseLocation, replay.Record.ResponseBody));
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_a_mismatch()
    {
        await CompleteAsync(await ClaimAsync("k1", "h1"));

        Assert.IsType<IdempotencyClaim.Mismatch>(await ClaimAsync("k1", "h2"));
    }

    [Fact]
    public async Task A_key_whose_first_request_still_runs_is_in_flight_until_it_is_abandoned()
    {
        Assert.IsType<IdempotencyClaim.Granted>(await ClaimAsync("k1", "h1"));

        Assert.IsType<IdempotencyClaim.InFlight>(await ClaimAsync("k1", "h1"));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<IdempotencyClaim.Granted>(await ClaimAsync("k1", "h1"));
    }

    [Fact]
    public async Task Keys_belong_to_one_customer_and_expire()
    {
        await CompleteAsync(await ClaimAsync("k1", "h1"));

        Assert.IsType<IdempotencyClaim.Granted>(await ClaimAsync("k1", "h2", customer: Guid.NewGuid()));
        _clock.Advance(TimeSpan.FromHours(25));
        Assert.IsType<IdempotencyClaim.Granted>(await ClaimAsync("k1", "h2"));
    }

    [Fact]
    public async Task A_released_key_can_be_used_again()
    {
        var claim = (IdempotencyClaim.Granted)await ClaimAsync("k1", "h1");
        await using (var db = _database.NewContext())
            await Store(db).ReleaseAsync(claim.Record);

        Assert.IsType<IdempotencyClaim.Granted>(await ClaimAsync("k1", "h1"));
    }

    [Fact]
    public async Task Of_twenty_concurrent_requests_with_one_key_exactly_one_is_granted()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => ClaimAsync("k1", "h1"))));

        Assert.Single(claims, c => c is IdempotencyClaim.Granted);
        Assert.All(claims.Where(c => c is not IdempotencyClaim.Granted), c => Assert.IsType<IdempotencyClaim.InFlight>(c));
    }

    public void Dispose() => _database.Dispose();
}
