using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderX.Orders.Data;

namespace OrderX.Orders.Idempotency;

/// <summary>
/// The IETF httpapi Idempotency-Key semantics for order creation, per customer: the first request with a key
/// claims it (a committed row, so concurrent requests see it), the order and the stored response commit together,
/// and a failure frees the key. The primary key (customer, key) decides every race.
/// </summary>
public sealed class IdempotencyStore(OrdersDbContext db, IOptions<IdempotencyOptions> options, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = IdempotencyRecord.MaxKeyLength;

    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');

    public static string Fingerprint(string canonicalRequest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    public async Task<IdempotencyClaim> ClaimAsync(Guid userId, string key, string requestHash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var record = new IdempotencyRecord
            {
                UserId = userId, Key = key, RequestHash = requestHash, CreatedAt = now, ExpiresAt = now + options.Value.KeyLifetime,
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new IdempotencyClaim.Granted(record);
            }
            catch (DbUpdateException)
            {
                db.Entry(record).State = EntityState.Detached;
            }

            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, cancellationToken);
            if (existing is null)
                continue; // freed in between
            var stale = existing.ExpiresAt <= now || (existing.CompletedAt is null && now - existing.CreatedAt > options.Value.AbandonedAfter);
            if (stale)
            {
                // Only the row that was seen: a concurrent request that already took the key over keeps it.
                await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Key == key && r.CreatedAt == existing.CreatedAt).ExecuteDeleteAsync(cancellationToken);
                continue;
            }
            if (existing.RequestHash != requestHash)
                return new IdempotencyClaim.Mismatch();
            return existing.CompletedAt is null ? new IdempotencyClaim.InFlight() : new IdempotencyClaim.Replay(existing);
        }
        return new IdempotencyClaim.InFlight();
    }

    /// <summary>Records the response in the caller's unit of work, so that it commits with the order.</summary>
    public void Complete(IdempotencyRecord record, int status, string? location, string body)
    {
        record.CompletedAt = clock.GetUtcNow().UtcDateTime;
        record.ResponseStatus = status;
        record.ResponseLocation = location;
        record.ResponseBody = body;
    }

    /// <summary>The request failed and created nothing: the key may be used again.</summary>
    public Task ReleaseAsync(IdempotencyRecord record) =>
        db.IdempotencyRecords.Where(r => r.UserId == record.UserId && r.Key == record.Key && r.CompletedAt == null)
            .ExecuteDeleteAsync(CancellationToken.None);

    /// <summary>Forgets expired keys; returns how many.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
